"""In-memory fakes of routing's ports, for unit tests."""

from __future__ import annotations

from kernel.processed import current_marker
from routing.domain.partnership_routing import RoutingDecision


class InMemoryRoutingLog:
    def __init__(self) -> None:
        self.decisions: dict[str, RoutingDecision] = {}

    def record(self, subject_id: str, decision: RoutingDecision, *, mark_event: bool = False) -> None:
        marker = current_marker() if mark_event else None
        if marker is not None:
            marker.record()  # as the DynamoDB adapter's transaction (AlreadyProcessed when it is there)
        self.decisions[subject_id] = decision
