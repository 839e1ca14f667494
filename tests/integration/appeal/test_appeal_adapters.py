"""The appeal adapters on moto: the table as the template declares it, SNS, SQS and Scheduler."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from testkit import tables
from testkit.clock import Clock

from appeal import bootstrap, reactions, service
from appeal.adapters.dynamo import DynamoAppealStore
from appeal.domain.subjects import Notice
from kernel import aws, clock
from kernel.auth import Caller
from kernel.errors import Conflict
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
        bootstrap.ports.cache_clear()
        create_table()
        yield
        aws.reset()
        bootstrap.ports.cache_clear()
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


def remember_refusal(store, decision_id="dec-1") -> None:
    store.record_subject(
        decision_id,
        kind="decision",
        subject_type="refused",
        enterprise_number=COMPANY,
        partnership_id="vpdl",
        decided_at=DECIDED,
    )


def test_subject_facts_and_notices_merge_in_any_order(store):
    store.record_notice("dec-1", Notice("n-1", DECIDED, date(2026, 3, 12)))
    assert store.get_subject("dec-1") is None
    remember_refusal(store)
    remember_refusal(store)  # a redelivery changes nothing
    store.record_notice("dec-1", Notice("n-2", DECIDED + timedelta(days=1), date(2026, 3, 13)))
    subject = store.get_subject("dec-1")
    assert (subject.kind, subject.subject_type, subject.enterprise_number) == ("decision", "refused", COMPANY)
    assert subject.decided_at == DECIDED
    assert subject.notice == Notice("n-1", DECIDED, date(2026, 3, 12))


@pytest.mark.parametrize("make", ["dynamo", "memory"])
def test_a_reference_names_one_subject_for_good(store, make):
    from appeal.adapters.store import InMemoryAppealStore

    under_test = store if make == "dynamo" else InMemoryAppealStore()
    assert under_test.subject_for_reference("DL-2027-0123456789") is None
    under_test.record_reference("DL-2027-0123456789", "dec-1")
    under_test.record_reference("DL-2027-0123456789", "dec-2")  # a replay of another subject changes nothing
    assert under_test.subject_for_reference("DL-2027-0123456789") == "dec-1"


def test_an_appeal_round_trips_and_holds_its_subject(store):
    remember_refusal(store)
    Clock().at(DECIDED + timedelta(days=1))
    from appeal.domain.appeals import lodge
    from reference.policy import policy

    def new(appeal_id, grounds="motivated"):
        return lodge(
            appeal_id=appeal_id,
            subject=store.get_subject("dec-1"),
            enterprise_number=COMPANY,
            lodged_by="emp",
            grounds=grounds,
            now=clock.now().replace(microsecond=0),
            policy=policy().for_partnership("vpdl"),
        )

    first = new("a-1")
    store.add(first)
    assert store.get("a-1") == first
    with pytest.raises(Conflict):
        store.add(new("a-2"))
    with pytest.raises(Conflict):
        store.add(new("a-3", grounds=""))  # inadmissible at once, still refused while a-1 is open
    assert store.flag_acknowledgement_overdue("a-1") is True
    assert store.get("a-1").acknowledgement_overdue

    closed = replace(first, status="inadmissible")
    with pytest.raises(Conflict):
        store.save(closed, expected_status="admissible")
    store.save(closed, expected_status="lodged")
    assert store.flag_acknowledgement_overdue("a-1") is False
    store.add(new("a-4"))  # the subject was freed
    assert [a.appeal_id for a in store.list()] == ["a-1", "a-4"]
    assert [a.appeal_id for a in store.list("lodged")] == ["a-4"]
    # every appeal added is pending until announced (the outbox of AppealLodged)
    assert [a.appeal_id for a in store.pending("dec-1")] == ["a-1", "a-4"]
    store.announced(store.get("a-1"))
    assert [a.appeal_id for a in store.pending("dec-1")] == ["a-4"]
    assert store.get_subject("dec-1").subject_type == "refused"  # the markers sit beside the facts


def test_lodging_and_deciding_over_the_real_adapters(wired):
    ports, queue_url = wired
    reactions.remember_decision(
        ports.store,
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
    appeal = service.lodge_appeal(ports, caller, subject_id="dec-9", grounds="motivated", correlation_id="corr")

    scheduler = boto3.client("scheduler")
    schedule = scheduler.get_schedule(Name=service.acknowledgement_timer(appeal.appeal_id), GroupName="timers")
    # lodged 5 March, acknowledgement due 15 March: the alarm fires at midnight in Brussels after it
    assert schedule["ScheduleExpression"] == "at(2026-03-15T23:00:00)"
    assert json.loads(schedule["Target"]["Input"])["event_name"] == "AppealAcknowledgementDue"

    service.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="corr")
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=service.acknowledgement_timer(appeal.appeal_id), GroupName="timers")
    service.record_decision(ports, appeal.appeal_id, outcome="upheld", reasons=["ok"], correlation_id="corr")

    names = [m["event_name"] for m in published(queue_url)]
    assert names == ["AppealLodged", "AppealAdmissibilityDecided", "AppealDecided"]
    assert ports.store.get(appeal.appeal_id).status == "upheld"
