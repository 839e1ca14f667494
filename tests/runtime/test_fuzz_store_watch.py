"""make fuzz's check that no request leaves a stored change without its event (tools/fuzz_hostile.py),
on fakes of the runtime's DynamoDB and the audit queue: it must be able to fail."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from fuzz_hostile import StoreWatch, hostile_probes  # noqa: E402


class FakeRuntime:
    def __init__(self) -> None:
        self.tables = {"leerwerkplek-IntakeTable": [], "leerwerkplek-ReviewTable": []}
        self.messages: list[str] = []
        self.settled = 0

    def client(self, service):
        return {"dynamodb": _Dynamo(self), "sqs": _Sqs(self), "sns": _Sns()}[service]

    def topic_arn(self, logical_id):
        return "arn:topic"

    def settle(self, timeout):
        self.settled += 1


class _Dynamo:
    def __init__(self, rt):
        self.rt = rt

    def list_tables(self):
        return {"TableNames": list(self.rt.tables)}

    def scan(self, TableName, **_):
        return {"Items": list(self.rt.tables[TableName])}


class _Sqs:
    def __init__(self, rt):
        self.rt = rt

    def create_queue(self, QueueName):
        return {"QueueUrl": "q"}

    def get_queue_attributes(self, **_):
        return {"Attributes": {"QueueArn": "arn:q"}}

    def receive_message(self, **_):
        batch, self.rt.messages = self.rt.messages[:10], self.rt.messages[10:]
        return {"Messages": [{"Body": json.dumps({"event_id": m}), "ReceiptHandle": m} for m in batch]}

    def delete_message_batch(self, **_):
        pass


class _Sns:
    def subscribe(self, **_):
        pass


ROUTE = "POST /applications/{application_id}/messages"


def test_a_refused_request_that_changed_its_table_is_reported():
    rt = FakeRuntime()
    watch = StoreWatch(rt)
    before = watch.before(ROUTE)
    assert set(before) == {"leerwerkplek-IntakeTable"}  # the route's own service's table
    rt.tables["leerwerkplek-IntakeTable"].append({"pk": {"S": "half-done"}})
    assert watch.after(ROUTE, 422, before) == "refused (422) but changed leerwerkplek-IntakeTable"


def test_a_refused_request_that_published_is_reported_but_a_re_sent_event_is_not():
    rt = FakeRuntime()
    watch = StoreWatch(rt)
    rt.messages.append("old")
    before = watch.before(ROUTE)  # the first look settles and learns what is on the bus already
    rt.messages += ["old", "new"]
    assert watch.after(ROUTE, 409, before) == "refused (409) but published 1 new event(s)"


def test_a_success_that_stored_without_its_event_is_reported_and_one_with_it_is_not():
    rt = FakeRuntime()
    watch = StoreWatch(rt)
    before = watch.before(ROUTE)
    rt.tables["leerwerkplek-IntakeTable"].append({"pk": {"S": "answer"}})
    assert watch.after(ROUTE, 201, before) == "stored a change in leerwerkplek-IntakeTable without its event"
    before = watch.before(ROUTE)
    assert rt.settled == 2  # consumers were let to finish before the next request
    rt.tables["leerwerkplek-IntakeTable"].append({"pk": {"S": "answer-2"}})
    rt.messages.append("QuestionAnswered-2")
    assert watch.after(ROUTE, 201, before) is None
    # A draft's change announces nothing by design.
    before = watch.before("PATCH /applications/{application_id}")
    rt.tables["leerwerkplek-IntakeTable"].append({"pk": {"S": "draft"}})
    assert watch.after("PATCH /applications/{application_id}", 200, before) is None


def test_the_hostile_probes_send_every_declared_media_type_and_refuse_the_others():
    probes = {
        p.name: p
        for p in hostile_probes("PATCH", {"kind": "new"}, ["application/json", "application/merge-patch+json"])
    }
    assert probes["content-type application/merge-patch+json"].status is None
    assert probes["content-type application/json-patch+json"].status == 415
    post = {p.name: p for p in hostile_probes("POST", {"kind": "new"}, ["application/json"])}
    assert post["content-type application/merge-patch+json"].status == 415
    assert post["nested 1,000 deep"].status == 400 and post["11 KB of headers"].status == 431
