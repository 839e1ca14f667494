"""Which envelopes a consumer has already handled: idempotency on the envelope's event_id.

SQS and SNS deliver at least once and a redrive replays old messages; the SQS message id changes
on every delivery path, the envelope's event_id does not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, Protocol

from kernel import aws, clock

# Longer than any path a message can take back to a consumer (14 days in a DLQ, then a redrive).
REMEMBER_FOR = timedelta(days=30)


class ProcessedEvents(Protocol):
    def is_processed(self, event_id: str) -> bool: ...

    def mark_processed(self, event_id: str, event_name: str) -> None: ...


class AlreadyProcessed(Exception):
    """The handler's own transaction found the event's marker written: another delivery of the
    same event got there first. The consumer counts the record as a duplicate."""


def _marker_key(event_id: str) -> dict[str, str]:
    return {"pk": f"EVENT#{event_id}", "sk": "PROCESSED"}


def _marker_item(event_id: str, event_name: str) -> dict[str, Any]:
    now = clock.now()
    return {**_marker_key(event_id), "event_name": event_name, "processed_at": clock.iso(now),
            "expires_at": int((now + REMEMBER_FOR).timestamp())}


class Marker:
    """The idempotency marker of the event being handled (kernel.consumer), offered to the handler's
    own last write so that the state change and the marker are one DynamoDB transaction (one call
    less, and no window between them). Opt-in: a handler that never takes it gets the consumer's own
    PutItem after it returns, as before.

    Take it only in the handler's LAST state write, after every side effect (publish, timers): once
    the marker is written a redelivery is skipped, so nothing after that write would ever be retried."""

    def __init__(self, event_id: str, event_name: str, store: ProcessedEvents) -> None:
        self.event_id = event_id
        self.event_name = event_name
        self._store = store
        self.written = False  # set by the adapter whose transaction carried it

    def transact_put(self, table_name: str) -> dict[str, Any] | None:
        """The marker as a TransactWriteItems Put, conditional on its absence (a failed condition:
        AlreadyProcessed), if the consumer keeps its markers in ``table_name``; else None (the
        consumer writes it itself). Call ``wrote()`` once the transaction succeeded."""
        if not isinstance(self._store, DynamoProcessedEvents) or self._store.table_name != table_name:
            return None
        return {"Put": {"TableName": table_name, "Item": _marker_item(self.event_id, self.event_name),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def wrote(self) -> None:
        self.written = True

    def unwrite(self) -> None:
        """Remove the marker a transaction carried, when what followed that write failed and the
        event must be handled again (a mail whose send failed after its claim carried the marker)."""
        if self.written:
            if isinstance(self._store, DynamoProcessedEvents):
                self._store.unmark(self.event_id)
            elif isinstance(self._store, InMemoryProcessedEvents):
                self._store.ids.discard(self.event_id)
            self.written = False

    def is_recorded(self) -> bool:
        return self._store.is_processed(self.event_id)

    def record(self) -> None:
        """For an in-memory adapter: the marker is written with its change (raises AlreadyProcessed
        when it is there already)."""
        if self._store.is_processed(self.event_id):
            raise AlreadyProcessed(self.event_id)
        self._store.mark_processed(self.event_id, self.event_name)
        self.written = True


_current: ContextVar[Marker | None] = ContextVar("kernel_processed_marker", default=None)


def written_marker() -> Marker | None:
    """The marker of the event being handled once a write carried it (for Marker.unwrite)."""
    marker = _current.get()
    return marker if marker is not None and marker.written else None


def current_marker() -> Marker | None:
    """The marker of the event being handled, not yet written; None outside a consumer (an HTTP
    request, a test calling a use case directly) or once written."""
    marker = _current.get()
    return marker if marker is not None and not marker.written else None


@contextlib.contextmanager
def handling(envelope_event_id: str, event_name: str, store: ProcessedEvents) -> Iterator[Marker]:
    """While a handler runs: its marker, for current_marker()."""
    marker = Marker(envelope_event_id, event_name, store)
    token = _current.set(marker)
    try:
        yield marker
    finally:
        _current.reset(token)


class DynamoProcessedEvents:
    """Markers in the consuming service's own table, expiring through its TTL attribute."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def table_name(self) -> str:
        return self._table_name

    def _key(self, event_id: str) -> dict[str, str]:
        return _marker_key(event_id)

    def is_processed(self, event_id: str) -> bool:
        item = aws.table(self._table_name).get_item(Key=self._key(event_id), ConsistentRead=True).get("Item")
        return item is not None

    def mark_processed(self, event_id: str, event_name: str) -> None:
        aws.table(self._table_name).put_item(Item=_marker_item(event_id, event_name))

    def unmark(self, event_id: str) -> None:
        aws.table(self._table_name).delete_item(Key=self._key(event_id))

    def mark_if_new(self, event_id: str, event_name: str) -> bool:
        """mark_processed, unless the marker is there: False then (a copy of a handled event)."""
        table = aws.table(self._table_name)
        try:
            table.put_item(Item=_marker_item(event_id, event_name), ConditionExpression="attribute_not_exists(pk)")
            return True
        except table.meta.client.exceptions.ConditionalCheckFailedException:
            return False


class InMemoryProcessedEvents:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def is_processed(self, event_id: str) -> bool:
        return event_id in self.ids

    def mark_processed(self, event_id: str, event_name: str) -> None:
        self.ids.add(event_id)

    def mark_if_new(self, event_id: str, event_name: str) -> bool:
        new = event_id not in self.ids
        self.ids.add(event_id)
        return new


def write_marked(table: Any, writes: list[dict[str, Any]]) -> bool | None:
    """``writes`` (TransactWriteItems entries on ``table``, a boto3 Table) and the marker of the event
    being handled in one transaction: the state change and its idempotency marker in one call.

    Returns None when there is no marker to carry (outside a consumer, the marker already written,
    or the consumer keeps its markers elsewhere): the caller writes on its own. True when written;
    False when a condition of ``writes`` failed (nothing written; the consumer then writes the
    marker itself). Raises AlreadyProcessed when the marker was there: another delivery got there
    first."""
    marker = current_marker()
    marker_put = marker.transact_put(table.name) if marker is not None else None
    if marker is None or marker_put is None:
        return None
    client = table.meta.client
    try:
        client.transact_write_items(TransactItems=[*writes, marker_put])
    except client.exceptions.TransactionCanceledException as exc:
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if len(reasons) > len(writes) and reasons[len(writes)] == "ConditionalCheckFailed":
            raise AlreadyProcessed(marker.event_id) from None
        if "ConditionalCheckFailed" in reasons[:len(writes)]:
            return False
        raise
    marker.wrote()
    return True
