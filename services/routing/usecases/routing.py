"""Routing use cases: pick the competent partnership and announce it on the bus.

Every decision is published with the rule that matched and the data version, and kept in the
routing log, so a partnership (or an auditor) can see why a file came to it.
"""

from __future__ import annotations

from kernel.envelope import Envelope
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationSubmittedV1,
    RoutingOutcome,
    SupportRequestedV1,
    SupportRequestRoutedV1,
)
from kernel.publisher import publish
from routing.domain.partnership_routing import RoutingDecision, decide_partnership
from routing.usecases.ports import SOURCE, Ports


def _outcome(decision: RoutingDecision) -> RoutingOutcome:
    return RoutingOutcome(
        partnership_id=decision.partnership_id,
        rule=decision.rule,
        matched=decision.matched,
        flagged=decision.flagged,
        reason=decision.reason,
        data_version=decision.data_version,
    )


def route_application(ports: Ports, envelope: Envelope, data: ApplicationSubmittedV1) -> RoutingDecision:
    """Route a submitted application. The decision deadline was pinned at submission by the
    policy then in force; routing carries it along and never recomputes it."""
    application = data.application
    joint_committee = application.company.joint_committee if application.company else None
    decision = decide_partnership(joint_committee, application.training_code, ports.partnerships)
    routed = ApplicationRoutedV1(
        application_id=application.application_id,
        partnership_id=decision.partnership_id,
        routing=_outcome(decision),
        decision_due=application.decision_due,
        application=application,
    )
    publish(ports.publisher, routed, source=SOURCE, correlation_id=envelope.correlation_id, cause_id=envelope.event_id,
            what="ApplicationRouted")
    # After the publish (the same event id on a retry): the log's write is the last and carries the
    # event's idempotency marker, so a crash before it re-publishes rather than loses the routing.
    ports.log.record(application.application_id, decision, mark_event=True)
    return decision


def route_support_request(ports: Ports, envelope: Envelope, data: SupportRequestedV1) -> RoutingDecision:
    decision = decide_partnership(data.joint_committee, None, ports.partnerships)
    routed = SupportRequestRoutedV1(
        support_request_id=data.support_request_id,
        partnership_id=decision.partnership_id,
        routing=_outcome(decision),
        request=data,
    )
    publish(ports.publisher, routed, source=SOURCE, correlation_id=envelope.correlation_id, cause_id=envelope.event_id,
            what="SupportRequestRouted")
    ports.log.record(data.support_request_id, decision, mark_event=True)  # last, as above
    return decision
