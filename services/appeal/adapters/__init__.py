"""The appeal service's adapters: DynamoDB (dynamo.py, records.py) and the in-memory fake (memory.py)."""
