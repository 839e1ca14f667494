"""The review adapters on moto: the table as the template declares it, S3 links, Scheduler."""

from __future__ import annotations

import threading
from datetime import timedelta

import boto3
import pytest
from moto import mock_aws
from testkit import tables

from kernel import aws, clock
from kernel.auth import Caller
from kernel.errors import Conflict
from kernel.events import ApplicationRoutedV1, ApplicationSnapshot, RoutingOutcome
from kernel.publisher import InMemoryPublisher, envelope_for
from kernel.timers import SchedulerTimers
from review.adapters.documents import S3DocumentLinks
from review.adapters.dynamo import DynamoReviewRepository
from review.adapters.memory import InMemoryReviewRepository
from review.usecases import deciding, files, measures, register, reviewing
from review.usecases.ports import Ports, RecognitionFilter, RegisterFilter

TABLE = "review-table"
ENTERPRISE, ESTABLISHMENT, TRAINING = "0403170701", "2123456791", "keukenmedewerker-duaal"
HORECA = Caller(sub="u1", role="partnership", partnership_id="horeca")


def create_table() -> None:
    tables.table("ReviewTable", TABLE)


class RecordingTimers:
    def __init__(self) -> None:
        self.scheduled: dict[str, object] = {}
        self.lock = threading.Lock()

    def schedule(self, name, at, envelope):
        with self.lock:
            self.scheduled.setdefault(name, envelope)

    def cancel(self, name):
        with self.lock:
            self.scheduled.pop(name, None)


@pytest.fixture
def ports(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        create_table()
        boto3.client("s3").create_bucket(Bucket="docs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield Ports(repo=DynamoReviewRepository(TABLE), publisher=InMemoryPublisher(), timers=RecordingTimers(),
                    links=S3DocumentLinks("docs"), supervisor_id="vpdl")
        aws.reset()


def open_file(ports, **overrides) -> str:
    snapshot = ApplicationSnapshot.model_validate({
        "application_id": f"app-{len(ports.publisher.published)}-{clock.now().timestamp()}",
        "enterprise_number": ENTERPRISE, "establishment_number": ESTABLISHMENT, "training_code": TRAINING,
        "kind": "new", "company": {"name": "Brasserie", "address": {"postal_code": "9000", "city": "Gent"}},
        "mentors": [{"first_name": "Jan", "last_name": "J", "national_register_number": "80031512361"}],
        "documents": [{"id": "d1", "type": "criminal_record_extract", "filename": "x.pdf",
                       "content_type": "application/pdf", "size_bytes": 3, "key": "applications/a/d1"}],
        "submitted_at": clock.now(), "decision_due": clock.today() + timedelta(days=14), **overrides,
    })
    data = ApplicationRoutedV1(application_id=snapshot.application_id, partnership_id="horeca",
                               routing=RoutingOutcome(partnership_id="horeca", rule="joint_committee"),
                               decision_due=snapshot.decision_due, application=snapshot)
    files.open_file(ports, envelope_for(data, source="routing", correlation_id="c"), data)
    return snapshot.application_id


class RacingRepository(DynamoReviewRepository):
    """Holds every decider at the write until all have read the file: a true race on the condition."""

    def __init__(self, table_name: str, parties: int) -> None:
        super().__init__(table_name)
        self.barrier = threading.Barrier(parties, timeout=10)

    def record_decision(self, *args, **kwargs):
        self.barrier.wait()
        return super().record_decision(*args, **kwargs)


def test_two_concurrent_deciders_get_one_201_and_one_409(ports):
    application_id = open_file(ports)
    racing = Ports(repo=RacingRepository(TABLE, 2), publisher=ports.publisher, timers=ports.timers,
                   supervisor_id="vpdl")
    statuses: list[int] = []
    lock = threading.Lock()

    def decide(outcome: str) -> None:
        try:
            deciding.decide(racing, HORECA, application_id, outcome, ["reason"], "c")
            status = 201
        except Conflict as exc:
            status = exc.status
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=decide, args=(o,)) for o in ("approved", "refused")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409]
    # The loser may re-announce the winner's decision while it is still being published: the same
    # event id, which every consumer drops; what counts is one distinct decision on the bus.
    assert len({e.event_id for e in ports.publisher.published if e.event_name == "DecisionRecorded"}) == 1
    file = ports.repo.get_file(application_id).item
    assert file.status in ("approved", "refused") and file.decision is not None


def test_files_queue_and_register_round_trip_through_the_table(ports):
    application_id = open_file(ports)
    assert [i["application_id"] for i in reviewing.queue(ports, "horeca", None)] == [application_id]
    decided = deciding.decide(ports, HORECA, application_id, "approved", [], "c")
    assert ports.repo.decision_file(decided["decision_id"]).application_id == application_id
    answer = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=None)
    assert answer["recognized"] is True and answer["recognition_id"] == decided["recognition_id"]
    where = RegisterFilter(training_code=TRAINING, postal_code="9000", enterprise_number=ENTERPRISE)
    assert len(register.register(ports.repo, where=where)["items"]) == 1
    page = ports.repo.recognitions_page(RecognitionFilter("horeca"), clock.today(), 50, None)
    assert [r.recognition_id for r in page.recognitions] == [decided["recognition_id"]] and page.next_cursor is None


def test_an_exclusion_is_kept_and_revokes_through_the_table(ports):
    rid = deciding.decide(ports, HORECA, open_file(ports), "approved", [], "c")["recognition_id"]
    exclusion = measures.ImposeMeasure(type="exclusion", reason="r", given={"scope": "enterprise"})
    measures.impose(ports, HORECA, rid, exclusion, "c")
    assert ports.repo.get_recognition(rid).item.revoked_on == clock.today()
    [exclusion] = ports.repo.exclusions(ENTERPRISE)
    assert exclusion.scope == "enterprise" and exclusion.until is None
    with pytest.raises(Conflict):
        deciding.decide(ports, HORECA, open_file(ports), "approved", [], "c")


def test_download_links_are_presigned_for_five_minutes_and_logged(ports):
    application_id = open_file(ports)
    view = reviewing.full_file(ports, HORECA, application_id)
    url = view["documents"][0]["download_url"]
    assert "applications/a/d1" in url and "X-Amz-Expires=300" in url
    [entry] = ports.repo.access_log(application_id)
    assert entry["document_id"] == "d1" and entry["sub"] == "u1"


def test_overdue_files_are_found_for_the_supervisor(ports):
    application_id = open_file(ports)
    current = ports.repo.get_file(application_id)
    ports.repo.save_file(current.item.model_copy(update={"deadline_missed": True}), current.version)
    assert [e.application_id for e in ports.repo.overdue_entries()] == [application_id]
    assert [i["application_id"] for i in reviewing.queue(ports, "vpdl", "overdue")] == [application_id]


def test_scheduler_timers_are_created_and_cancelled_by_name(ports):
    scheduler = boto3.client("scheduler")
    scheduler.create_schedule_group(Name="timers")
    timers = SchedulerTimers(
        "timers", "arn:aws:iam::123456789012:role/scheduler", "arn:aws:sqs:eu-west-1:123456789012:review"
    )
    real = Ports(repo=ports.repo, publisher=ports.publisher, timers=timers)
    application_id = open_file(real)
    names = {s["Name"] for s in scheduler.list_schedules(GroupName="timers")["Schedules"]}
    assert names == {f"review-warn-{application_id}"[:64]}  # one at a time: the warning sets the next
    files.withdraw_file(real, None, type("W", (), {"application_id": application_id, "partnership_id": "horeca"})())
    assert scheduler.list_schedules(GroupName="timers")["Schedules"] == []


def test_a_timer_the_scheduler_cannot_deliver_goes_to_the_timer_dead_letter_queue(ports):
    """Without DeadLetterConfig the scheduler drops the envelope after its 24 hours of retries."""
    scheduler = boto3.client("scheduler")
    scheduler.create_schedule_group(Name="timers")
    dlq = "arn:aws:sqs:eu-west-1:123456789012:timers-dlq"
    timers = SchedulerTimers(
        "timers",
        "arn:aws:iam::123456789012:role/scheduler",
        "arn:aws:sqs:eu-west-1:123456789012:review",
        dead_letter_arn=dlq,
    )
    application_id = open_file(Ports(repo=ports.repo, publisher=ports.publisher, timers=timers))
    target = scheduler.get_schedule(Name=f"review-warn-{application_id}"[:64], GroupName="timers")["Target"]
    assert target["DeadLetterConfig"] == {"Arn": dlq}
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}


@pytest.fixture(params=["dynamodb", "memory"])
def either(request, ports):
    """The same expectations of the DynamoDB adapter and of its in-memory fake."""
    if request.param == "dynamodb":
        return ports
    return Ports(repo=InMemoryReviewRepository(), publisher=ports.publisher, timers=ports.timers,
                 links=ports.links, supervisor_id="vpdl")


def test_the_queue_reads_entries_by_status_and_the_recognitions_come_in_pages(either):
    opened = open_file(either)
    decided = [open_file(either, establishment_number=e) for e in ("2123456890", "2123456989", "2123456791")]
    granted = [deciding.decide(either, HORECA, a, "approved", [], "c")["recognition_id"] for a in decided]
    assert [e.application_id for e in either.repo.queue_entries("horeca", "in_review")] == [opened]
    assert {e.application_id for e in either.repo.queue_entries("horeca", "approved")} == set(decided)
    assert len(either.repo.queue_entries("horeca")) == 4 and either.repo.queue_entries("other") == []
    where = RecognitionFilter("horeca")
    first = either.repo.recognitions_page(where, clock.today(), 2, None)
    second = either.repo.recognitions_page(where, clock.today(), 2, first.next_cursor)
    assert len(first.recognitions) == 2 and first.next_cursor and second.next_cursor is None
    assert {r.recognition_id for r in first.recognitions + second.recognitions} == set(granted)
    assert either.repo.recognitions_page(RecognitionFilter("horeca", "revoked"), clock.today(), 2, None
                                         ).recognitions == []


def test_a_file_stored_before_its_queue_entry_still_shows_in_the_queue(ports):
    application_id = open_file(ports)
    ports.repo._table.update_item(Key={"pk": f"APP#{application_id}", "sk": "FILE"}, UpdateExpression="REMOVE #q",
                                  ExpressionAttributeNames={"#q": "queue"})
    assert [i["application_id"] for i in reviewing.queue(ports, "horeca", None)] == [application_id]


def test_a_routed_event_opens_the_file_and_writes_its_marker_in_one_transaction(ports, monkeypatch):
    from aws_lambda_powertools import Logger

    from kernel.consumer import handle_envelope
    from kernel.envelope import Envelope
    from kernel.processed import DynamoProcessedEvents
    from review import bootstrap
    from review.handlers.events import HANDLERS

    snapshot = ApplicationSnapshot.model_validate({
        "application_id": "app-marker", "enterprise_number": ENTERPRISE, "establishment_number": ESTABLISHMENT,
        "training_code": TRAINING, "kind": "new", "submitted_at": clock.now(),
        "decision_due": clock.today() + timedelta(days=14)})
    data = ApplicationRoutedV1(application_id="app-marker", partnership_id="horeca",
                               routing=RoutingOutcome(partnership_id="horeca", rule="joint_committee"),
                               decision_due=snapshot.decision_due, application=snapshot)
    envelope = Envelope.model_validate_json(envelope_for(data, source="routing", correlation_id="c").to_json())
    processed = DynamoProcessedEvents(TABLE)
    client = ports.repo._client()
    calls: list[str] = []
    client.meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    bootstrap.override(ports, processed=processed)
    try:
        logger = Logger(service="test")
        assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger) == "handled"
        assert calls == ["TransactWriteItems"]  # the file with its marker, which is the check
        assert processed.is_processed(envelope.event_id) and ports.repo.get_file("app-marker") is not None
        assert len(ports.timers.scheduled) == 1  # the warning; it sets the missed timer when it fires
        calls.clear()
        assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger) == "duplicate"
        assert calls == ["TransactWriteItems"]  # a copy stops at the marker in that transaction
        # and so does a concurrent copy
        monkeypatch.setattr(processed, "is_processed", lambda event_id: False)
        assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger) == "duplicate"
    finally:
        bootstrap.reset()


def test_an_approval_is_announced_in_one_publish_batch_after_two_table_writes(ports):
    """Issue 13 point 8: DecisionRecorded and RecognitionGranted in one SNS PublishBatch."""
    import dataclasses

    from kernel.publisher import SnsEventPublisher

    topic = boto3.client("sns").create_topic(Name="events")["TopicArn"]
    application_id = open_file(ports)
    calls: list[str] = []
    aws.client("sns").meta.events.register("before-call.sns", lambda model, **_: calls.append(model.name))
    ports.repo._client().meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    deciding.decide(dataclasses.replace(ports, publisher=SnsEventPublisher(topic)), HORECA, application_id,
                    "approved", [], "c")
    assert calls.count("PublishBatch") == 1 and "Publish" not in calls
    assert [c for c in calls if c.startswith("Transact")] == ["TransactWriteItems", "TransactWriteItems"]
