"""`make redrive`: show what sits in each dead-letter queue and move it back to its source queue.

Which DLQ belongs to which queue is the template's RedrivePolicy (read through localrt's loader). The
timer DLQ (the TIMER_DEAD_LETTER_ARN of the functions that schedule) holds timers the scheduler could
not deliver: each goes back to the queue its TARGET_ARN attribute names.
By default it works on the running local runtime (`make run` writes .local/runtime.json); with
``--aws --stack NAME`` on a deployed stack (physical queues from CloudFormation). ``--dry-run``
only shows. Fix the cause of the failures first: a message moved back into a consumer that still
fails returns to the DLQ after maxReceiveCount receives.

    python tools/redrive.py [--dry-run] [--queue IntakeQueue] [--endpoint-url URL]
    python tools/redrive.py --aws --stack leerwerkplek [--region eu-west-1] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "infra") not in sys.path:
    sys.path.insert(0, str(ROOT / "infra"))

from localrt.template import REGION, load_template  # noqa: E402

RUNTIME_FILE = ROOT / ".local" / "runtime.json"
PEEK_VISIBILITY_SECONDS = 30  # long enough to read a DLQ through; made visible again after a dry run


@dataclass
class Pair:
    source: str  # logical ids
    dlq: str
    source_url: str = ""
    dlq_url: str = ""
    source_arn: str = ""
    dlq_arn: str = ""


def pairs_from_template(template: Path) -> list[Pair]:
    tpl = load_template(template)
    return [Pair(q.logical_id, tpl.queue_by_arn(q.redrive_policy["deadLetterTargetArn"]).logical_id)
            for q in tpl.queues if q.redrive_policy]


@dataclass
class TimerQueue:
    dlq: str  # logical id of the timer DLQ
    targets: dict[str, str]  # target queue ARN as the scheduler names it -> that queue's logical id
    dlq_url: str = ""
    target_urls: dict[str, str] | None = None  # target ARN -> URL


def timer_queues(template: Path) -> list[TimerQueue]:
    """The timer DLQs of the template, each with the queues its timers may target."""
    tpl = load_template(template)
    dlqs = {fn.env["TIMER_DEAD_LETTER_ARN"] for fn in tpl.functions if fn.env.get("TIMER_DEAD_LETTER_ARN")}
    targets = {q.arn: q.logical_id for q in tpl.queues if q.arn not in dlqs}
    return [TimerQueue(tpl.queue_by_arn(arn).logical_id, targets) for arn in sorted(dlqs)]


def redrive_timers(sqs, timers: list[TimerQueue], *, dry_run: bool, out=sys.stdout) -> dict[str, int]:
    """Shows and (unless dry_run) sends every parked timer to its target queue; returns DLQ -> count."""
    found: dict[str, int] = {}
    now = time.time()
    for timer in timers:
        url = timer.dlq_url or sqs.get_queue_url(QueueName=timer.dlq)["QueueUrl"]
        urls = timer.target_urls or {
            arn: sqs.get_queue_url(QueueName=name)["QueueUrl"] for arn, name in timer.targets.items()
        }
        messages = read_all(sqs, url)
        found[timer.dlq] = len(messages)
        print(f"{timer.dlq} -> each timer's target: {len(messages)} message(s)", file=out)
        unknown = []
        for m in messages:
            attrs = {k: v.get("StringValue") for k, v in (m.get("MessageAttributes") or {}).items()}
            target = attrs.get("TARGET_ARN")
            print(f"{describe(m, now)} target={target} error={attrs.get('ERROR_CODE')}", file=out)
            if target not in urls:
                unknown.append(m)
            elif not dry_run:
                # The timer's own envelope, as the scheduler would have delivered it (no attributes).
                sqs.send_message(QueueUrl=urls[target], MessageBody=m["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if dry_run:
            release(sqs, url, messages)
        else:
            release(sqs, url, unknown)
            print(f"  sent {len(messages) - len(unknown)} timer(s) to their targets", file=out)
        for m in unknown:
            print(f"  left in {timer.dlq}: {m['MessageId']} names no queue of the template as its target", file=out)
    return found


def describe(message: dict, now: float) -> str:
    attrs = message.get("Attributes") or {}
    try:
        envelope = json.loads(message["Body"])
        if not isinstance(envelope, dict):
            envelope = {}
    except ValueError:
        envelope = {}
    sent = int(attrs.get("SentTimestamp", "0")) / 1000
    age = f"{(now - sent) / 3600:.1f} h" if sent else "?"
    return (
        f"    {envelope.get('event_name', '?'):<32} event_id={envelope.get('event_id', '?')} "
        f"correlation_id={envelope.get('correlation_id', '?')} "
        f"receives={attrs.get('ApproximateReceiveCount', '?')} age={age}"
    )


def read_all(sqs, url: str, limit: int = 1000) -> list[dict]:
    """Every message of a DLQ, each received once (invisible for PEEK_VISIBILITY_SECONDS)."""
    messages: list[dict] = []
    while len(messages) < limit:
        batch = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=0,
            VisibilityTimeout=PEEK_VISIBILITY_SECONDS,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            break
        messages += batch
    return messages


def release(sqs, url: str, messages: list[dict]) -> None:
    """Makes read messages visible again, where they were."""
    for i in range(0, len(messages), 10):
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for n, m in enumerate(messages[i : i + 10])
            ],
        )


def move_by_hand(sqs, pair: Pair, messages: list[dict]) -> int:
    """Send each message to the source queue (body and attributes as they were), then delete it
    from the DLQ: a crash in between leaves a copy, which consumers drop by event_id."""
    for m in messages:
        attributes = {
            k: {kk: vv for kk, vv in v.items() if kk in ("DataType", "StringValue", "BinaryValue")}
            for k, v in (m.get("MessageAttributes") or {}).items()
        }
        sqs.send_message(QueueUrl=pair.source_url, MessageBody=m["Body"], MessageAttributes=attributes)
        sqs.delete_message(QueueUrl=pair.dlq_url, ReceiptHandle=m["ReceiptHandle"])
    return len(messages)


def redrive(sqs, pairs: list[Pair], *, dry_run: bool, aws: bool, out=sys.stdout) -> dict[str, int]:
    """Shows and (unless dry_run) moves every DLQ's messages; returns DLQ logical id -> count."""
    found: dict[str, int] = {}
    now = time.time()
    for pair in pairs:
        messages = read_all(sqs, pair.dlq_url)
        found[pair.dlq] = len(messages)
        print(f"{pair.dlq} -> {pair.source}: {len(messages)} message(s)", file=out)
        for m in messages:
            print(describe(m, now), file=out)
        if not messages:
            continue
        if dry_run:
            release(sqs, pair.dlq_url, messages)
        elif aws:  # SQS moves them itself, at a bounded rate, and keeps their attributes
            release(sqs, pair.dlq_url, messages)
            task = sqs.start_message_move_task(SourceArn=pair.dlq_arn, DestinationArn=pair.source_arn)
            print(f"  move task started: {task['TaskHandle']}", file=out)
        else:  # moto has no StartMessageMoveTask
            print(f"  moved {move_by_hand(sqs, pair, messages)} message(s) to {pair.source}", file=out)
    return found


# ------------------------------------------------------------------ where the queues are
def local_sqs(endpoint_url: str | None):
    import boto3

    if not endpoint_url:
        endpoint_url = os.environ.get("LOCALRT_ENDPOINT_URL")
    if not endpoint_url and RUNTIME_FILE.exists():
        endpoint_url = json.loads(RUNTIME_FILE.read_text(encoding="utf-8"))["endpoint_url"]
    if not endpoint_url:
        raise SystemExit(
            "redrive: no local runtime found (.local/runtime.json); start `make run`, "
            "or pass --endpoint-url, or --aws --stack NAME"
        )
    return boto3.client(
        "sqs",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
    )


def resolve_local(sqs, pairs: list[Pair]) -> None:
    for pair in pairs:  # local physical names are the logical ids (localrt/template.py)
        pair.source_url = sqs.get_queue_url(QueueName=pair.source)["QueueUrl"]
        pair.dlq_url = sqs.get_queue_url(QueueName=pair.dlq)["QueueUrl"]


def resolve_aws(session, stack: str, pairs: list[Pair]) -> None:
    """Physical queue URLs from the stack; ARNs from the queues themselves."""
    cfn, sqs = session.client("cloudformation"), session.client("sqs")
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack)
        for r in page["StackResourceSummaries"]
    }
    for pair in pairs:
        pair.source_url, pair.dlq_url = physical[pair.source], physical[pair.dlq]
        pair.source_arn, pair.dlq_arn = (
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            for url in (pair.source_url, pair.dlq_url)
        )


def resolve_aws_timers(session, stack: str, timers: list[TimerQueue]) -> None:
    """On AWS a timer names its target by the physical queue ARN."""
    cfn, sqs = session.client("cloudformation"), session.client("sqs")
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack)
        for r in page["StackResourceSummaries"]
    }
    for timer in timers:
        timer.dlq_url = physical[timer.dlq]
        timer.target_urls = {
            sqs.get_queue_attributes(QueueUrl=physical[name], AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]: physical[name]
            for name in timer.targets.values()
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="only show what is in the DLQs")
    parser.add_argument("--queue", action="append", help="only this source queue or timer DLQ (logical id); repeatable")
    parser.add_argument("--template", default=str(ROOT / "infra" / "template.yaml"))
    parser.add_argument("--endpoint-url", help="moto of a local runtime (default: .local/runtime.json)")
    parser.add_argument("--aws", action="store_true", help="a deployed stack instead of the local runtime")
    parser.add_argument("--stack", help="the CloudFormation stack name (with --aws)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", REGION))
    args = parser.parse_args(argv)

    pairs = [p for p in pairs_from_template(Path(args.template)) if not args.queue or p.source in args.queue]
    timers = [t for t in timer_queues(Path(args.template)) if not args.queue or t.dlq in args.queue]
    if args.aws:
        if not args.stack:
            parser.error("--aws needs --stack NAME")
        import boto3

        session = boto3.session.Session(region_name=args.region)
        resolve_aws(session, args.stack, pairs)
        resolve_aws_timers(session, args.stack, timers)
        sqs = session.client("sqs")
    else:
        sqs = local_sqs(args.endpoint_url)
        resolve_local(sqs, pairs)
    found = redrive(sqs, pairs, dry_run=args.dry_run, aws=args.aws)
    found.update(redrive_timers(sqs, timers, dry_run=args.dry_run))
    total = sum(found.values())
    verb = "found" if args.dry_run else "redriven"
    print(f"redrive: {total} message(s) {verb} in {sum(1 for n in found.values() if n)} of {len(found)} DLQ(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
