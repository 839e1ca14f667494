"""A company asks for support (exploratory talk, help with an application or renewal, finding a learner)."""

from __future__ import annotations

from typing import Any

from intake.domain.requests import RequestSupport
from intake.usecases.ports import SOURCE, Ports, Principal
from kernel import clock
from kernel.errors import Forbidden
from kernel.events import Contact, SupportRequestedV1
from kernel.publisher import publish


def request_support(ports: Ports, principal: Principal, command: RequestSupport, correlation_id: str) -> dict[str, Any]:
    """Raises Forbidden for an enterprise the caller may not act for. Routing sends it on to a partnership."""
    if not principal.may_act_for(command.enterprise_number):
        raise Forbidden("You may not ask support for this enterprise.")
    request_id, now = ports.new_id(), clock.now()
    data = SupportRequestedV1(
        support_request_id=request_id,
        enterprise_number=command.enterprise_number,
        joint_committee=command.joint_committee,
        topic=command.topic,
        message=command.message,
        contact=Contact.model_validate(command.contact.model_dump()),
        requested_at=now,
    )
    publish(ports.publisher, data, source=SOURCE, correlation_id=correlation_id, cause_id=request_id,
            what="SupportRequested")
    return {"id": request_id, "status": "received", **data.model_dump(mode="json", exclude={"support_request_id"})}
