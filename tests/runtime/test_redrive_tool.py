"""tools/redrive.py on the fixture topology: a message parked in a DLQ is shown, moved back to its
source queue and processed there; a dry run leaves it where it is."""

from __future__ import annotations

import io
import json
import sys
import uuid
from pathlib import Path

import pytest

from localrt import LocalRuntime

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(ROOT / "tools"))

import redrive  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    with LocalRuntime(template_path=FIXTURES / "template.yaml", port=0, quiet=True) as runtime:
        yield runtime


def park(rt, dlq: str, event_name: str) -> str:
    """A message as moto's redrive leaves it in a DLQ: the envelope and its event_name attribute."""
    event_id = f"ev-{uuid.uuid4().hex[:10]}"
    rt.client("sqs").send_message(
        QueueUrl=rt.queue_url(dlq),
        MessageBody=json.dumps({"event_id": event_id, "event_name": event_name, "correlation_id": "corr-1"}),
        MessageAttributes={"event_name": {"DataType": "String", "StringValue": event_name}})
    return event_id


def depth(rt, logical_id: str) -> int:
    attrs = rt.client("sqs").get_queue_attributes(QueueUrl=rt.queue_url(logical_id), AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return sum(int(v) for v in attrs.values())


def run(rt, *args: str) -> tuple[dict[str, int], str]:
    pairs = redrive.pairs_from_template(FIXTURES / "template.yaml")
    sqs = redrive.local_sqs(rt.endpoint_url)
    redrive.resolve_local(sqs, pairs)
    out = io.StringIO()
    found = redrive.redrive(sqs, pairs, dry_run="--dry-run" in args, aws=False, out=out)
    return found, out.getvalue()


def test_the_template_pairs_each_consumer_queue_with_its_dlq():
    pairs = {(p.source, p.dlq) for p in redrive.pairs_from_template(FIXTURES / "template.yaml")}
    assert pairs == {("QueueA", "QueueADeadLetterQueue"), ("QueueB", "QueueBDeadLetterQueue")}


def test_a_dry_run_shows_the_parked_message_and_leaves_it_there(rt):
    event_id = park(rt, "QueueBDeadLetterQueue", "Beta")
    found, shown = run(rt, "--dry-run")
    assert found["QueueBDeadLetterQueue"] == 1
    assert f"event_id={event_id}" in shown and "correlation_id=corr-1" in shown and "Beta" in shown
    assert depth(rt, "QueueBDeadLetterQueue") == 1
    rt.client("sqs").purge_queue(QueueUrl=rt.queue_url("QueueBDeadLetterQueue"))


def test_a_parked_message_goes_back_to_its_source_queue_and_is_processed(rt):
    event_id = park(rt, "QueueADeadLetterQueue", "Alpha")
    found, shown = run(rt)
    assert found == {"QueueADeadLetterQueue": 1, "QueueBDeadLetterQueue": 0}
    assert "moved 1 message(s) to QueueA" in shown
    rt.settle(timeout=30)
    assert depth(rt, "QueueADeadLetterQueue") == 0
    item = rt.client("dynamodb").get_item(TableName="ObservationsTable", Key={"pk": {"S": f"A#{event_id}"}})
    assert int(item["Item"]["invocations"]["N"]) == 1
    record = json.loads(item["Item"]["record"]["S"])
    assert record["messageAttributes"]["event_name"]["stringValue"] == "Alpha"


def test_the_tool_finds_a_runtime_through_its_runtime_file(rt, tmp_path, monkeypatch):
    runtime_file = tmp_path / "runtime.json"
    runtime_file.write_text(json.dumps({"url": rt.url, "endpoint_url": rt.endpoint_url}))
    monkeypatch.setattr(redrive, "RUNTIME_FILE", runtime_file)
    monkeypatch.delenv("LOCALRT_ENDPOINT_URL", raising=False)
    assert redrive.main(["--dry-run", "--template", str(FIXTURES / "template.yaml")]) == 0
