import pytest

from kernel.events import ApplicationSnapshot, ApplicationSubmittedV1, SupportRequestedV1
from kernel.publisher import InMemoryPublisher, envelope_for
from reference.partnerships import partnership_table
from routing.adapters.memory import InMemoryRoutingLog
from routing.usecases.ports import Ports
from routing.usecases.routing import route_application, route_support_request


def submitted(joint_committee, event_id="e-1"):
    data = ApplicationSubmittedV1(
        application=ApplicationSnapshot(
            application_id="app-1",
            enterprise_number="0403170701",
            establishment_number="2123456791",
            training_code="ruwbouw-duaal",
            kind="new",
            company={"name": "Bouw NV", "joint_committee": joint_committee},
            submitted_at="2026-11-26T10:00:00Z",
            decision_due="2026-12-10",
            policy_version="p-1",
        )
    )
    return envelope_for(data, source="intake", correlation_id="corr-1", event_id=event_id), data


def ports(publisher: InMemoryPublisher, log: InMemoryRoutingLog | None = None) -> Ports:
    return Ports(publisher=publisher, log=log or InMemoryRoutingLog(), partnerships=partnership_table())


@pytest.mark.parametrize(
    "joint_committee,partnership_id,rule",
    [
        ("302", "horeca", "joint_committee_exact"),
        ("124", "construction", "joint_committee_exact"),
        ("200", "vpdl", "fallback_vpdl"),
        ("999", "vpdl", "fallback_vpdl"),
        ("302.01", "horeca", "joint_committee_parent"),
        ("not a committee", "vpdl", "unexpected_fallback_vpdl"),
    ],
)
def test_a_submitted_application_is_routed_with_its_rule_and_pinned_deadline(joint_committee, partnership_id, rule):
    envelope, data = submitted(joint_committee)
    publisher, log = InMemoryPublisher(), InMemoryRoutingLog()
    route_application(ports(publisher, log), envelope, data)
    [routed] = publisher.published
    assert routed.event_name == "ApplicationRouted"
    assert routed.data["partnership_id"] == partnership_id
    assert routed.data["routing"]["rule"] == rule
    assert routed.data["routing"]["data_version"]
    assert routed.data["decision_due"] == "2026-12-10"
    assert routed.correlation_id == "corr-1"
    assert log.decisions["app-1"].partnership_id == partnership_id


def test_routing_the_same_event_twice_publishes_the_same_event_id():
    envelope, data = submitted("302")
    publisher = InMemoryPublisher()
    for _ in range(2):
        route_application(ports(publisher), envelope, data)
    assert publisher.published[0].event_id == publisher.published[1].event_id


def test_a_support_request_goes_to_the_partnership_of_its_joint_committee():
    data = SupportRequestedV1(
        support_request_id="s-1",
        enterprise_number="0403170701",
        joint_committee="124",
        topic="find_learner",
        message="We look for a learner",
        contact={"name": "An", "email": "an@example.be"},
        requested_at="2026-11-26T10:00:00Z",
    )
    envelope = envelope_for(data, source="intake", correlation_id="c")
    publisher = InMemoryPublisher()
    route_support_request(ports(publisher), envelope, data)
    assert publisher.published[0].data["partnership_id"] == "construction"
    assert publisher.published[0].data["request"]["topic"] == "find_learner"
