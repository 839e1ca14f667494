"""Loading an application for a caller, and saving it together with the events it caused.

The events are written into the application's item (an outbox) in the same write as the change,
then published, then cleared. If publishing fails, the next request that loads the application
publishes them again with the same event ids, which consumers drop as duplicates.
"""

from __future__ import annotations

from collections.abc import Callable

from intake.domain.application import Application
from intake.domain.recognitions import Key
from intake.usecases.ports import Decided, Ports, Principal, StaleWrite
from kernel.envelope import Envelope
from kernel.errors import NotFound
from kernel.optimistic import retry


def load(ports: Ports, application_id: str) -> Application | None:
    found = ports.applications.get(application_id)
    if found is None:
        return None
    app, outbox = found
    if outbox:
        for text in outbox:
            ports.publisher.publish(Envelope.model_validate_json(text))
        ports.applications.clear_outbox(app.id, app.version)
    return app


def load_own(ports: Ports, principal: Principal, application_id: str) -> Application:
    """Raises NotFound for a missing application and for one the caller may not act for."""
    app = load(ports, application_id)
    if app is None or not principal.may_act_for(app.enterprise_number):
        raise NotFound("No such application.")
    return app


def commit(ports: Ports, app: Application, events: list[Envelope], *, mark_event: bool = False,
           hold_key: Key | None = None, decided: Decided | None = None) -> None:
    """Save ``app`` with ``events`` in its outbox, publish them, clear the outbox.
    Raises StaleWrite when the application changed since it was loaded. ``mark_event`` (only
    without events: the save must be the handler's last write): the save carries the idempotency
    marker of the event being handled. ``hold_key``: the save also takes that key for the
    application (raises KeyHeld, saving nothing, when another application holds it). ``decided``:
    the save also writes what the decision changes besides the application (ApplicationStore.save)."""
    ports.applications.save(app, [e.to_json() for e in events], mark_event=mark_event and not events,
                            hold_key=hold_key, decided=decided)
    if events:
        for envelope in events:
            ports.publisher.publish(envelope)
        ports.applications.clear_outbox(app.id, app.version)


def update_with_retry(ports: Ports, application_id: str, change: Callable[[Application], bool], *,
                      mark_event: bool = False) -> Application | None:
    """Re-read and re-apply ``change`` (which says whether it changed anything) while another
    writer wins. Returns None for an unknown application. Raises StaleWrite after
    kernel.optimistic.ATTEMPTS lost races (the message is retried). ``mark_event``: this save is
    the handler's last write and carries the event's idempotency marker (kernel.processed)."""

    def attempt() -> Application | None:
        app = load(ports, application_id)
        if app is not None and change(app):
            commit(ports, app, [], mark_event=mark_event)
        return app

    return retry(attempt, stale=StaleWrite)
