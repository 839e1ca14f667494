"""Publishing several envelopes at once on SNS (moto): one PublishBatch per ten, each message as a
single Publish would put it, and an entry SNS refused raises so the request or message is retried."""

import json

import boto3
import pytest
from moto import mock_aws
from testkit import tables

from kernel import aws
from kernel.events import DecisionDeadlineMissedV1
from kernel.publisher import (
    InMemoryPublisher,
    PublishFailed,
    SnsEventPublisher,
    envelope_for,
    publish_envelopes,
)


@pytest.fixture
def bus(monkeypatch):
    tables.offline_credentials(monkeypatch)
    with mock_aws():
        aws.reset()
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="events")["TopicArn"]
        queue = sqs.create_queue(QueueName="q")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        yield topic, sqs, queue
        aws.reset()


def _envelope(n: int):
    return envelope_for(DecisionDeadlineMissedV1(application_id=f"a-{n}", partnership_id="horeca",
                                                 decision_due="2026-12-10"), source="review", correlation_id="c")


def _received(sqs, queue) -> list[dict]:
    got: list[dict] = []
    while batch := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
        got += [json.loads(m["Body"]) for m in batch]
        sqs.delete_message_batch(QueueUrl=queue, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return got


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    client = aws.client("sns")
    client.meta.events.register("before-call.sns", lambda model, **_: calls.append(model.name))
    return calls


def test_two_envelopes_go_out_in_one_publish_batch_with_their_attributes(bus, monkeypatch):
    topic, sqs, queue = bus
    calls = _counting(monkeypatch)
    envelopes = [_envelope(1), _envelope(2)]
    publish_envelopes(SnsEventPublisher(topic), envelopes)
    assert calls == ["PublishBatch"]
    received = _received(sqs, queue)
    assert sorted(m["Message"] for m in received) == sorted(e.to_json() for e in envelopes)
    for message in received:
        assert message["MessageAttributes"]["event_name"]["Value"] == "DecisionDeadlineMissed"
        assert message["MessageAttributes"]["partnership_id"]["Value"] == "horeca"


def test_one_envelope_is_a_plain_publish_and_twelve_are_two_batches(bus, monkeypatch):
    topic, sqs, queue = bus
    calls = _counting(monkeypatch)
    publish_envelopes(SnsEventPublisher(topic), [_envelope(0)])
    publish_envelopes(SnsEventPublisher(topic), [_envelope(n) for n in range(12)])
    assert calls == ["Publish", "PublishBatch", "PublishBatch"]
    assert len(_received(sqs, queue)) == 13


def test_an_entry_sns_refused_raises_so_the_caller_is_retried(bus, monkeypatch):
    topic, _, _ = bus
    client = aws.client("sns")

    def refused(**kwargs):
        entries = kwargs["PublishBatchRequestEntries"]
        return {"Successful": [{"Id": entries[0]["Id"], "MessageId": "m"}],
                "Failed": [{"Id": entries[1]["Id"], "Code": "InternalError", "SenderFault": False}]}

    monkeypatch.setattr(client, "publish_batch", refused)
    with pytest.raises(PublishFailed, match="InternalError"):
        publish_envelopes(SnsEventPublisher(topic), [_envelope(1), _envelope(2)])


def test_the_in_memory_publisher_keeps_a_batch_in_order_like_single_publishes():
    publisher = InMemoryPublisher()
    envelopes = [_envelope(1), _envelope(2), _envelope(3)]
    publish_envelopes(publisher, envelopes)
    assert publisher.published == envelopes


def test_a_publisher_without_batches_gets_each_envelope_in_turn():
    class OneByOne:
        def __init__(self) -> None:
            self.published: list = []

        def publish(self, envelope) -> None:
            self.published.append(envelope)

    publisher = OneByOne()
    envelopes = [_envelope(1), _envelope(2)]
    publish_envelopes(publisher, envelopes)
    assert publisher.published == envelopes
