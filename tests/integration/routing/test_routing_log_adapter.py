"""Routing's log on moto: the routing decision and the event's idempotency marker in one write."""

from __future__ import annotations

import boto3
import pytest
from aws_lambda_powertools import Logger
from moto import mock_aws
from testkit import tables

from kernel import aws
from kernel.consumer import handle_envelope
from kernel.envelope import Envelope
from kernel.events import ApplicationSnapshot, ApplicationSubmittedV1
from kernel.publisher import envelope_for
from routing import bootstrap

TABLE = "routing-table"


@pytest.fixture
def wired(monkeypatch):
    tables.offline_credentials(monkeypatch)
    with mock_aws():
        aws.reset()
        bootstrap.reset()
        tables.table("RoutingTable", TABLE)
        topic = boto3.client("sns").create_topic(Name="events")["TopicArn"]
        monkeypatch.setenv("TABLE_NAME", TABLE)
        monkeypatch.setenv("EVENT_TOPIC_ARN", topic)
        yield
        aws.reset()
        bootstrap.reset()


def test_a_routed_application_costs_the_publish_and_one_write(wired):
    """Issue 13 point 8: the log's write carries the marker (it comes after the publish, so a crash
    in between publishes the same event id again instead of losing the routing), and its condition
    on the marker is the duplicate check: no read before it. A copy re-publishes the same event id
    (consumers drop it) and stops at that write."""
    from routing.handlers.events import HANDLERS

    calls: list[str] = []
    aws.values_client().meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    data = ApplicationSubmittedV1(application=ApplicationSnapshot(
        application_id="app-1", enterprise_number="0403170701", establishment_number="2123456791",
        training_code="ruwbouw-duaal", kind="new", company={"name": "Bouw NV", "joint_committee": "124"},
        submitted_at="2026-11-26T10:00:00Z", decision_due="2026-12-10", policy_version="p-1"))
    envelope = Envelope.model_validate_json(envelope_for(data, source="intake", correlation_id="c").to_json())
    processed = bootstrap.processed_events()
    assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=Logger(service="t")) == "handled"
    assert calls == ["TransactWriteItems"]
    assert processed.is_processed(envelope.event_id)
    item = aws.table(TABLE).get_item(Key={"pk": "ROUTED#app-1", "sk": "DECISION"})["Item"]
    assert item["partnership_id"] == "construction"
    calls.clear()
    assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=Logger(service="t")) == "duplicate"
    assert calls == ["TransactWriteItems"]  # the copy wrote nothing
    assert aws.table(TABLE).get_item(Key={"pk": "ROUTED#app-1", "sk": "DECISION"})["Item"] == item
