"""In-memory fakes of routing's ports, for unit tests."""

from __future__ import annotations

from routing.domain.partnership_routing import RoutingDecision


class InMemoryRoutingLog:
    def __init__(self) -> None:
        self.decisions: dict[str, RoutingDecision] = {}

    def record(self, subject_id: str, decision: RoutingDecision) -> None:
        self.decisions[subject_id] = decision
