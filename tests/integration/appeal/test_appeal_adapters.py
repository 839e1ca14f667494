"""The appeal adapters on moto: the table as the template declares it, SNS, SQS and Scheduler."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from testkit import tables
from testkit.clock import Clock

from appeal import bootstrap
from appeal.adapters.dynamo import DynamoAppealStore
from appeal.usecases import deciding, lodging, subjects
from kernel import aws, clock
from kernel.auth import Caller
from kernel.events import DecisionRecordedV1

UTC = UTC
TABLE = "appeal-table"
COMPANY = "0403170701"
DECIDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def create_table() -> None:
    tables.table("AppealTable", TABLE)


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        bootstrap.reset()
        create_table()
        yield
        aws.reset()
        bootstrap.reset()
    clock.set_offset(0)


@pytest.fixture
def store(aws_env) -> DynamoAppealStore:
    return DynamoAppealStore(TABLE)


@pytest.fixture
def wired(aws_env, monkeypatch):
    """The real composition root over moto, with a queue subscribed to the topic to read what is published."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="events")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    boto3.client("scheduler").create_schedule_group(Name="timers")
    for name, value in {
        "TABLE_NAME": TABLE,
        "EVENT_TOPIC_ARN": topic,
        "SCHEDULE_GROUP": "timers",
        "SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/scheduler",
        "TIMER_QUEUE_ARN": queue_arn,
    }.items():
        monkeypatch.setenv(name, value)
    return bootstrap.ports(), queue_url


def published(queue_url: str) -> list[dict]:
    messages = boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_lodging_and_deciding_over_the_real_adapters(wired):
    ports, queue_url = wired
    subjects.remember_decision(
        ports,
        None,  # the subjects read only the data
        DecisionRecordedV1(
            decision_id="dec-9",
            application_id="app-9",
            partnership_id="vpdl",
            enterprise_number=COMPANY,
            establishment_number="2123456791",
            training_code="T001",
            outcome="refused",
            decided_at=DECIDED,
        ),
    )
    Clock().at(DECIDED + timedelta(days=3))
    caller = Caller(sub="emp", role="employer", enterprise_number=COMPANY)
    appeal = lodging.lodge_appeal(ports, caller, subject_id="dec-9", grounds="motivated", correlation_id="corr")

    scheduler = boto3.client("scheduler")
    schedule = scheduler.get_schedule(Name=lodging.acknowledgement_timer(appeal.appeal_id), GroupName="timers")
    # lodged 5 March, acknowledgement due 15 March: the alarm fires at midnight in Brussels after it
    assert schedule["ScheduleExpression"] == "at(2026-03-15T23:00:00)"
    assert json.loads(schedule["Target"]["Input"])["event_name"] == "AppealAcknowledgementDue"

    deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="corr")
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=lodging.acknowledgement_timer(appeal.appeal_id), GroupName="timers")
    deciding.record_decision(ports, appeal.appeal_id, outcome="upheld", reasons=["ok"], correlation_id="corr")

    names = [m["event_name"] for m in published(queue_url)]
    assert names == ["AppealLodged", "AppealAdmissibilityDecided", "AppealDecided"]
    assert ports.store.get(appeal.appeal_id).status == "upheld"


def test_an_applications_acknowledgement_notice_costs_no_call_and_an_acts_notice_is_remembered(wired):
    """Issue 13 point 8: an application's acknowledgement names no act that can be appealed."""
    from aws_lambda_powertools import Logger

    from appeal.handlers.events import HANDLERS
    from kernel.consumer import handle_envelope
    from kernel.envelope import Envelope
    from kernel.events import NoticeIssuedV1
    from kernel.publisher import envelope_for

    calls: list[str] = []
    aws.values_client().meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    processed, logger = bootstrap.ports().processed, Logger(service="test")

    def handled(kind: str, subject_id: str) -> str:
        data = NoticeIssuedV1(notice_id=f"n-{kind}", kind=kind, subject_id=subject_id, enterprise_number=COMPANY,
                              issued_at=DECIDED, pdf_key="notices/x.pdf")
        envelope = Envelope.model_validate_json(envelope_for(data, source="test", correlation_id="c").to_json())
        return handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger)

    assert handled("acknowledgement", "app-1") == "ignored" and calls == []
    # nor does an approval, or any notice of an act no appeal lies against (CONTRACT.md: the notices
    # that carry an appeal deadline): no subject an appeal names ever reads it
    for kind in ("approval", "guidance", "recognition", "expiry", "restoration", "appeal_decision"):
        assert handled(kind, "dec-2") == "ignored" and calls == [], kind
    assert handled("refusal", "dec-1") == "handled"
    assert calls == ["TransactWriteItems"]  # the notice with its marker, which is the check
    for kind in ("mentor_ban", "revocation", "exclusion"):
        assert handled(kind, f"m-{kind}") == "handled"


def test_a_decision_and_its_reference_are_remembered_in_one_write_with_the_events_marker(wired):
    """Issue 13 point 8: the subject, its reference and the idempotency marker in one transaction;
    a copy of the event stops at the marker, and a reference another subject holds stays its own."""
    from aws_lambda_powertools import Logger

    from appeal.handlers.events import HANDLERS
    from kernel.consumer import handle_envelope
    from kernel.envelope import Envelope
    from kernel.identifiers import act_reference
    from kernel.publisher import envelope_for

    calls: list[str] = []
    aws.values_client().meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    ports, logger = bootstrap.ports(), Logger(service="test")

    def decision(decision_id: str) -> Envelope:
        data = DecisionRecordedV1(decision_id=decision_id, application_id="app-9", partnership_id="vpdl",
                                  enterprise_number=COMPANY, establishment_number="2123456791", training_code="T001",
                                  outcome="refused", decided_at=DECIDED)
        return Envelope.model_validate_json(envelope_for(data, source="test", correlation_id="c").to_json())

    first = decision("dec-7")
    assert handle_envelope(first, handlers=HANDLERS, processed=ports.processed, logger=logger) == "handled"
    assert calls == ["TransactWriteItems"]  # no check before: the marker's condition is the check
    assert ports.store.get_subject("dec-7").subject_type == "refused"
    assert ports.store.subject_for_reference(act_reference("dec-7", 2026)) == "dec-7"
    assert ports.processed.is_processed(first.event_id)
    # A copy that passed the marker check (a concurrent delivery) meets the marker in the transaction.
    calls.clear()
    assert handle_envelope(first, handlers=HANDLERS, processed=_unchecked(TABLE),
                           logger=logger) == "duplicate"
    assert calls == ["TransactWriteItems"]
    # The reference already names another subject: the subject is still remembered, the reference kept.
    ports.store.record_reference(act_reference("dec-8", 2026), "other")
    second = decision("dec-8")
    assert handle_envelope(second, handlers=HANDLERS, processed=ports.processed, logger=logger) == "handled"
    assert ports.store.get_subject("dec-8") is not None
    assert ports.store.subject_for_reference(act_reference("dec-8", 2026)) == "other"
    assert ports.processed.is_processed(second.event_id)


def _unchecked(table_name: str):
    """The service's markers, but the pre-check says 'not yet' (as for two copies at once)."""
    from kernel.processed import DynamoProcessedEvents

    class Unchecked(DynamoProcessedEvents):
        def is_processed(self, event_id: str) -> bool:
            return False

    return Unchecked(table_name)
