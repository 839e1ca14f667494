"""The ports routing's use cases work through, and the Ports bundle bootstrap.py fills.

Routing keeps no optimistic state (the routing log is overwritten with the same decision on a
retry), so it has no stale write to raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kernel.publisher import EventPublisher
from reference.partnerships import PartnershipTable
from routing.domain.partnership_routing import RoutingDecision

SOURCE = "routing"


class RoutingLog(Protocol):
    def record(self, subject_id: str, decision: RoutingDecision, *, mark_event: bool = False) -> None:
        """Keep why ``subject_id`` went where it went; a retry with the same decision overwrites it.
        ``mark_event``: in one transaction with the idempotency marker of the event being handled
        (kernel.processed.write_marked; raises AlreadyProcessed when it is written already)."""


@dataclass(frozen=True)
class Ports:
    publisher: EventPublisher
    log: RoutingLog
    partnerships: PartnershipTable
