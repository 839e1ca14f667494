"""The Lambda SQS event source mapping: one polling thread per (queue, function) in the template.

Each batch is delivered as Lambda delivers it (the same record shape), then records are deleted
as Lambda would: all of them on success; with ReportBatchItemFailures all but those listed in
``batchItemFailures``; none on an invocation error.

One deliberate local difference: a record that is not deleted is NOT left invisible for the
queue's full VisibilityTimeout (180 s in the template). The poller sets its visibility to a short
retry delay (LOCALRT_RETRY_DELAY_SECONDS, default 1 s) so retries and the redrive to the DLQ
happen in seconds. The redrive itself is moto's: it moves a message to the queue's DLQ when it
is received again after maxReceiveCount receives, exactly as the template's RedrivePolicy says.

Fault runs: LOCALRT_DUPLICATE_DELIVERY=1 delivers every batch twice before deleting anything, as
SQS's at-least-once delivery may; consumers must be idempotent on the envelope's event_id.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from .template import REGION, Function, Queue, SqsEventSource
from .workers import Invocation

log = logging.getLogger("localrt")


# Long polling returns as soon as a message arrives; the wait only bounds idle polling.
POLL_WAIT_SECONDS = 5


def retry_delay_seconds() -> int:
    return int(os.environ.get("LOCALRT_RETRY_DELAY_SECONDS", "1"))


def duplicate_delivery() -> bool:
    return os.environ.get("LOCALRT_DUPLICATE_DELIVERY", "") not in ("", "0", "false")


def lambda_record(message: dict, queue_arn: str) -> dict:
    """One SQS message in the shape Lambda puts in ``event["Records"]``."""
    attrs = message.get("Attributes") or {}
    record_attrs = {k: attrs[k] for k in ("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                                          "ApproximateFirstReceiveTimestamp") if k in attrs}
    for k in ("SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader"):
        if k in attrs:
            record_attrs[k] = attrs[k]
    message_attributes = {}
    for name, value in (message.get("MessageAttributes") or {}).items():
        item = {"stringListValues": [], "binaryListValues": [], "dataType": value.get("DataType", "String")}
        if "StringValue" in value:
            item["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            raw = value["BinaryValue"]
            item["binaryValue"] = base64.b64encode(raw if isinstance(raw, bytes) else raw.encode()).decode()
        message_attributes[name] = item
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": record_attrs,
        "messageAttributes": message_attributes,
        "md5OfBody": message.get("MD5OfBody"),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def failed_message_ids(source: SqsEventSource, outcome: Invocation, message_ids: list[str]) -> set[str]:
    """Which records Lambda would leave on the queue after this invocation."""
    if not outcome.ok:
        return set(message_ids)
    if not source.reports_batch_item_failures:
        return set()
    response = outcome.result
    # Lambda's rules: null/empty response or list = success; anything malformed = the whole batch failed.
    if response is None or response == {} or response == "":
        return set()
    if not isinstance(response, dict):
        return set(message_ids)
    failures = response.get("batchItemFailures")
    if not failures:
        return set()
    if not isinstance(failures, list):
        return set(message_ids)
    failed = set()
    for item in failures:
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not ident or ident not in message_ids:
            return set(message_ids)
        failed.add(ident)
    return failed


def _describe(records: list[dict]) -> tuple[list[str], list[str]]:
    names, correlations = [], []
    for r in records:
        name = (r["messageAttributes"].get("event_name") or {}).get("stringValue")
        correlation = None
        try:
            body = json.loads(r["body"])
            if isinstance(body, dict):
                name = name or body.get("event_name")
                correlation = body.get("correlation_id")
        except (ValueError, TypeError):
            pass
        names.append(name or "?")
        if correlation and correlation not in correlations:
            correlations.append(correlation)
    return names, correlations


class Poller(threading.Thread):
    def __init__(self, sqs, queue: Queue, queue_url: str, fn: Function, source: SqsEventSource,
                 invoke: Callable[[str, dict], Invocation], stopping: threading.Event):
        super().__init__(daemon=True, name=f"poll-{queue.logical_id}-{fn.logical_id}")
        self.sqs, self.queue, self.queue_url, self.fn, self.source = sqs, queue, queue_url, fn, source
        self.invoke, self.stopping = invoke, stopping
        self.busy = False  # mid-invocation: settle must wait
        self.duplicates = 0  # records delivered a second time (LOCALRT_DUPLICATE_DELIVERY)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once()
            except (BotoCoreError, ClientError) as exc:
                if self.stopping.is_set():
                    return
                log.warning("%s: polling %s failed: %s", self.fn.logical_id, self.queue.name, exc)
                self.stopping.wait(1)

    def poll_once(self) -> None:
        self.busy = False
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=min(10, self.source.batch_size),
            WaitTimeSeconds=POLL_WAIT_SECONDS,
            AttributeNames=["All"], MessageAttributeNames=["All"])
        messages = response.get("Messages") or []
        if not messages:
            return
        self.busy = True
        try:
            records = [lambda_record(m, self.queue.arn) for m in messages]
            outcome = self.invoke(self.fn.logical_id, {"Records": records})
            if duplicate_delivery():  # the second delivery's outcome decides what is deleted
                self.duplicates += len(records)
                outcome = self.invoke(self.fn.logical_id, {"Records": records})
            ids = [r["messageId"] for r in records]
            failed = failed_message_ids(self.source, outcome, ids)
            done = [r for r in records if r["messageId"] not in failed]
            retry = [r for r in records if r["messageId"] in failed]
            for chunk in _chunks(done, 10):
                self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)])
            for chunk in _chunks(retry, 10):
                self.sqs.change_message_visibility_batch(QueueUrl=self.queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": r["receiptHandle"], "VisibilityTimeout": retry_delay_seconds()}
                    for i, r in enumerate(chunk)])
            names, correlations = _describe(records)
            if not outcome.ok:
                result = f"error {outcome.error_type}: {outcome.error_message}"
            elif failed:
                result = f"{len(failed)} failed"
            else:
                result = "ok"
            log.info("%s <- %s: %d record(s) [%s]%s %s (%.0f ms)", self.fn.logical_id, self.queue.name,
                     len(records), ", ".join(names),
                     f" corr={','.join(correlations)}" if correlations else "", result, outcome.duration_ms)
        finally:
            self.busy = False


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
