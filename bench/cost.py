"""Cost per 1,000 applications at list prices (bench/prices.json), from one counted lifecycle.

An estimate, with its assumptions in the open:
- Lambda: the counted invocations, and GB-seconds from the handler time measured locally (moto
  over local HTTP on a shared machine: likely slower than AWS) times the template's MemorySize.
- SQS: every message delivered to a consumer queue costs 3 requests (the send that SNS makes,
  the event source mapping's receive and delete, i.e. batches of one: an upper bound); a message
  on a partnership feed costs its send; plus the handlers' own SQS calls. Idle long polling of
  the event source mappings is a fixed monthly cost, not per application, and not included.
- DynamoDB: 1 WRU per item written and 1 RRU per item or query read (items under 1 KB / 4 KB,
  strongly consistent: an upper bound for reads), 2 per item in a transaction.
- Scheduler: every schedule created and not deleted fires once, later (its own SQS message and
  Lambda invocation then are not counted here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PRICES = json.loads((Path(__file__).with_name("prices.json")).read_text())

_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_READS = ("GetItem", "Query", "Scan")
_S3_PUT = ("PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "ListObjects", "ListObjectsV2")
_S3_GET = ("GetObject", "HeadObject")


def usage_per_application(counted: dict[str, Any], memory_mb: dict[str, int]) -> dict[str, float]:
    """Billable units per application: what the prices multiply."""
    n = counted["lifecycles"]
    calls: dict[str, int] = {}
    invocations = records = 0
    gb_seconds = 0.0
    for name, f in counted["per_function"].items():
        invocations += f.invocations
        records += f.records
        gb_seconds += f.duration_ms / 1000 * memory_mb[name] / 1024
        for op, k in f.calls.items():
            calls[op] = calls.get(op, 0) + k
    c = lambda op: calls.get(op, 0)  # noqa: E731
    usage = {
        "lambda_request": invocations,
        "lambda_gb_second_arm64": gb_seconds,
        "http_api_request": counted["api_requests"],
        "sqs_request": 3 * records
        + counted["feed_messages"]
        + sum(k for op, k in calls.items() if op.startswith("sqs.")),
        "sns_publish": c("sns.Publish") + c("sns.PublishBatch"),
        "dynamodb_write_request_unit": sum(c(f"dynamodb.{op}") for op in _WRITES)
        + c("dynamodb.BatchWriteItem#items")
        + 2 * c("dynamodb.TransactWriteItems#items"),
        "dynamodb_read_request_unit": sum(c(f"dynamodb.{op}") for op in _READS)
        + c("dynamodb.BatchGetItem#items")
        + 2 * c("dynamodb.TransactGetItems#items"),
        "s3_put_request": sum(c(f"s3.{op}") for op in _S3_PUT) + counted["s3_presigned_puts"],
        "s3_get_request": sum(c(f"s3.{op}") for op in _S3_GET) + counted["s3_presigned_gets"],
        "ses_email": c("ses.SendEmail") + c("ses.SendRawEmail") + c("sesv2.SendEmail"),
        "scheduler_invocation": max(0, c("scheduler.CreateSchedule") - c("scheduler.DeleteSchedule")),
    }
    return {k: v / n for k, v in usage.items()}


def per_thousand(usage: dict[str, float]) -> dict[str, float]:
    """USD per 1,000 applications, by price line."""
    return {k: usage[k] * 1000 * price for k, price in PRICES["usd"].items()}
