"""The intake adapters on moto: the table as the template declares it, the versioned documents
bucket with a real presigned PUT over HTTP, and the whole submission through SNS."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
import requests
from moto import mock_aws
from testkit import tables
from testkit.bodies import application_body

from intake import bootstrap
from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.documents import S3DocumentStorage
from intake.adapters.memory import InMemoryAccessLog, InMemoryRetentionStore
from intake.adapters.projections import DynamoProjections
from intake.domain.application import Application
from intake.domain.requests import CreateApplication, RegisterDocument
from intake.usecases.applications import create_application
from intake.usecases.documents import register_document, remove_document
from intake.usecases.ports import Ports, StaleWrite
from intake.usecases.submission import submit_application
from kernel import aws, clock
from kernel.auth import Caller
from kernel.errors import RuleViolation
from kernel.events import Actor
from kernel.publisher import SnsEventPublisher
from kernel.timers import InMemoryTimers

UTC = UTC
TABLE, BUCKET = "intake-table", "documents-bucket"
ENTERPRISE, ESTABLISHMENT, TRAINING = "0403170701", "2123456791", "elektrische-installaties-duaal"
KEY = (ENTERPRISE, ESTABLISHMENT, TRAINING)
EMPLOYER = Caller(sub="u-1", role="employer", enterprise_number=ENTERPRISE)
PDF = b"%PDF-1.7\n" + b"0" * 2000


def create_table() -> None:
    tables.table("IntakeTable", TABLE)


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        create_table()
        tables.bucket("DocumentsBucket", BUCKET)
        yield
        aws.reset()


@pytest.fixture
def bus(aws_env):
    """An SNS topic with a queue behind it, to read what was published."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="events")["TopicArn"]
    queue = sqs.create_queue(QueueName="seen")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})

    def received() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return topic, received


def draft(app_id: str = "app-1") -> Application:
    now = clock.now()
    return Application.start(app_id, {"enterprise_number": ENTERPRISE, "establishment_number": ESTABLISHMENT,
                                      "training_code": TRAINING, "kind": "new"}, Actor(sub="u", role="employer"), now)


def test_an_application_round_trips_and_a_stale_write_is_refused(aws_env):
    store = DynamoApplicationStore(TABLE)
    app = draft()
    store.add(app)
    loaded, outbox = store.get("app-1")
    assert loaded == app and outbox == []
    stale, _ = store.get("app-1")
    loaded.company = None
    store.save(loaded, ['{"event": 1}'])
    assert store.get("app-1")[1] == ['{"event": 1}']
    with pytest.raises(StaleWrite):
        store.save(stale, [])
    store.clear_outbox("app-1", loaded.version)
    assert store.get("app-1")[1] == []
    assert [a.id for a in store.for_enterprise(ENTERPRISE)] == ["app-1"]
    assert store.for_enterprise("0123456749") == []
    with pytest.raises(StaleWrite):
        store.add(draft())


def test_a_presigned_put_lands_the_bytes_that_are_then_read_back_with_their_hash(aws_env):
    storage = S3DocumentStorage(BUCKET)
    url, headers = storage.upload_url("applications/app-1/abc", "application/pdf", len(PDF), 900)
    assert storage.read("applications/app-1/abc") is None
    response = requests.put(url, data=PDF, headers=headers, timeout=10)
    assert response.status_code == 200
    stored = storage.read("applications/app-1/abc")
    assert stored.size_bytes == len(PDF) and stored.first_bytes == b"%PDF-1.7"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.version_id


def test_the_upload_url_writes_its_key_once(aws_env):
    storage = S3DocumentStorage(BUCKET)
    url, headers = storage.upload_url("applications/app-1/once", "application/pdf", len(PDF), 900)
    assert requests.put(url, data=PDF, headers=headers, timeout=10).status_code == 200
    other = PDF[:-1] + b"!"  # same size and type: only the condition stops it
    assert requests.put(url, data=other, headers=headers, timeout=10).status_code == 412
    assert storage.read("applications/app-1/once").sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_removed_document_is_sealed_against_its_upload_url(aws_env):
    storage = S3DocumentStorage(BUCKET)
    url, headers = storage.upload_url("applications/app-1/gone", "application/pdf", len(PDF), 900)
    assert requests.put(url, data=PDF, headers=headers, timeout=10).status_code == 200
    storage.delete("applications/app-1/gone")
    # The URL is still valid for minutes, but the tombstone fails its If-None-Match.
    assert requests.put(url, data=PDF, headers=headers, timeout=10).status_code == 412
    assert storage.read("applications/app-1/gone") is None


def test_the_recognition_projection_keeps_the_newest_state_and_fills_in_dates(aws_env):
    projections = DynamoProjections(TABLE)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    day = t0.date()
    projections.record_recognition("r1", KEY, "revoked", t0 + timedelta(hours=1), revoked_on=day + timedelta(days=5))
    projections.record_recognition("r1", KEY, "granted", t0, partnership_id="mtech", valid_from=day,
                                   valid_until=day + timedelta(days=10), renews="r0")
    [view] = projections.recognitions_for(KEY)
    assert view.revoked_on == day + timedelta(days=5) and view.valid_until == day + timedelta(days=10)
    assert view.partnership_id == "mtech" and view.renews == "r0"
    assert view.status_on(day + timedelta(days=4)) == "active" and view.status_on(day + timedelta(days=5)) == "revoked"
    assert projections.recognition("r1") == view and projections.recognition("r2") is None
    projections.record_recognition("r1", KEY, "granted", t0 + timedelta(hours=2))  # restored by an appeal
    assert projections.recognition("r1").revoked_on is None


def test_exclusions_are_lifted_whatever_the_order_and_a_key_has_one_holder(aws_env):
    projections = DynamoProjections(TABLE)
    projections.lift_exclusion("m1", ENTERPRISE)
    assert projections.exclusions_for(ENTERPRISE) == []
    projections.record_exclusion("m1", ENTERPRISE, None, None)
    projections.record_exclusion("m2", ENTERPRISE, ESTABLISHMENT, clock.today(), partnership_id="horeca",
                                 starts_on=clock.today() - timedelta(days=3))
    by_id = {e.measure_id: e for e in projections.exclusions_for(ENTERPRISE)}
    assert by_id["m1"].lifted and not by_id["m2"].lifted and by_id["m2"].until == clock.today()
    assert by_id["m2"].partnership_id == "horeca" and by_id["m2"].starts_on == clock.today() - timedelta(days=3)
    assert by_id["m2"].establishment_number == ESTABLISHMENT and by_id["m1"].establishment_number is None
    assert projections.hold_key(KEY, "a1") and projections.hold_key(KEY, "a1")
    assert not projections.hold_key(KEY, "a2")
    projections.release_key(KEY, "a2")
    assert projections.open_application(KEY) == "a1"
    projections.release_key(KEY, "a1")
    assert projections.open_application(KEY) is None
    # A decision frees the key and records its recognition in one write; a key another application
    # holds stays held, and the recognition's facts are recorded all the same.
    assert projections.hold_key(KEY, "a3")
    until = clock.today() + timedelta(days=365)
    projections.release_key(KEY, "a3", recognition_id="r-9", partnership_id="horeca", valid_from=clock.today(),
                            valid_until=until)
    assert projections.open_application(KEY) is None
    granted = projections.recognition("r-9")
    assert granted is not None and granted.valid_until == until and granted.partnership_id == "horeca"
    assert projections.hold_key(KEY, "a4")
    projections.release_key(KEY, "a5", recognition_id="r-10", valid_from=clock.today(), valid_until=until)
    assert projections.open_application(KEY) == "a4" and projections.recognition("r-10").valid_until == until


def test_submission_verifies_uploads_on_s3_and_publishes_the_file_on_sns(bus):
    topic, received = bus
    ports = Ports(DynamoApplicationStore(TABLE), DynamoProjections(TABLE), S3DocumentStorage(BUCKET),
                  SnsEventPublisher(topic), InMemoryTimers(), InMemoryRetentionStore(), InMemoryAccessLog())
    body = application_body(ENTERPRISE, ESTABLISHMENT, TRAINING, extract_issued_on=clock.today())
    app = create_application(ports, EMPLOYER, CreateApplication.model_validate(body))
    slot = register_document(
        ports,
        EMPLOYER,
        app.id,
        RegisterDocument(
            type="criminal_record_extract",
            filename="x.pdf",
            content_type="application/pdf",
            size_bytes=len(PDF) + 1,
            mentor_index=0,
        ),
    )
    requests.put(slot["upload_url"], data=PDF, headers=slot["upload_headers"], timeout=10)
    with pytest.raises(RuleViolation) as refused:
        submit_application(ports, EMPLOYER, app.id, "corr-1")
    assert [(e.field, e.code) for e in refused.value.errors] == [("documents[0]", "size_mismatch")]

    slot = register_document(
        ports,
        EMPLOYER,
        app.id,
        RegisterDocument(type="other", filename="x.png", content_type="image/png", size_bytes=len(PDF)),
    )
    requests.put(slot["upload_url"], data=PDF, headers=slot["upload_headers"], timeout=10)
    with pytest.raises(RuleViolation) as refused:
        submit_application(ports, EMPLOYER, app.id, "corr-1")
    assert ("documents[1]", "content_mismatch") in [(e.field, e.code) for e in refused.value.errors]

    first_key = ports.applications.get(app.id)[0].documents[0].key
    for document in ports.applications.get(app.id)[0].documents:
        remove_document(ports, EMPLOYER, app.id, document.id)
    assert ports.documents.read(first_key) is None
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
    submitted = submit_application(ports, EMPLOYER, app.id, "corr-1")
    assert submitted.status == "submitted"

    [envelope] = received()
    assert envelope["event_name"] == "ApplicationSubmitted" and envelope["correlation_id"] == "corr-1"
    [document] = envelope["data"]["application"]["documents"]
    assert document["bucket"] == BUCKET and document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert ports.applications.get(app.id)[1] == []


def test_the_composition_root_reads_the_template_variables(aws_env, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("DOCUMENTS_BUCKET", BUCKET)
    monkeypatch.setenv("EVENT_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:events")
    bootstrap.reset()
    try:
        assert bootstrap.ports().documents.bucket == BUCKET
    finally:
        bootstrap.reset()
