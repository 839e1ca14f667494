"""The local runtime publishes SES's events for a mail sent through a configuration set with an SNS
destination, as SES does (moto publishes none): a Delivery with the mail's tags, the mailbox
simulator's bounce and complaint, only the types the destination matches, in business time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from moto.ses.responses import EmailResponse

from localrt import _mail_events

SENDER = "noreply@duaal-leren.example.be"


@pytest.fixture
def ses_to_queue(monkeypatch):
    # install() patches moto's SES responses: monkeypatch puts the originals back after the test.
    monkeypatch.setattr(EmailResponse, "send_raw_email", EmailResponse.send_raw_email)
    monkeypatch.setattr(EmailResponse, "send_email", EmailResponse.send_email)
    with mock_aws():
        _mail_events.install()
        ses, sns, sqs = (boto3.client(s, region_name="eu-west-1") for s in ("ses", "sns", "sqs"))
        ses.verify_email_identity(EmailAddress=SENDER)
        ses.create_configuration_set(ConfigurationSet={"Name": "notices"})
        topic = sns.create_topic(Name="mail-events")["TopicArn"]
        queue = sqs.create_queue(QueueName="mail-events")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        _mail_events.set_destinations([{"configuration_set": "notices", "topic_arn": topic,
                                        "event_types": ["delivery", "bounce", "reject"]}])
        _mail_events.set_offset(86400 * 400)

        def send(to: str, **extra):
            raw = f"From: {SENDER}\r\nTo: {to}\r\nSubject: Beslissing\r\n\r\nTekst\r\n".encode()
            return ses.send_raw_email(Source=SENDER, Destinations=[to], RawMessage={"Data": raw}, **extra)

        def events() -> list[dict]:
            found = []
            while batch := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
                for m in batch:
                    found.append(json.loads(json.loads(m["Body"])["Message"]))  # the SNS envelope's Message
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
            return found

        yield send, events
        _mail_events.set_destinations([])
        _mail_events.set_offset(0)


def test_a_mail_through_the_set_publishes_a_delivery_with_its_tags_in_business_time(ses_to_queue):
    send, events = ses_to_queue
    sent = send("lies@bouw.example", ConfigurationSetName="notices", Tags=[{"Name": "notice_id", "Value": "n-1"}])
    (event,) = events()
    assert event["eventType"] == "Delivery" and event["mail"]["messageId"] == sent["MessageId"]
    assert event["mail"]["tags"]["notice_id"] == ["n-1"]
    assert event["mail"]["tags"]["ses:configuration-set"] == ["notices"]
    assert event["delivery"]["recipients"] == ["lies@bouw.example"]
    delivered = datetime.fromisoformat(event["delivery"]["timestamp"].replace("Z", "+00:00"))
    assert delivered - datetime.now(UTC) > timedelta(days=399)  # the runtime clock's offset, not real time
    assert event["delivery"]["timestamp"] > event["mail"]["timestamp"]


def test_the_simulators_bounce_address_bounces_permanently(ses_to_queue):
    send, events = ses_to_queue
    send("bounce+x@simulator.amazonses.com", ConfigurationSetName="notices",
         Tags=[{"Name": "notice_id", "Value": "n-2"}])
    (event,) = events()
    assert event["eventType"] == "Bounce" and event["bounce"]["bounceType"] == "Permanent"
    assert event["bounce"]["bouncedRecipients"][0]["emailAddress"] == "bounce+x@simulator.amazonses.com"


def test_only_the_matched_event_types_are_published_and_only_for_a_set_with_a_destination(ses_to_queue):
    send, events = ses_to_queue
    send("complaint@simulator.amazonses.com", ConfigurationSetName="notices")  # complaints are not matched here
    assert [e["eventType"] for e in events()] == ["Delivery"]
    send("lies@bouw.example")  # no configuration set: SES publishes nothing
    assert events() == []


def test_the_template_s_sns_destination_is_read_for_the_runtime():
    from localrt.template import load_template

    tpl = load_template("infra/template.yaml")
    (destination,) = tpl.mail_event_destinations
    assert destination.configuration_set in tpl.configuration_sets
    assert destination.topic_arn == next(t.arn for t in tpl.topics if t.logical_id == "MailEventTopic")
    assert set(destination.event_types) == {"delivery", "bounce", "complaint", "reject"}
