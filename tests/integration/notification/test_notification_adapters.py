"""The notification service on moto: its table as the template declares it, the notices bucket,
SES, SNS and EventBridge Scheduler, driven through the real bus edge and composition root."""

from __future__ import annotations

import email
import email.policy
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import boto3
import pytest
from moto import mock_aws
from testkit import tables
from testkit.apigw import http_event
from testkit.clock import Clock

from kernel import aws, clock
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationSnapshot,
    ApplicationSubmittedV1,
    Company,
    Contact,
    DecisionRecordedV1,
    Mentor,
    RecognitionGrantedV1,
    RecognitionRevokedV1,
    RoutingOutcome,
)
from kernel.publisher import envelope_for
from notification import bootstrap
from notification.adapters.store import DynamoNotificationStore
from notification.domain.projection import NoticeRecord

TABLE, BUCKET, SENDER = "notification-table", "notices-bucket", "noreply@duaal-leren.example.be"
ENTERPRISE, ESTABLISHMENT, CONTACT = "0403170701", "2123456791", "jan@bouwbedrijf.example"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
CONTEXT = SimpleNamespace(function_name="notification-events", memory_limit_in_mb=512,
                          invoked_function_arn="arn:aws:lambda:eu-west-1:123456789012:function:n",
                          aws_request_id="req-1")


def create_table() -> None:
    tables.table("NotificationTable", TABLE)


def _reset_caches() -> None:
    aws.reset()
    bootstrap.reset()


@pytest.fixture
def wired(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    Clock().at(NOW)
    with mock_aws():
        _reset_caches()
        create_table()
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # as the template
        boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="events")["TopicArn"]
        tap = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
        tap_arn = sqs.get_queue_attributes(QueueUrl=tap, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=tap_arn, Attributes={"RawMessageDelivery": "true"})
        own = sqs.create_queue(QueueName="notification")["QueueUrl"]
        own_arn = sqs.get_queue_attributes(QueueUrl=own, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        boto3.client("scheduler").create_schedule_group(Name="timers")
        for name, value in {
            "TABLE_NAME": TABLE, "NOTICES_BUCKET": BUCKET, "MAIL_SENDER": SENDER, "EVENT_TOPIC_ARN": topic,
            "SCHEDULE_GROUP": "timers", "SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/scheduler",
            "TIMER_QUEUE_ARN": own_arn,
        }.items():
            monkeypatch.setenv(name, value)
        yield SimpleNamespace(tap=tap, own_arn=own_arn)
        _reset_caches()
    clock.set_offset(0)


def deliver(*envelopes) -> dict:
    from notification.handlers import events

    records = [{"messageId": f"m-{i}", "body": e.to_json(), "receiptHandle": "h", "attributes": {},
                "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:notification", "awsRegion": "eu-west-1"}
               for i, e in enumerate(envelopes)]
    return events.handler({"Records": records}, CONTEXT)


def wrap(data):
    return envelope_for(data, source="test", correlation_id="corr-1")


def application() -> ApplicationSnapshot:
    return ApplicationSnapshot(
        application_id="app-1",
        enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT,
        training_code="ruwbouw-duaal",
        kind="new",
        company=Company(name="Bouwbedrijf Peeters NV", joint_committee="124"),
        contact=Contact(name="Jan Peeters", email=CONTACT),
        mentors=[Mentor(first_name="Els", last_name="Janssens", national_register_number="80031512361")],
        submitted_at=NOW - timedelta(days=10),
        decision_due=date(2027, 3, 5),
    )


def sent_mails() -> list:
    from moto.ses.models import ses_backends

    backend = ses_backends["123456789012"]["eu-west-1"]
    return [email.message_from_string(m.raw_data, policy=email.policy.default) for m in backend.sent_messages]


def published(tap: str) -> list[dict]:
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=tap, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_refusal_is_archived_once_mailed_once_with_its_pdf_and_announced(wired):
    refusal = wrap(
        DecisionRecordedV1(
            decision_id="dec-1",
            application_id="app-1",
            partnership_id="construction",
            enterprise_number=ENTERPRISE,
            establishment_number=ESTABLISHMENT,
            training_code="ruwbouw-duaal",
            outcome="refused",
            reasons=["Uitrusting onvoldoende."],
            decided_at=NOW,
        )
    )
    routed = wrap(
        ApplicationRoutedV1(
            application_id="app-1",
            partnership_id="construction",
            routing=RoutingOutcome(partnership_id="construction", rule="joint_committee_exact"),
            decision_due=date(2027, 3, 5),
            application=application(),
        )
    )
    assert deliver(wrap(ApplicationSubmittedV1(application=application())), routed) == {"batchItemFailures": []}
    assert deliver(refusal) == {"batchItemFailures": []}
    # The kernel's processed marker is lost: the handler runs again and must not mail or write twice.
    boto3.client("dynamodb").delete_item(
        TableName=TABLE, Key={"pk": {"S": f"EVENT#{refusal.event_id}"}, "sk": {"S": "PROCESSED"}}
    )
    assert deliver(refusal) == {"batchItemFailures": []}

    mails = sent_mails()
    refusals = [m for m in mails if "weigering" in m["Subject"]]
    assert len(refusals) == 1 and refusals[0]["To"] == CONTACT
    assert [m["To"] for m in mails].count("bouw@example.be") == 1  # the partnership's new-file mail
    (attachment,) = list(refusals[0].iter_attachments())
    pdf = attachment.get_payload(decode=True)
    assert pdf.startswith(b"%PDF")

    s3 = boto3.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 2
    versions = s3.list_object_versions(Bucket=BUCKET).get("Versions", [])
    assert len(versions) == 2  # one version per notice: the redelivery wrote nothing

    notices = [e for e in published(wired.tap) if e["event_name"] == "NoticeIssued"]
    refused = [e for e in notices if e["data"]["kind"] == "refusal"]
    assert len({e["event_id"] for e in refused}) == 1
    assert refused[0]["data"]["appeal_deadline"] == "2027-03-11" and refused[0]["data"]["subject_id"] == "dec-1"
    stored = s3.get_object(Bucket=BUCKET, Key=refused[0]["data"]["pdf_key"])["Body"].read()
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(stored)).pages).split())
    assert "De laatste dag om beroep in te stellen is 11 maart 2027" in text
    # The download and the attachment carry one name: the act's reference.
    head = s3.head_object(Bucket=BUCKET, Key=refused[0]["data"]["pdf_key"])
    assert head["ContentDisposition"] == f'inline; filename="{attachment.get_filename()}"'
    assert attachment.get_filename().startswith("DL-2027-") and refusals[0]["Reply-To"] == "bouw@example.be"


def test_a_grant_creates_one_time_schedules_on_the_own_queue_and_a_revocation_deletes_them(wired):
    calls = _dynamodb_calls()
    assert deliver(
        wrap(
            RecognitionGrantedV1(
                recognition_id="rec-1",
                application_id="app-1",
                partnership_id="construction",
                enterprise_number=ENTERPRISE,
                establishment_number=ESTABLISHMENT,
                training_code="ruwbouw-duaal",
                valid_from=date(2027, 3, 1),
                valid_until=date(2032, 2, 29),
                granted_at=NOW,
                decision_id="dec-1",
            )
        )
    ) == {"batchItemFailures": []}
    # Issue 13 point 8: no marker read, no read of the approval's reference (it follows from the
    # decision), and the record's write carries the event's marker.
    assert calls == ["TransactWriteItems"]
    scheduler = boto3.client("scheduler")
    names = sorted(s["Name"] for s in scheduler.list_schedules(GroupName="timers")["Schedules"])
    assert names == ["ntf-mentor-rec-1-30", "ntf-renew-rec-1-30", "ntf-renew-rec-1-7", "ntf-renew-rec-1-90"]
    schedule = scheduler.get_schedule(Name="ntf-renew-rec-1-90", GroupName="timers")
    assert schedule["ScheduleExpression"] == "at(2031-12-01T07:00:00)"
    assert schedule["Target"]["Arn"] == wired.own_arn
    envelope = json.loads(schedule["Target"]["Input"])
    assert envelope["event_name"] == "RenewalReminderDue" and envelope["data"]["days_before"] == 90
    from notification.adapters.store import DynamoNotificationStore as Store
    from notification.domain.model import NoticeFacts, reference_for

    approval = NoticeFacts(kind="approval", subject_id="dec-1", partnership_id="construction",
                           decided_on=NOW.date())
    assert Store(TABLE).recognition("rec-1").reference == reference_for(approval, NOW.date())

    deliver(
        wrap(
            RecognitionRevokedV1(
                recognition_id="rec-1",
                partnership_id="construction",
                enterprise_number=ENTERPRISE,
                establishment_number=ESTABLISHMENT,
                training_code="ruwbouw-duaal",
                effective_on=NOW.date(),
            )
        )
    )
    assert scheduler.list_schedules(GroupName="timers")["Schedules"] == []


def test_the_store_keeps_the_first_notice_and_finds_an_enterprises_latest_application(wired):
    store = DynamoNotificationStore(TABLE)
    record = NoticeRecord(
        "n-1",
        "refusal",
        "dec-1",
        "DL-2027-X",
        ENTERPRISE,
        "construction",
        "app-1",
        "2027-03-01T09:00:00Z",
        date(2027, 3, 11),
        "notices/x.pdf",
    )
    store.add_notice(record)
    from dataclasses import replace

    store.add_notice(replace(record, issued_at="2027-03-02T09:00:00Z"))
    assert store.notice("n-1").issued_at == "2027-03-01T09:00:00Z"
    assert [n.notice_id for n in store.notices_in("PSHIP#construction")] == ["n-1"]
    assert store.notices_in(f"ENT#{ENTERPRISE}")[0].appeal_deadline == date(2027, 3, 11)
    assert store.claim_send("x") and not store.claim_send("x")
    store.release_send("x")
    assert store.claim_send("x")
    calls = _dynamodb_calls()
    assert store.record_delivery("n-1", "bounced", "2027-03-01T09:00:05Z") is True
    assert calls == ["TransactWriteItems"]  # issue 13 point 8: the notice and its partnership copy at once
    assert store.record_delivery("n-unknown", "delivered", "2027-03-01T09:00:05Z") is False  # no row is made for it
    assert (store.notice("n-1").delivery, store.notice("n-1").delivery_at) == ("bounced", "2027-03-01T09:00:05Z")
    assert store.notices_in("PSHIP#construction")[0].delivery == "bounced" and store.notice("n-unknown") is None
    # An earlier report read late (SQS keeps no order) changes neither copy: the latest report stands.
    assert store.record_delivery("n-1", "delivered", "2027-03-01T09:00:03Z") is False
    assert store.notice("n-1").delivery == "bounced" and store.notices_in("PSHIP#construction")[0].delivery == "bounced"


def test_get_notices_answers_with_a_presigned_link_to_the_stored_pdf(wired, monkeypatch):
    routed = ApplicationRoutedV1(
        application_id="app-1", partnership_id="construction",
        routing=RoutingOutcome(partnership_id="construction", rule="joint_committee_exact"),
        decision_due=date(2027, 3, 5), application=application())
    deliver(wrap(ApplicationSubmittedV1(application=application())), wrap(routed))  # acknowledged once routed
    from notification.handlers import api

    event = http_event(
        "GET", "/notices", claims={"sub": "u", "role": "employer", "enterprise_number": ENTERPRISE}, content_type=None
    )
    response = api.handler(event, CONTEXT)
    (notice,) = json.loads(response["body"])
    assert notice["kind"] == "acknowledgement" and notice["subject_id"] == "app-1"
    assert BUCKET in notice["pdf_url"] and "X-Amz-Expires=300" in notice["pdf_url"]
    assert "X-Amz-Signature=" in notice["pdf_url"]


def test_every_mail_goes_through_the_configuration_set_that_tracks_bounces(wired):
    from notification.adapters.mailer import SesMailer
    from notification.domain.mails import Mail

    boto3.client("ses").create_configuration_set(ConfigurationSet={"Name": "notices"})
    sent: list[dict] = []
    ses = aws.client("ses")
    ses.meta.events.register("provide-client-params.ses.SendRawEmail", lambda params, **_: sent.append(dict(params)))
    SesMailer(SENDER, configuration_set="notices").send(Mail(to=CONTACT, subject="s", body="b"))
    assert sent and sent[0]["ConfigurationSetName"] == "notices" and sent[0]["Source"] == SENDER


def _dynamodb_calls() -> list[str]:
    calls: list[str] = []
    aws.values_client().meta.events.register("before-parameter-build.dynamodb.*", lambda event_name, **_: calls.append(
        event_name.rsplit(".", 1)[-1]))
    return calls


def test_an_applications_events_cost_the_dynamodb_calls_they_need_and_no_more(wired):
    """Issue 13 point 8: Submitted is not read here (Routed carries the same snapshot); Routed writes
    the addressee in the acknowledgement's own transaction, without reading it back or looking up the
    notice first (the PDF's no-overwrite put tells a retry); a decision's notice rows and its subject
    are one write."""
    calls = _dynamodb_calls()
    routed = wrap(ApplicationRoutedV1(
        application_id="app-1", partnership_id="construction",
        routing=RoutingOutcome(partnership_id="construction", rule="joint_committee_exact"),
        decision_due=date(2027, 3, 5), application=application()))
    assert deliver(routed) == {"batchItemFailures": []}
    # the addressee and the acknowledgement's mail claim with the notice + partnership rows, then the
    # partnership mail's claim with the event's marker (no check before: that transaction finds a copy)
    assert calls == ["TransactWriteItems", "TransactWriteItems"]
    calls.clear()
    decided = wrap(DecisionRecordedV1(
        decision_id="dec-1", application_id="app-1", partnership_id="construction", enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT, training_code="ruwbouw-duaal", outcome="refused",
        reasons=["Uitrusting onvoldoende."], decided_at=NOW))
    assert deliver(decided) == {"batchItemFailures": []}
    # addressee, notice rows with the decision's subject, send claim with the marker
    assert calls == ["GetItem", "TransactWriteItems", "TransactWriteItems"]
    assert deliver(decided) == {"batchItemFailures": []}  # a copy: no second mail (the claim is there)
    store = DynamoNotificationStore(TABLE)
    assert store.subject_application("dec-1") == "app-1"
    assert store.application("app-1").partnership_id == "construction"
    assert store.application("app-1").contact_email == CONTACT


def test_a_routed_application_delivered_twice_is_acknowledged_by_one_notice_and_one_mail(wired):
    routed = wrap(ApplicationRoutedV1(
        application_id="app-1", partnership_id="construction",
        routing=RoutingOutcome(partnership_id="construction", rule="joint_committee_exact"),
        decision_due=date(2027, 3, 5), application=application()))
    assert deliver(routed) == {"batchItemFailures": []}
    first = DynamoNotificationStore(TABLE).notices_in(f"ENT#{ENTERPRISE}")
    Clock().at(NOW + timedelta(days=1))  # the copy comes a day later: the notice keeps its first date
    assert deliver(routed) == {"batchItemFailures": []}
    assert DynamoNotificationStore(TABLE).notices_in(f"ENT#{ENTERPRISE}") == first and len(first) == 1
    assert len(sent_mails()) == 2  # the acknowledgement and the partnership's new-file mail, once each


def test_a_notice_written_again_keeps_its_first_rows_and_still_records_its_subject(wired):
    store = DynamoNotificationStore(TABLE)
    first = NoticeRecord(notice_id="n-1", kind="refusal", subject_id="dec-9", reference="DL-2027-A",
                         enterprise_number=ENTERPRISE, partnership_id="construction", application_id="app-9",
                         issued_at="2027-03-01T09:00:00Z", appeal_deadline=None, pdf_key="notices/x.pdf")
    from notification.domain.model import Addressee

    assert store.add_notice(first) is True
    addressee = Addressee(enterprise_number=ENTERPRISE, application_id="app-9", partnership_id="construction",
                          contact_email=CONTACT)
    assert store.add_notice(replace(first, reference="DL-2027-B"), subject_application="app-9",
                            application=(addressee, "2027-02-19T10:00:00Z")) is False  # it was there
    assert store.notice("n-1").reference == "DL-2027-A" and store.subject_application("dec-9") == "app-9"
    assert store.application("app-9") == addressee  # the other rows are written all the same
    assert [n.reference for n in store.notices_in("PSHIP#construction")] == ["DL-2027-A"]


def test_a_failed_send_releases_the_claim_and_the_events_marker_so_the_retry_mails(wired, monkeypatch):
    """Issue 13 point 8: the decision's mail claim carries the event's marker; when SES refuses, both
    go, the record is reported failed, and the next delivery sends the notice once."""
    from kernel.processed import DynamoProcessedEvents
    from notification import bootstrap
    from notification.adapters.mailer import SesMailer

    assert deliver(wrap(ApplicationRoutedV1(
        application_id="app-1", partnership_id="construction",
        routing=RoutingOutcome(partnership_id="construction", rule="joint_committee_exact"),
        decision_due=date(2027, 3, 5), application=application()))) == {"batchItemFailures": []}
    decided = wrap(DecisionRecordedV1(
        decision_id="dec-1", application_id="app-1", partnership_id="construction", enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT, training_code="ruwbouw-duaal", outcome="refused",
        reasons=["Uitrusting onvoldoende."], decided_at=NOW))
    real_send = SesMailer.send

    def refused(self, mail, attachment=None):
        raise RuntimeError("SES throttled")

    monkeypatch.setattr(SesMailer, "send", refused)
    assert deliver(decided) == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert not DynamoProcessedEvents(TABLE).is_processed(decided.event_id)
    assert bootstrap.ports().store.claim_send("probe") is True  # the store still answers
    monkeypatch.setattr(SesMailer, "send", real_send)
    assert deliver(decided) == {"batchItemFailures": []}
    assert DynamoProcessedEvents(TABLE).is_processed(decided.event_id)
    assert len([m for m in sent_mails() if "weigering" in m["Subject"]]) == 1


def _ses_report(event_type: str, notice_id: str, **detail) -> dict:
    body = {"eventType": event_type, "mail": {"timestamp": "2027-03-01T09:00:01.000Z", "messageId": "m-1",
                                               "destination": [CONTACT], "tags": {"notice_id": [notice_id]}}}
    body.update(detail)
    return {"messageId": "r-1", "receiptHandle": "h", "body": json.dumps(body), "attributes": {},
            "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:mail-events", "awsRegion": "eu-west-1"}


def test_a_delivery_or_complaint_report_is_recorded_in_one_write_without_reading_the_notice(wired, caplog):
    """Issue 13 point 8: the write's condition is the notice's existence (a report about an unknown
    notice writes nothing); only a bounce or a reject reads the notice (it announces and tells)."""
    from notification.handlers import mail_events

    store = DynamoNotificationStore(TABLE)
    store.add_notice(NoticeRecord("n-1", "refusal", "dec-1", "DL-2027-X", ENTERPRISE, "construction", "app-1",
                                  "2027-03-01T09:00:00Z", date(2027, 3, 11), "notices/x.pdf"))
    calls = _dynamodb_calls()
    delivered = _ses_report("Delivery", "n-1", delivery={"timestamp": "2027-03-01T09:00:03.000Z",
                                                         "recipients": [CONTACT]})
    assert mail_events.handler({"Records": [delivered]}, CONTEXT) == {"batchItemFailures": []}
    assert calls == ["TransactWriteItems"]
    assert store.notice("n-1").delivery == "delivered"
    assert store.notices_in("PSHIP#construction")[0].delivery == "delivered"
    calls.clear()
    complained = _ses_report("Complaint", "n-1", complaint={"timestamp": "2027-03-01T10:00:00.000Z",
                                                            "complainedRecipients": [{"emailAddress": CONTACT}]})
    assert mail_events.handler({"Records": [complained]}, CONTEXT) == {"batchItemFailures": []}
    assert calls == ["TransactWriteItems"] and store.notice("n-1").delivery == "complained"
    unknown = _ses_report("Delivery", "n-unknown", delivery={"timestamp": "2027-03-01T09:00:03.000Z"})
    assert mail_events.handler({"Records": [unknown]}, CONTEXT) == {"batchItemFailures": []}
    assert store.notice("n-unknown") is None and "unknown notice" in caplog.text
