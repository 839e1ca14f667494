"""Reading appeals: one appeal for whoever may see it, the coordinator's queue, a company's own."""

from __future__ import annotations

from appeal.domain.appeals import Appeal
from appeal.usecases.ports import Ports
from kernel.auth import Caller
from kernel.errors import NotFound


def visible_appeal(ports: Ports, caller: Caller, appeal_id: str) -> Appeal:
    """The appeal if the caller may see it: the appeals role, or the appellant company.
    Raises NotFound otherwise (another company's appeal is not revealed)."""
    appeal = ports.store.get(appeal_id)
    if appeal is None or (caller.role != "appeals" and appeal.enterprise_number != caller.enterprise_number):
        raise NotFound("No appeal with this id.")
    return appeal


def appeal_queue(ports: Ports, status: str | None = None) -> list[Appeal]:
    return ports.store.list(status)


def appeals_for(ports: Ports, caller: Caller, status: str | None = None) -> list[Appeal]:
    """What GET /appeals lists: for the appeals role the whole queue, for an employer its own
    company's appeals (oldest lodged first, ``status`` filtering both)."""
    if caller.role == "appeals":
        return appeal_queue(ports, status)
    if not caller.enterprise_number:
        return []
    return [a for a in ports.store.for_enterprise(caller.enterprise_number) if status is None or a.status == status]
