"""The reference of `make bench`'s cold start (bench/cold_start.py): the least a function of this system does.

It imports boto3 and the Powertools Logger at module level, as every handler does, and its first
invocation makes one DynamoDB GetItem against the local runtime's moto. Run in a worker the local
runtime starts the way it starts any function's (a fresh interpreter, the function's environment).
"""

import os

import boto3
from aws_lambda_powertools import Logger

logger = Logger(service="cold-start-reference")


def handler(event, context):
    item = boto3.client("dynamodb").get_item(TableName=os.environ["TABLE_NAME"],
                                             Key={"pk": {"S": "COLD#reference"}, "sk": {"S": "COLD#reference"}})
    logger.info("read", extra={"found": "Item" in item})
    return {"found": "Item" in item}
