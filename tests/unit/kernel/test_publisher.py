from kernel.envelope import derived_event_id
from kernel.events import DecisionDeadlineMissedV1
from kernel.publisher import envelope_for, message_attributes


def test_the_envelope_carries_name_version_and_a_utc_instant():
    data = DecisionDeadlineMissedV1(application_id="a-1", partnership_id="horeca", decision_due="2026-12-10")
    envelope = envelope_for(data, source="review", correlation_id="c-9")
    body = envelope.model_dump(mode="json")
    assert body["event_name"] == "DecisionDeadlineMissed"
    assert body["event_version"] == 1
    assert body["occurred_at"].endswith("Z")
    assert body["data"]["decision_due"] == "2026-12-10"


def test_message_attributes_let_subscriptions_filter_on_name_and_partnership():
    data = DecisionDeadlineMissedV1(application_id="a-1", partnership_id="horeca", decision_due="2026-12-10")
    attributes = message_attributes(envelope_for(data, source="review", correlation_id="c"))
    assert attributes["event_name"]["StringValue"] == "DecisionDeadlineMissed"
    assert attributes["event_version"] == {"DataType": "Number", "StringValue": "1"}
    assert attributes["partnership_id"]["StringValue"] == "horeca"


def test_derived_event_ids_are_stable_and_distinct():
    assert derived_event_id("e-1", "routed") == derived_event_id("e-1", "routed")
    assert derived_event_id("e-1", "routed") != derived_event_id("e-2", "routed")
    assert derived_event_id("e-1", "routed") != derived_event_id("e-1", "other")
