"""Publishing events on the bus: one SNS topic, event_name and event_version as message
attributes so that each consumer's subscription filters on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from kernel import aws, clock
from kernel.envelope import Envelope, derived_event_id, new_event_id
from kernel.events import EventData, name_and_version


class EventPublisher(Protocol):
    def publish(self, envelope: Envelope) -> None:
        """Put one envelope on the bus. Raises on failure (the caller's message is then retried)."""


@runtime_checkable
class BatchPublisher(Protocol):
    def publish_batch(self, envelopes: Sequence[Envelope]) -> None:
        """Put several envelopes on the bus in as few calls as it takes. Raises when any of them did
        not go out (the caller's message or request is then retried; the ones that did go out are
        dropped as duplicates by their consumers, on event_id)."""


class PublishFailed(Exception):
    """SNS answered a batch with entries it did not publish."""


def publish_envelopes(publisher: EventPublisher, envelopes: Sequence[Envelope]) -> None:
    """Put ``envelopes`` on the bus: in one batch when the publisher takes batches (one SNS
    PublishBatch per ten), else one by one in order. Raises what the publisher raises."""
    if len(envelopes) > 1 and isinstance(publisher, BatchPublisher):
        publisher.publish_batch(envelopes)
        return
    for envelope in envelopes:
        publisher.publish(envelope)


def envelope_for(
    data: EventData,
    *,
    source: str,
    correlation_id: str,
    event_id: str | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    """Wrap event data in the versioned envelope, with a new id unless ``event_id`` is given (an
    event a service publishes takes its id from derived_envelope). Raises KeyError for data not in
    the catalogue."""
    name, version = name_and_version(data)
    return Envelope(
        event_id=event_id or new_event_id(),
        event_name=name,
        event_version=version,
        source=source,
        correlation_id=correlation_id,
        occurred_at=occurred_at or clock.now(),
        data=data.model_dump(mode="json"),
    )


def derived_envelope(
    data: EventData,
    *,
    source: str,
    correlation_id: str,
    cause_id: str,
    what: str,
    occurred_at: datetime | None = None,
) -> Envelope:
    """The envelope of an event caused by ``cause_id`` (the event being handled, or the subject a
    request changed), for the bus, an outbox or a timer. Its id derives from the cause and
    ``what`` (kernel.envelope.derived_event_id): a retried request or consumer builds the same
    envelope again, and consumers drop the copy. Raises KeyError for data not in the catalogue."""
    return envelope_for(data, source=source, correlation_id=correlation_id,
                        event_id=derived_event_id(cause_id, what), occurred_at=occurred_at)


def publish(
    publisher: EventPublisher, data: EventData, *, source: str, correlation_id: str, cause_id: str, what: str
) -> Envelope:
    """Publish ``data`` in its derived envelope (derived_envelope) and return that envelope.
    Raises what the publisher raises: the request answers 500, or the message is retried."""
    envelope = derived_envelope(data, source=source, correlation_id=correlation_id, cause_id=cause_id, what=what)
    publisher.publish(envelope)
    return envelope


def message_attributes(envelope: Envelope) -> dict[str, dict[str, str]]:
    attributes = {
        "event_name": {"DataType": "String", "StringValue": envelope.event_name},
        "event_version": {"DataType": "Number", "StringValue": str(envelope.event_version)},
    }
    # Partnership back offices subscribe to their own feed with a filter on this attribute.
    partnership_id = envelope.data.get("partnership_id")
    if isinstance(partnership_id, str) and partnership_id:
        attributes["partnership_id"] = {"DataType": "String", "StringValue": partnership_id}
    return attributes


# SNS PublishBatch: at most ten entries, and their messages with attributes at most 256 KiB together.
BATCH_ENTRIES = 10
BATCH_BYTES = 262_144


def _size(entry: dict[str, Any]) -> int:
    attributes = entry["MessageAttributes"]
    return len(entry["Message"].encode()) + sum(
        len(name.encode()) + len(value["DataType"].encode()) + len(value["StringValue"].encode())
        for name, value in attributes.items())


def _batches(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    batches: list[list[dict[str, Any]]] = []
    size = 0
    for entry in entries:
        if not batches or len(batches[-1]) == BATCH_ENTRIES or size + _size(entry) > BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(entry)
        size += _size(entry)
    return batches


class SnsEventPublisher:
    def __init__(self, topic_arn: str) -> None:
        self._topic_arn = topic_arn

    def publish(self, envelope: Envelope) -> None:
        aws.client("sns").publish(
            TopicArn=self._topic_arn,
            Message=envelope.to_json(),
            MessageAttributes=message_attributes(envelope),
        )

    def publish_batch(self, envelopes: Sequence[Envelope]) -> None:
        """PublishBatch (authorised by sns:Publish, as a single Publish): each entry exactly the
        message and attributes a Publish would send. SNS answers 200 with a Failed list for the
        entries it did not publish: any of them raises PublishFailed."""
        entries = [{"Id": str(n), "Message": e.to_json(), "MessageAttributes": message_attributes(e)}
                   for n, e in enumerate(envelopes)]
        names = {str(n): e.event_name for n, e in enumerate(envelopes)}
        for batch in _batches(entries):
            if len(batch) == 1:
                aws.client("sns").publish(TopicArn=self._topic_arn, Message=batch[0]["Message"],
                                          MessageAttributes=batch[0]["MessageAttributes"])
                continue
            answer = aws.client("sns").publish_batch(TopicArn=self._topic_arn, PublishBatchRequestEntries=batch)
            failed = answer.get("Failed") or []
            if failed:
                raise PublishFailed("not published: " + ", ".join(
                    f"{names.get(f.get('Id', ''), '?')} ({f.get('Code')}: {f.get('Message', '')})" for f in failed))


class InMemoryPublisher:
    """Test double: keeps what was published."""

    def __init__(self) -> None:
        self.published: list[Envelope] = []

    def publish(self, envelope: Envelope) -> None:
        self.published.append(envelope)

    def publish_batch(self, envelopes: Sequence[Envelope]) -> None:
        self.published.extend(envelopes)

    def names(self) -> list[str]:
        return [e.event_name for e in self.published]
