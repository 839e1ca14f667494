"""Every boto3 call of intake: a Protocol per port, a DynamoDB/S3 implementation and an in-memory fake."""
