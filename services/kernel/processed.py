"""Which envelopes a consumer has already handled: idempotency on the envelope's event_id.

SQS and SNS deliver at least once and a redrive replays old messages; the SQS message id changes
on every delivery path, the envelope's event_id does not.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from kernel import aws, clock

# Longer than any path a message can take back to a consumer (14 days in a DLQ, then a redrive).
REMEMBER_FOR = timedelta(days=30)


class ProcessedEvents(Protocol):
    def is_processed(self, event_id: str) -> bool: ...

    def mark_processed(self, event_id: str, event_name: str) -> None: ...


class DynamoProcessedEvents:
    """Markers in the consuming service's own table, expiring through its TTL attribute."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    def _key(self, event_id: str) -> dict[str, str]:
        return {"pk": f"EVENT#{event_id}", "sk": "PROCESSED"}

    def is_processed(self, event_id: str) -> bool:
        item = aws.table(self._table_name).get_item(Key=self._key(event_id), ConsistentRead=True).get("Item")
        return item is not None

    def mark_processed(self, event_id: str, event_name: str) -> None:
        now = clock.now()
        aws.table(self._table_name).put_item(
            Item={
                **self._key(event_id),
                "event_name": event_name,
                "processed_at": clock.iso(now),
                "expires_at": int((now + REMEMBER_FOR).timestamp()),
            }
        )


class InMemoryProcessedEvents:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def is_processed(self, event_id: str) -> bool:
        return event_id in self.ids

    def mark_processed(self, event_id: str, event_name: str) -> None:
        self.ids.add(event_id)
