"""What intake does, one function per command or event, against its ports (usecases/ports.py).

No boto3 and no Powertools here either: handlers parse and respond, adapters talk to AWS.
"""
