"""Commands of the employer or intermediary on its applications."""

from __future__ import annotations

from typing import Any

from intake.domain.application import OPEN, Application
from intake.domain.requests import ChangeApplication, CreateApplication
from intake.usecases.ports import SOURCE, Ports, Principal
from intake.usecases.unit_of_work import commit, load_own
from kernel import clock
from kernel.errors import Forbidden
from kernel.events import Actor, ApplicationWithdrawnV1, QuestionAnsweredV1
from kernel.publisher import derived_envelope

MAX_MANDATES_LISTED = 200


def actor_of(principal: Principal) -> Actor:
    return Actor(sub=principal.sub, role=principal.role)


def create_application(ports: Ports, principal: Principal, command: CreateApplication) -> Application:
    """Raises Forbidden for an enterprise the caller may not act for, RuleViolation for cross-field rules."""
    if not principal.may_act_for(command.enterprise_number):
        raise Forbidden("You may not file applications for this enterprise.")
    app = Application.start(ports.new_id(), command.model_dump(), actor_of(principal), clock.now())
    ports.applications.add(app)
    return app


def change_application(
    ports: Ports, principal: Principal, application_id: str, command: ChangeApplication
) -> Application:
    """Raises NotFound, Conflict (not a draft or changed concurrently), RuleViolation."""
    app = load_own(ports, principal, application_id)
    app.change(command.model_dump(mode="json", exclude_unset=True), actor_of(principal), clock.now())
    commit(ports, app, [])
    return app


def list_applications(ports: Ports, principal: Principal) -> list[Application]:
    enterprises = [principal.enterprise_number] if principal.role == "employer" else sorted(principal.mandates)
    apps: list[Application] = []
    for enterprise in [e for e in enterprises if e][:MAX_MANDATES_LISTED]:
        apps.extend(ports.applications.for_enterprise(enterprise))
    return sorted(apps, key=lambda a: a.created_at, reverse=True)


def get_application(ports: Ports, principal: Principal, application_id: str) -> Application:
    return load_own(ports, principal, application_id)


def withdraw_application(ports: Ports, principal: Principal, application_id: str, correlation_id: str) -> Application:
    """Raises NotFound, Conflict once decided or withdrawn. Others learn of it only if it had been submitted."""
    app = load_own(ports, principal, application_id)
    was_open = app.status in OPEN
    now = clock.now()
    app.withdraw(actor_of(principal), now)
    events = []
    if was_open:
        data = ApplicationWithdrawnV1(
            application_id=app.id, enterprise_number=app.enterprise_number, partnership_id=app.partnership_id,
            withdrawn_at=now, withdrawn_by=actor_of(principal),
        )
        events.append(derived_envelope(data, source=SOURCE, correlation_id=correlation_id, cause_id=app.id,
                                       what="withdrawn"))
    commit(ports, app, events)
    ports.projections.release_key(app.key(), app.id)
    return app


def answer_question(
    ports: Ports, principal: Principal, application_id: str, question_id: str, message: str, correlation_id: str
) -> dict[str, Any]:
    """Raises NotFound; Conflict before routing, once closed, with no open question or for a question
    answered already; RuleViolation for a question this application was never asked."""
    app = load_own(ports, principal, application_id)
    now, message_id = clock.now(), ports.new_id()
    app.answer(message_id, question_id, message, actor_of(principal), now)
    data = QuestionAnsweredV1(
        application_id=app.id, message_id=message_id, partnership_id=app.partnership_id, message=message,
        answered_at=now, answered_by=actor_of(principal), question_id=question_id,
    )
    envelope = derived_envelope(data, source=SOURCE, correlation_id=correlation_id, cause_id=app.id,
                                what=f"answer/{message_id}")
    commit(ports, app, [envelope])
    return {"id": message_id, "application_id": app.id, "question_id": question_id, "message": message,
            "answered_at": now, "partnership_id": app.partnership_id}
