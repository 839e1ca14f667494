"""AWS API calls per application lifecycle, counted inside the function workers.

A lifecycle: the employer creates the application, registers and uploads the extract, submits;
routing routes it; the partnership opens the file, downloads the extract and approves; the
decision notice goes out. LIFECYCLES applications go through it one after another with the
runtime settled in between, so nothing else (no polling) is counted. The employer makes no other
request, so the intake API's calls are intake's figure: calls per submitted application.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import counters
from client import Api, Employer, Partnership

LIFECYCLES = int(os.environ.get("BENCH_LIFECYCLES", "10"))


def _feed_messages(rt: Any) -> int:
    """Messages waiting on queues no function consumes (the partnerships' feeds, DLQs)."""
    consumed = {q.arn for q in rt.template.consumer_queues}
    sqs = rt.client("sqs")
    total = 0
    for q in rt.template.queues:
        if q.arn not in consumed:
            attrs = sqs.get_queue_attributes(QueueUrl=rt.queue_urls[q.arn],
                                             AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
            total += int(attrs["ApproximateNumberOfMessages"])
    return total


def run(rt: Any, api: Api, directory: Path) -> dict[str, Any]:
    partnership = Partnership(api)
    before = counters.snapshot(directory, rt)
    feeds_before, api_before = _feed_messages(rt), (api.api_requests, api.s3_puts, api.s3_gets)
    for _ in range(LIFECYCLES):
        app_id = Employer(api).file()
        rt.settle(timeout=60)
        partnership.read_file(app_id)
        if not partnership.approve(app_id):
            raise RuntimeError(f"{app_id} is not in the partnership's queue after settling")
        rt.settle(timeout=60)
    per_function = counters.difference(counters.snapshot(directory, rt), before)
    return {
        "lifecycles": LIFECYCLES,
        "per_function": per_function,
        "api_requests": api.api_requests - api_before[0],
        "s3_presigned_puts": api.s3_puts - api_before[1],
        "s3_presigned_gets": api.s3_gets - api_before[2],
        "feed_messages": _feed_messages(rt) - feeds_before,
    }
