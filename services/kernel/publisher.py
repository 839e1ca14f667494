"""Publishing events on the bus: one SNS topic, event_name and event_version as message
attributes so that each consumer's subscription filters on them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from kernel import aws, clock
from kernel.envelope import Envelope, derived_event_id, new_event_id
from kernel.events import EventData, name_and_version


class EventPublisher(Protocol):
    def publish(self, envelope: Envelope) -> None:
        """Put one envelope on the bus. Raises on failure (the caller's message is then retried)."""


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


class SnsEventPublisher:
    def __init__(self, topic_arn: str) -> None:
        self._topic_arn = topic_arn

    def publish(self, envelope: Envelope) -> None:
        aws.client("sns").publish(
            TopicArn=self._topic_arn,
            Message=envelope.to_json(),
            MessageAttributes=message_attributes(envelope),
        )


class InMemoryPublisher:
    """Test double: keeps what was published."""

    def __init__(self) -> None:
        self.published: list[Envelope] = []

    def publish(self, envelope: Envelope) -> None:
        self.published.append(envelope)

    def names(self) -> list[str]:
        return [e.event_name for e in self.published]
