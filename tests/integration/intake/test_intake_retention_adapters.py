"""The retention job on moto: an extract uploaded several times is gone in every version, the
facts merge in the table whatever their order, and each deletion is in the access log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws
from testkit import tables
from testkit.bodies import application_body

from intake.adapters.access_log import DynamoAccessLog
from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.documents import S3DocumentStorage
from intake.adapters.projections import DynamoProjections
from intake.adapters.retention import DynamoRetentionStore
from intake.domain.requests import CreateApplication, RegisterDocument
from intake.usecases.applications import create_application
from intake.usecases.documents import register_document
from intake.usecases.ports import Ports
from intake.usecases.retention import on_purge_due
from intake.usecases.submission import submit_application
from kernel import aws, clock
from kernel.auth import Caller
from kernel.events import SensitiveDocumentsPurgeDueV1
from kernel.publisher import InMemoryPublisher, envelope_for
from kernel.timers import InMemoryTimers

TABLE, BUCKET = "intake-retention-table", "documents-retention-bucket"
EMPLOYER = Caller(sub="u-1", role="employer", enterprise_number="0403170701")
PDF = b"%PDF-1.7\n" + b"0" * 500


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        tables.table("IntakeTable", TABLE)
        tables.bucket("DocumentsBucket", BUCKET)
        s3 = boto3.client("s3")
        yield s3
        aws.reset()


def versions(s3, key: str) -> list[str]:
    """Every version and delete marker of ``key`` except the empty tombstone a deletion leaves."""
    page = s3.list_object_versions(Bucket=BUCKET, Prefix=key)
    return [v["VersionId"] for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            if v["Key"] == key and v.get("Size", -1) != 0]


def test_deleting_a_document_removes_every_version_and_delete_marker_of_that_key_only(aws_env):
    s3 = aws_env
    key = "applications/a-1/extract"
    for n in range(3):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"%%PDF- version %d" % n)
    s3.delete_object(Bucket=BUCKET, Key=key)  # a plain delete only hides the versions behind a marker
    s3.put_object(Bucket=BUCKET, Key=key + "-other", Body=b"%PDF- another document")
    assert len(versions(s3, key)) == 4

    assert S3DocumentStorage(BUCKET).delete(key) == 4
    assert versions(s3, key) == []
    assert len(versions(s3, key + "-other")) == 1


def test_facts_merge_in_any_order_and_a_cleared_timer_stays_cleared(aws_env):
    store = DynamoRetentionStore(TABLE)
    store.record_appeal("d-1", "ap-1", closed_on=date(2031, 3, 1))  # the ruling overtakes the lodging
    store.record_decision("d-1", appeal_deadline=date(2031, 1, 20), application_id="a-1")
    store.record_decision("d-1", application_id="a-1", outcome="refused", decided_on=date(2031, 1, 10))
    store.record_appeal("d-1", "ap-1", lodged=True)
    store.record_scheduled("d-1", date(2031, 1, 21))
    store.record_scheduled("d-1", None)
    facts = store.facts("d-1")
    assert (facts.application_id, facts.outcome, facts.decided_on, facts.appeal_deadline) == (
        "a-1", "refused", date(2031, 1, 10), date(2031, 1, 20))
    assert facts.scheduled_purge_on is None and not facts.appeals[0].pending
    assert facts.purge_on(0) == date(2031, 3, 2)


@pytest.mark.parametrize("kind", ["fake", "dynamodb"])
def test_an_undelivered_notice_outlives_its_printed_deadline_in_the_fake_as_in_the_table(aws_env, kind):
    from intake.adapters.memory import InMemoryRetentionStore

    store = InMemoryRetentionStore() if kind == "fake" else DynamoRetentionStore(TABLE)
    store.record_undelivered("d-1", "n-1")  # the bounce overtakes the notice
    store.record_undelivered("d-1", "n-1")
    store.record_decision("d-1", application_id="a-1", outcome="refused", decided_on=date(2031, 1, 10))
    store.record_decision("d-1", appeal_deadline=date(2031, 1, 20), deadline_notice_id="n-1")
    facts = store.facts("d-1")
    assert (facts.undelivered_notices, facts.deadline_notice_id) == (frozenset({"n-1"}), "n-1")
    assert facts.purge_on(0) is None  # the printed window does not hold; only the policy's maximum bounds it
    assert facts.purge_on(0, max_retention_days=365) == date(2031, 1, 10) + timedelta(days=366)
    store.record_decision("d-1", appeal_deadline=date(2031, 2, 20), deadline_notice_id="n-2")  # sent again, arrived
    assert store.facts("d-1").purge_on(0, max_retention_days=365) == date(2031, 2, 21)


def submitted_with_extract() -> tuple[Ports, Any, dict]:
    """Dynamo ports and a submitted application whose mentor's criminal-record extract is uploaded."""
    ports = Ports(
        DynamoApplicationStore(TABLE),
        DynamoProjections(TABLE),
        S3DocumentStorage(BUCKET),
        InMemoryPublisher(),
        timers=InMemoryTimers(),
        retention=DynamoRetentionStore(TABLE),
        access_log=DynamoAccessLog(TABLE),
    )
    body = application_body("0403170701", "2123456791", "elektrische-installaties-duaal",
                            extract_issued_on=clock.today())
    app = create_application(ports, EMPLOYER, CreateApplication.model_validate(body))
    slot = register_document(
        ports,
        EMPLOYER,
        app.id,
        RegisterDocument(
            type="criminal_record_extract",
            filename="x.pdf",
            content_type="application/pdf",
            size_bytes=len(PDF),
            mentor_index=0,
        ),
    )
    requests.put(slot["upload_url"], data=PDF, headers=slot["upload_headers"], timeout=10)
    submit_application(ports, EMPLOYER, app.id, "corr-1")
    return ports, app, slot


def test_the_purge_on_moto_deletes_every_version_and_logs_it(aws_env, monkeypatch):
    s3 = aws_env
    ports, app, slot = submitted_with_extract()
    key = ports.applications.get(app.id)[0].documents[0].key
    s3.put_object(Bucket=BUCKET, Key=key, Body=PDF)  # a second version, written around the URL
    assert len(versions(s3, key)) == 2

    decided_on = clock.today()
    ports.retention.record_decision("d-1", application_id=app.id, outcome="approved", decided_on=decided_on)
    monkeypatch.setattr(clock, "_offset", clock._offset + timedelta(days=2))
    timer = envelope_for(
        SensitiveDocumentsPurgeDueV1(application_id=app.id, decision_id="d-1", purge_on=decided_on + timedelta(days=1)),
        source="intake",
        correlation_id="corr-1",
    )
    assert on_purge_due(ports, timer, timer_data(timer)) == [slot["id"]]

    assert versions(s3, key) == []
    [entry] = ports.access_log.entries(app.id)
    assert (entry["document_id"], entry["actor"], entry["versions_deleted"]) == (slot["id"], "retention_job", 2)
    assert ports.applications.get(app.id)[0].documents[0].purged_at is not None


def timer_data(envelope) -> SensitiveDocumentsPurgeDueV1:
    return SensitiveDocumentsPurgeDueV1.model_validate(envelope.data)


def _dynamodb_calls() -> list[str]:
    calls: list[str] = []
    aws.values_client().meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    return calls


def test_routed_and_decided_events_cost_the_dynamodb_calls_they_need_and_no_more(aws_env):
    """Issue 13 point 8: the application's save carries the routed event's marker; a decision reads the
    application once, and its retention facts, purge date and marker are one transaction."""
    from aws_lambda_powertools import Logger

    from intake import bootstrap
    from intake.handlers.events import HANDLERS
    from kernel.consumer import handle_envelope
    from kernel.envelope import Envelope
    from kernel.events import ApplicationRoutedV1, DecisionRecordedV1
    from kernel.processed import DynamoProcessedEvents

    ports, app, _slot = submitted_with_extract()
    processed = DynamoProcessedEvents(TABLE)
    bootstrap.override(ports, processed=processed)
    logger = Logger(service="test")

    def handled(envelope: Envelope) -> str:
        return handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger)

    def wrap(data) -> Envelope:
        return Envelope.model_validate_json(envelope_for(data, source="test", correlation_id="c").to_json())

    try:
        calls = _dynamodb_calls()
        routed = wrap(ApplicationRoutedV1.model_validate({
            "application_id": app.id, "partnership_id": "vpdl",
            "routing": {"partnership_id": "vpdl", "rule": "fallback"},
            "decision_due": (clock.today() + timedelta(days=30)).isoformat(),
            "application": published_snapshot(ports)}))
        assert handled(routed) == "handled"
        assert calls == ["GetItem", "TransactWriteItems"]  # application, save with marker (no check before)
        calls.clear()
        assert handled(routed) == "duplicate"  # a copy: nothing to change, the marker is there
        assert calls == ["GetItem", "PutItem"]
        stored = ports.applications.get(app.id)[0]
        decided = wrap(DecisionRecordedV1(
            decision_id="d-1", application_id=app.id, partnership_id="vpdl",
            enterprise_number=stored.enterprise_number, establishment_number=stored.establishment_number,
            training_code=stored.training_code, outcome="approved", reasons=[], decided_at=clock.now(),
            recognition_id="r-1", valid_from=clock.today(), valid_until=clock.today() + timedelta(days=365 * 5)))
        calls.clear()
        assert handled(decided) == "handled"
        # application, the facts, then one transaction: the save, the key freed with the recognition,
        # the retention facts with the purge date, the marker
        assert calls == ["GetItem", "Query", "TransactWriteItems"]
        facts = ports.retention.facts("d-1")
        assert facts.outcome == "approved" and facts.scheduled_purge_on is not None
        assert ports.applications.get(app.id)[0].status == "approved"
        key = (stored.enterprise_number, stored.establishment_number, stored.training_code)
        assert ports.projections.open_application(key) is None
        assert [e.recognition_id for e in ports.projections.recognitions_for(key)] == ["r-1"]
        assert len(ports.timers.pending) == 1
        assert handled(decided) == "duplicate"
        # a concurrent copy that passed the check meets the marker in the facts' transaction
        processed.is_processed = lambda event_id: False  # type: ignore[method-assign]
        assert handled(decided) == "duplicate"
        assert len(ports.timers.pending) == 1
    finally:
        bootstrap.reset()


def published_snapshot(ports: Ports) -> dict:
    (submitted,) = [e for e in ports.publisher.published if e.event_name == "ApplicationSubmitted"]
    return submitted.data["application"]


def test_a_grant_costs_the_check_and_one_transaction_and_a_notice_without_deadline_costs_nothing(aws_env):
    """Issue 13 point 8: the recognition's facts, its state and the event's marker are one write; an
    older state event still adds its facts; a notice that sets no appeal deadline is not intake's."""
    from aws_lambda_powertools import Logger

    from intake import bootstrap
    from intake.handlers.events import HANDLERS
    from kernel.consumer import handle_envelope
    from kernel.envelope import Envelope
    from kernel.events import NoticeIssuedV1, RecognitionGrantedV1, RecognitionRevokedV1
    from kernel.processed import DynamoProcessedEvents

    ports = Ports(DynamoApplicationStore(TABLE), DynamoProjections(TABLE), S3DocumentStorage(BUCKET),
                  InMemoryPublisher(), timers=InMemoryTimers(), retention=DynamoRetentionStore(TABLE),
                  access_log=DynamoAccessLog(TABLE))
    processed = DynamoProcessedEvents(TABLE)
    bootstrap.override(ports, processed=processed)
    logger = Logger(service="test")
    key = ("0403170701", "2123456791", "elektrische-installaties-duaal")

    def wrap(data, at) -> Envelope:
        envelope = envelope_for(data, source="test", correlation_id="c")
        return Envelope.model_validate_json(envelope.model_copy(update={"occurred_at": at}).to_json())

    def handled(envelope: Envelope) -> str:
        return handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger)

    try:
        calls = _dynamodb_calls()
        now, today = clock.now(), clock.today()
        revoked = wrap(RecognitionRevokedV1(recognition_id="r-1", enterprise_number=key[0], establishment_number=key[1],
                                            training_code=key[2], partnership_id="vpdl", reason="x",
                                            revoked_at=now, effective_on=today), now)
        granted = wrap(RecognitionGrantedV1(recognition_id="r-1", enterprise_number=key[0], establishment_number=key[1],
                                            training_code=key[2], partnership_id="vpdl", granted_at=now,
                                            valid_from=today, valid_until=today + timedelta(days=365)),
                       now - timedelta(hours=1))
        assert handled(revoked) == "handled"
        assert calls == ["GetItem", "TransactWriteItems"]  # the check, the state with its marker
        calls.clear()
        assert handled(granted) == "handled"  # older than the revocation: only its facts
        assert calls == ["TransactWriteItems", "UpdateItem", "PutItem"]  # no check before; the marker after
        (entry,) = ports.projections.recognitions_for(key)
        assert entry.revoked_on == today and entry.valid_until == today + timedelta(days=365)
        assert handled(granted) == "duplicate" and handled(revoked) == "duplicate"
        calls.clear()
        notice = wrap(NoticeIssuedV1(notice_id="n-1", kind="approval", subject_id="d-1", enterprise_number=key[0],
                                     issued_at=now, pdf_key="notices/n-1.pdf"), now)
        assert handled(notice) == "ignored" and calls == []
    finally:
        bootstrap.reset()
