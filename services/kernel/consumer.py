"""Consuming the bus: an SQS batch from a consumer queue, one envelope per record.

Partial batch responses (ReportBatchItemFailures): a record that fails is reported in
batchItemFailures and comes back after the visibility timeout; after maxReceiveCount it is parked
in the queue's DLQ. Nothing is swallowed: a record is either handled, skipped as a duplicate, or
reported as failed. The loop is ours rather than Powertools' BatchProcessor, whose import pulls in
the parser models of every event source (DynamoDB streams, Kinesis, Kafka...): 60-170 ms of every
consumer's cold start for a dozen lines of behaviour.

Idempotency order: check the marker, handle, then mark. A crash between handling and marking
re-runs the handler, so handlers make their writes conditional and publish derived event ids
(kernel.envelope.derived_event_id) that downstream consumers drop as duplicates. A handler may
instead write the marker in its own last transaction (kernel.processed.current_marker(), opt-in):
one call less and no window between the change and the marker. A handler whose every effect is
such conditional writes, with the marker in its last one, may also skip the check
(``on(..., checks_marker=False)``): the transaction's condition on the marker is the check, so the
first delivery costs one read less and a copy stops at that write (having re-done only reads and
writes that change nothing).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from pydantic import ValidationError

from kernel.envelope import Envelope
from kernel.events import EventData, catalogue_key, parse_data
from kernel.processed import AlreadyProcessed, ProcessedEvents, handling

EventHandler = Callable[[Envelope, EventData], None]
D = TypeVar("D", bound=EventData)


def on(data_type: type[D], handle: Callable[[Envelope, D], None], *,
       applies: Callable[[D], bool] | None = None, checks_marker: bool = True) -> tuple[str, EventHandler]:
    """One entry of a consumer's handlers: ``handle`` runs for the event whose data model is
    ``data_type``, keyed by that model's event name. A handler that does not take that data is a
    type error, not a failure when the first event arrives. Raises KeyError for a model not in
    the catalogue.

    ``applies``: whether ``handle`` has anything to do with this data (a consumer that reads only
    some kinds of an event). An event it does not apply to is acknowledged as ignored before the
    idempotency check: no marker is read or written for what changes nothing.

    ``checks_marker=False``: no read of the idempotency marker before ``handle``, for a handler that
    is safe to repeat whole and writes the marker in its own last transaction
    (kernel.processed.current_marker): a copy stops there with AlreadyProcessed.

    Another version of the event (one this consumer was not written for) raises PoisonMessage:
    it is retried and then parked in the DLQ, never handed to code that reads the wrong fields."""
    name, _version = catalogue_key(data_type)

    @functools.wraps(handle)  # keeps the handler's name and docstring in logs and tracebacks
    def run(envelope: Envelope, data: EventData) -> None:
        if not isinstance(data, data_type):
            raise PoisonMessage(f"{name} v{envelope.event_version} is not read here (this consumer reads "
                                f"{data_type.__name__})")
        handle(envelope, data)

    if applies is not None:
        run.applies = lambda data: isinstance(data, data_type) and applies(data)  # type: ignore[attr-defined]
    if not checks_marker:
        run.checks_marker = False  # type: ignore[attr-defined]
    return name, run


def handler_map(*entries: tuple[str, EventHandler]) -> dict[str, EventHandler]:
    """The handlers of a consumer, from ``on(...)`` entries. Raises ValueError when two entries
    handle the same event."""
    handlers: dict[str, EventHandler] = {}
    for name, handle in entries:
        if name in handlers:
            raise ValueError(f"two handlers for {name}")
        handlers[name] = handle
    return handlers


class PoisonMessage(Exception):
    """A record that is not an envelope this consumer can read; it goes to the DLQ after retries."""


def envelope_from_body(body: str) -> Envelope:
    """Raises PoisonMessage when the body is not a valid envelope."""
    try:
        return Envelope.model_validate_json(body)
    except ValueError as exc:
        raise PoisonMessage(f"not an event envelope: {type(exc).__name__}") from None


def handle_envelope(
    envelope: Envelope,
    *,
    handlers: Mapping[str, EventHandler],
    processed: ProcessedEvents,
    logger: Logger,
) -> str:
    """Run the handler for one envelope unless it was handled before. Returns what happened.

    Raises whatever the handler raises, and PoisonMessage/UnknownEvent/ValidationError for data
    this consumer cannot read.
    """
    handler = handlers.get(envelope.event_name)
    if handler is None:
        # The subscription's filter policy should not have let it through; it is not ours to act on.
        logger.warning("no handler for event, acknowledged", extra={"outcome": "ignored"})
        return "ignored"
    data: EventData | None = None
    applies = getattr(handler, "applies", None)
    if applies is not None and not applies(data := _parsed(envelope)):
        logger.info("event not for this consumer, acknowledged", extra={"outcome": "ignored"})
        return "ignored"
    checked = getattr(handler, "checks_marker", True)
    if checked and processed.is_processed(envelope.event_id):
        logger.info("duplicate event skipped", extra={"outcome": "duplicate"})
        return "duplicate"
    if data is None:
        data = _parsed(envelope)
    with handling(envelope.event_id, envelope.event_name, processed) as marker:
        try:
            handler(envelope, data)
        except AlreadyProcessed:  # the handler's own transaction met the marker: a concurrent copy
            logger.info("duplicate event skipped", extra={"outcome": "duplicate"})
            return "duplicate"
    if not marker.written:  # the handler did not write it with its change: write it now
        mark_if_new = getattr(processed, "mark_if_new", None)
        if not checked and mark_if_new is not None:
            if not mark_if_new(envelope.event_id, envelope.event_name):  # unchecked: it may be a copy
                logger.info("duplicate event skipped", extra={"outcome": "duplicate"})
                return "duplicate"
        else:
            processed.mark_processed(envelope.event_id, envelope.event_name)
    logger.info("event handled", extra={"outcome": "handled"})
    return "handled"


def _parsed(envelope: Envelope) -> EventData:
    try:
        return parse_data(envelope.event_name, envelope.event_version, envelope.data)
    except ValidationError as exc:
        # pydantic's message quotes the input, which may hold a national register number: keep
        # only where and why it failed (the record still goes to the DLQ after its retries).
        where = ", ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors())
        raise PoisonMessage(f"{envelope.event_name} v{envelope.event_version} data invalid ({where})") from None


# The least time a consumer keeps in hand before starting another record of its batch (see consume_batch).
DEADLINE_RESERVE_MS = 1_000


def consume_batch(
    event: dict[str, Any],
    context: Any,
    *,
    handlers: Mapping[str, EventHandler],
    processed: ProcessedEvents,
    logger: Logger,
) -> dict[str, Any]:
    """Process an SQS batch and return the partial batch response: every record is tried, in order,
    and the message ids of those that failed are returned for SQS to deliver again.

    Near the function's Timeout the records not yet started are handed back untried, because a batch
    that overruns it is killed whole and all of it comes back, the records already done included (a
    batch of notices on a slow day). "Near": less time left than twice the slowest record so far, and
    at least DEADLINE_RESERVE_MS. The first record is always tried, so each delivery makes progress."""
    failures: list[dict[str, str]] = []
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    slowest = 0
    records = event.get("Records") or []
    for index, record in enumerate(records):
        left = remaining() if remaining is not None else None
        if index and left is not None and left < max(DEADLINE_RESERVE_MS, 2 * slowest):
            logger.warning("the invocation is about to time out; the records not started are handed back",
                           extra={"outcome": "deferred", "deferred": len(records) - index, "remaining_ms": left})
            failures.extend({"itemIdentifier": r["messageId"]} for r in records[index:])
            break
        try:
            _consume_record(record, handlers=handlers, processed=processed, logger=logger)
        except Exception:  # noqa: BLE001 - reported per record; the queue retries it, then its DLQ
            failures.append({"itemIdentifier": record["messageId"]})
        if remaining is not None and left is not None:
            slowest = max(slowest, left - remaining())
    return {"batchItemFailures": failures}


def _consume_record(record: dict[str, Any], *, handlers: Mapping[str, EventHandler], processed: ProcessedEvents,
                    logger: Logger) -> str:
    try:
        envelope = envelope_from_body(record.get("body") or "")
    except PoisonMessage:
        logger.exception("record is no event envelope; it will be retried, then parked in the DLQ",
                         extra={"outcome": "failed", "message_id": record.get("messageId")})
        raise
    logger.set_correlation_id(envelope.correlation_id)
    logger.append_keys(event_name=envelope.event_name, event_id=envelope.event_id)
    try:
        return handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger)
    except Exception:
        logger.exception("event handling failed; the record will be retried", extra={"outcome": "failed"})
        raise
    finally:
        logger.remove_keys(["event_name", "event_id"])
        logger.set_correlation_id(None)
