import json

import pytest
from aws_lambda_powertools import Logger

from kernel.consumer import PoisonMessage, consume_batch, handle_envelope, handler_map, on
from kernel.envelope import Envelope
from kernel.events import QuestionAskedV1, SupportRequestedV1
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import envelope_for

logger = Logger(service="test")


def support_requested(event_id: str) -> str:
    data = SupportRequestedV1(
        support_request_id="s-1",
        enterprise_number="0403170701",
        topic="exploratory",
        message="Can we talk?",
        contact={"name": "An", "email": "an@example.be"},
        requested_at="2026-11-26T10:00:00Z",
    )
    return envelope_for(data, source="test", correlation_id="c-1", event_id=event_id).to_json()


def sqs_event(*bodies: str) -> dict:
    return {
        "Records": [
            {
                "messageId": f"m-{i}",
                "receiptHandle": "r",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
                "awsRegion": "eu-west-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


def test_a_duplicate_envelope_is_handled_once_even_with_a_new_sqs_message_id():
    seen = []
    processed = InMemoryProcessedEvents()
    handlers = {"SupportRequested": lambda env, data: seen.append(data.support_request_id)}
    body = support_requested("e-1")
    consume_batch(sqs_event(body), None, handlers=handlers, processed=processed, logger=logger)
    response = consume_batch(sqs_event(body), None, handlers=handlers, processed=processed, logger=logger)
    assert seen == ["s-1"]
    assert response == {"batchItemFailures": []}


def test_a_failing_record_is_reported_alone_and_not_marked_processed():
    processed = InMemoryProcessedEvents()

    def handler(env, data):
        if env.event_id == "bad":
            raise RuntimeError("boom")

    event = sqs_event(support_requested("good"), support_requested("bad"))
    response = consume_batch(event, None, handlers={"SupportRequested": handler}, processed=processed, logger=logger)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert processed.ids == {"good"}


def test_a_body_that_is_not_an_envelope_is_retried_not_dropped():
    response = consume_batch(
        sqs_event("not json"), None, handlers={}, processed=InMemoryProcessedEvents(), logger=logger
    )
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}


def test_an_unknown_version_is_retried_not_dropped():
    envelope = json.loads(support_requested("e-2"))
    envelope["event_version"] = 99
    response = consume_batch(
        sqs_event(json.dumps(envelope)),
        None,
        handlers={"SupportRequested": lambda env, data: None},
        processed=InMemoryProcessedEvents(),
        logger=logger,
    )
    assert response["batchItemFailures"] == [{"itemIdentifier": "m-0"}]


@pytest.mark.parametrize("missing", ["event_id", "correlation_id", "data"])
def test_an_envelope_missing_a_field_is_poison(missing):
    envelope = json.loads(support_requested("e-3"))
    del envelope[missing]
    response = consume_batch(
        sqs_event(json.dumps(envelope)), None, handlers={}, processed=InMemoryProcessedEvents(), logger=logger
    )
    assert response["batchItemFailures"] == [{"itemIdentifier": "m-0"}]


def test_invalid_event_data_is_retried_without_quoting_the_input(caplog):
    envelope = json.loads(support_requested("e-4"))
    envelope["data"]["contact"] = "80031512361"
    response = consume_batch(
        sqs_event(json.dumps(envelope)),
        None,
        handlers={"SupportRequested": lambda env, data: None},
        processed=InMemoryProcessedEvents(),
        logger=logger,
    )
    assert response["batchItemFailures"] == [{"itemIdentifier": "m-0"}]
    assert "SupportRequested v1 data invalid (contact" in caplog.text
    assert "80031512361" not in caplog.text


def test_a_handler_is_registered_under_the_name_of_the_event_it_reads():
    seen = []

    def remember(envelope, data: SupportRequestedV1) -> None:
        seen.append(data.support_request_id)

    handlers = handler_map(on(SupportRequestedV1, remember))
    envelope = Envelope.model_validate_json(support_requested("e-1"))
    assert list(handlers) == ["SupportRequested"]
    assert handle_envelope(envelope, handlers=handlers, processed=InMemoryProcessedEvents(), logger=logger) == "handled"
    assert seen == ["s-1"]


def test_two_handlers_for_one_event_are_refused():
    with pytest.raises(ValueError, match="SupportRequested"):
        handler_map(on(SupportRequestedV1, lambda e, d: None), on(SupportRequestedV1, lambda e, d: None))


def test_data_of_another_model_than_the_handler_reads_is_poison_not_handled():
    seen = []
    name, handle = on(SupportRequestedV1, lambda e, d: seen.append(d))
    envelope = Envelope.model_validate_json(support_requested("e-2"))
    other = QuestionAskedV1(application_id="a-1", question_id="q-1", partnership_id="p-1", message="?",
                            asked_at="2026-11-26T10:00:00Z")
    with pytest.raises(PoisonMessage, match="SupportRequested"):
        handle(envelope, other)
    assert seen == []


class CountingProcessed(InMemoryProcessedEvents):
    def __init__(self) -> None:
        super().__init__()
        self.marks = 0

    def mark_processed(self, event_id: str, event_name: str) -> None:
        self.marks += 1
        super().mark_processed(event_id, event_name)


def test_a_handler_that_writes_the_marker_with_its_change_spares_the_consumers_own_write():
    from kernel.processed import current_marker

    processed = CountingProcessed()

    def own_transaction(env, data):
        marker = current_marker()
        assert marker is not None and marker.event_id == "e-9"
        marker.record()  # what an adapter does with its change (in DynamoDB: one TransactWriteItems)
        assert current_marker() is None  # written: nothing left to offer

    handlers = {"SupportRequested": own_transaction}
    envelope = Envelope.model_validate_json(support_requested("e-9"))
    assert handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger) == "handled"
    assert processed.is_processed("e-9") and processed.marks == 1  # once, by the handler's write
    assert handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger) == "duplicate"
    assert current_marker() is None  # outside a handler


def test_a_handler_that_does_not_take_the_marker_gets_the_consumers_write_and_a_copy_met_in_its_write_is_a_duplicate():
    from kernel.processed import AlreadyProcessed

    processed = CountingProcessed()
    envelope = Envelope.model_validate_json(support_requested("e-10"))
    handle_envelope(envelope, handlers={"SupportRequested": lambda env, data: None}, processed=processed,
                    logger=logger)
    assert processed.marks == 1

    def raced(env, data):
        raise AlreadyProcessed(env.event_id)  # the adapter's transaction found another copy's marker

    other = Envelope.model_validate_json(support_requested("e-11"))
    assert handle_envelope(other, handlers={"SupportRequested": raced}, processed=processed, logger=logger) == \
        "duplicate"
    assert processed.marks == 1


def test_an_event_the_handler_does_not_apply_to_is_ignored_without_reading_or_writing_a_marker():
    seen: list[str] = []

    class CountingProcessed(InMemoryProcessedEvents):
        reads = 0

        def is_processed(self, event_id: str) -> bool:
            CountingProcessed.reads += 1
            return super().is_processed(event_id)

    processed = CountingProcessed()
    handlers = handler_map(on(SupportRequestedV1, lambda env, data: seen.append(data.topic),
                              applies=lambda data: data.topic != "exploratory"))
    envelope = Envelope.model_validate_json(support_requested("e-9"))
    assert handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger) == "ignored"
    assert seen == [] and processed.ids == set() and CountingProcessed.reads == 0
    other = envelope.model_copy(update={"event_id": "e-10", "data": {**envelope.data, "topic": "renewal"}})
    assert handle_envelope(other, handlers=handlers, processed=processed, logger=logger) == "handled"
    assert handle_envelope(other, handlers=handlers, processed=processed, logger=logger) == "duplicate"
    assert seen == ["renewal"] and processed.ids == {"e-10"}


def test_a_handler_that_checks_the_marker_in_its_own_write_costs_no_read_and_a_copy_stops_at_that_write():
    """Issue 13 point 8: checks_marker=False skips the consumer's read; the handler's marked write
    (here the in-memory Marker.record) finds the copy and the consumer counts it a duplicate."""
    from kernel.processed import current_marker

    writes: list[str] = []

    class CountingProcessed(InMemoryProcessedEvents):
        reads = 0

        def is_processed(self, event_id: str) -> bool:
            CountingProcessed.reads += 1
            return super().is_processed(event_id)

    def handle(env, data):
        marker = current_marker()
        assert marker is not None
        marker.record()  # raises AlreadyProcessed for a copy, before the write
        writes.append(data.support_request_id)

    processed = CountingProcessed()
    handlers = handler_map(on(SupportRequestedV1, handle, checks_marker=False))
    envelope = Envelope.model_validate_json(support_requested("e-11"))
    assert handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger) == "handled"
    assert CountingProcessed.reads == 1  # the marker's own condition only
    assert handle_envelope(envelope, handlers=handlers, processed=processed, logger=logger) == "duplicate"
    assert writes == ["s-1"] and processed.ids == {"e-11"}
    # Without the flag the consumer reads first, as before.
    checked = handler_map(on(SupportRequestedV1, lambda env, data: None))
    CountingProcessed.reads = 0
    assert handle_envelope(envelope, handlers=checked, processed=processed, logger=logger) == "duplicate"
    assert CountingProcessed.reads == 1


class _Deadline:
    """A Lambda context whose remaining time the handler below runs down by ``per_record_ms`` a record."""

    def __init__(self, remaining_ms: int, per_record_ms: int):
        self.remaining_ms, self.per_record_ms = remaining_ms, per_record_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms

    def spend(self) -> None:
        self.remaining_ms -= self.per_record_ms


def test_records_left_when_the_invocation_is_about_to_time_out_are_returned_for_redelivery_untried():
    # A batch that overruns the function's Timeout is killed whole, and every record in it comes back,
    # the finished ones included. Stopping in time hands back only the untried ones.
    context = _Deadline(remaining_ms=9_000, per_record_ms=3_000)
    seen = []

    def handler(env, data):
        seen.append(env.event_id)
        context.spend()

    processed = InMemoryProcessedEvents()
    event = sqs_event(*(support_requested(f"e-{i}") for i in range(5)))
    response = consume_batch(event, context, handlers={"SupportRequested": handler}, processed=processed,
                             logger=logger)
    assert seen == ["e-0", "e-1"]  # after two records of 3 s, 3 s are left: not enough for a third
    assert response == {"batchItemFailures": [{"itemIdentifier": f"m-{i}"} for i in (2, 3, 4)]}
    assert processed.ids == {"e-0", "e-1"}


def test_the_first_record_is_always_tried_so_each_delivery_makes_progress():
    context = _Deadline(remaining_ms=500, per_record_ms=100)
    seen = []
    event = sqs_event(support_requested("e-0"), support_requested("e-1"))
    response = consume_batch(event, context, handlers={"SupportRequested": lambda env, data: seen.append(1)},
                             processed=InMemoryProcessedEvents(), logger=logger)
    assert seen == [1]
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
