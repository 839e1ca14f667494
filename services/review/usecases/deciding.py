"""The one decision on an application (CONTRACT.md): approve with a recognition, or refuse with
reasons. Exactly one per application, enforced by a conditional write in the repository."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from kernel import clock
from kernel.auth import Caller
from kernel.errors import Conflict, FieldError, NotFound, RuleViolation
from kernel.events import DecisionRecordedV1
from kernel.optimistic import retry
from kernel.publisher import derived_envelope, publish_envelopes
from review.domain.recognition import Recognition
from review.domain.review_file import Decision, ReviewFile
from review.usecases.common import SOURCE, policy_value, update_file
from review.usecases.ledger import ledger_for, refused
from review.usecases.ports import AlreadyDecided, Ports, StaleWrite, Versioned
from review.usecases.recognitions import granted_event, new_recognition
from review.usecases.timers import cancel_pending_deadline_timer, schedule_expiry


def decide(
    ports: Ports,
    caller: Caller,
    application_id: str,
    outcome: Literal["approved", "refused"],
    reasons: list[str],
    correlation_id: str,
    conditions_not_met: list[str] | None = None,
) -> dict[str, Any]:
    """Raises NotFound (not the caller's file), Conflict (decided, withdrawn, or an exclusion runs),
    RuleViolation (a refusal without reasons; conditions not met named on an approval).
    ``conditions_not_met``: kernel.conditions codes (the HTTP body checks them), kept once each in order."""
    conditions = list(dict.fromkeys(conditions_not_met or ()))
    found = ports.repo.get_file(application_id)
    if found is None or not found.item.handled_by(caller.partnership_id):
        raise NotFound("No such application.")
    file = found.item
    if file.decision is not None and not file.decision.announced:
        # A retry after a failed announcement finds the decision recorded: announce it, then 409.
        announce_pending_decision(ports, application_id, correlation_id)
    file.require_open()
    if outcome == "refused" and not reasons:
        raise RuleViolation(
            "A refusal must give its reasons.", [FieldError("reasons", "required", "at least one reason")]
        )
    if outcome != "refused" and conditions:
        raise RuleViolation("Only a refusal names conditions not met.", [FieldError(
            "conditions_not_met", "only_when_refused", "conditions not met go with outcome refused only")])
    decision_id = str(uuid.uuid4())

    first_read = [found]  # the first attempt decides on what was just read; a retry reads again

    def attempt() -> tuple[Versioned[ReviewFile], Decision, Recognition | None]:
        current = first_read.pop() if first_read else ports.repo.get_file(application_id)
        assert current is not None
        current.item.require_open()
        decision, recognition, renewed = _prepare(ports, current.item, decision_id, outcome, reasons, caller.sub,
                                                  conditions)
        decided = current.item.decided(decision)
        try:
            ports.repo.record_decision(decided, current.version, recognition, renewed)
        except AlreadyDecided:
            announce_pending_decision(ports, application_id, correlation_id)
            raise Conflict("The application has already been decided.") from None
        return Versioned(decided, current.version + 1), decision, recognition

    try:
        stored, decision, recognition = retry(attempt, stale=StaleWrite)
    except StaleWrite:
        raise Conflict("The application is being changed by someone else; try again.") from None
    _announce_and_mark(ports, stored.item, decision, recognition, correlation_id, stored.version)
    body: dict[str, Any] = {"decision_id": decision.decision_id, "application_id": application_id,
                            "outcome": outcome, "reasons": reasons, "conditions_not_met": decision.conditions_not_met,
                            "decided_at": decision.decided_at}
    if recognition is not None:
        body |= {"recognition_id": recognition.recognition_id, "valid_from": recognition.valid_from,
                 "valid_until": recognition.valid_until, "status": recognition.status_on(clock.today())}
    return body


def _prepare(
    ports: Ports, file: ReviewFile, decision_id: str, outcome: str, reasons: list[str], decided_by: str,
    conditions_not_met: list[str],
) -> tuple[Decision, Recognition | None, Versioned[Recognition] | None]:
    """Raises Conflict when the ledger refuses the approval (an exclusion runs, another
    recognition of the key is live, the renewed one is revoked or renewed already)."""
    now = clock.now()
    today = clock.today()
    app = file.application
    assert app is not None and file.partnership_id is not None
    recognition = renewed = None
    if outcome == "approved":
        key = (app.enterprise_number, app.establishment_number, app.training_code)
        years = int(policy_value("recognition_validity_years", file.partnership_id, app))
        renews = app.renews_recognition_id if app.kind == "renewal" else None
        verdict = ledger_for(ports, key).check_grant(key, file.partnership_id, today, years, renews=renews)
        if verdict.grant is None:
            raise refused(verdict)
        old = ports.repo.get_recognition(renews) if renews else None
        recognition = new_recognition(
            recognition_id=str(uuid.uuid4()), partnership_id=file.partnership_id, application=app,
            valid_from=verdict.grant.valid_from, valid_until=verdict.grant.valid_until, granted_at=now,
            decision_id=decision_id, renews_recognition_id=renews,
        )
        if old is not None:
            renewed = Versioned(old.item.model_copy(update={"renewed_by_recognition_id": recognition.recognition_id}),
                                old.version)
    decision = Decision(
        decision_id=decision_id, outcome=outcome, reasons=reasons, conditions_not_met=conditions_not_met,
        decided_at=now, decided_by=decided_by,
        recognition_id=recognition.recognition_id if recognition else None,
        valid_from=recognition.valid_from if recognition else None,
        valid_until=recognition.valid_until if recognition else None,
        announced=False,
    )
    return decision, recognition, renewed


def announce_pending_decision(ports: Ports, application_id: str, correlation_id: str) -> bool:
    """Publish the events of a recorded decision whose announcement did not complete (the
    publisher failed after the write). Event ids derive from the decision, so consumers drop
    whatever did go out the first time. Returns whether anything was pending."""
    current = ports.repo.get_file(application_id)
    if current is None or current.item.decision is None or current.item.decision.announced:
        return False
    decision = current.item.decision
    recognition = None
    if decision.recognition_id:
        found = ports.repo.get_recognition(decision.recognition_id)
        recognition = found.item if found else None
    _announce_and_mark(ports, current.item, decision, recognition, correlation_id, current.version)
    return True


def _announce_and_mark(
    ports: Ports, file: ReviewFile, decision: Decision, recognition: Recognition | None, correlation_id: str,
    version: int,
) -> None:
    """``file`` as stored at ``version``: the flag is written on that version without reading the
    file again; only if it changed meanwhile is it read and marked afresh."""
    # Publish before cancelling the deadline timers: while the announcement is pending they are
    # the safety net that announces it (review.usecases.deadlines).
    _announce(ports, file, decision, recognition, correlation_id)
    warning_days = int(policy_value("decision_deadline_warning_days", file.partnership_id, file.application))
    cancel_pending_deadline_timer(ports, file, warning_days=warning_days)

    def mark(stored: ReviewFile) -> ReviewFile:
        if stored.decision is None or stored.decision.announced:
            return stored
        return stored.model_copy(update={"decision": stored.decision.model_copy(update={"announced": True})})

    marked = mark(file)
    if marked == file:
        return
    try:
        ports.repo.save_file(marked, version)
    except StaleWrite:
        update_file(ports, file.application_id, mark)


def _announce(
    ports: Ports, file: ReviewFile, decision: Decision, recognition: Recognition | None, correlation_id: str
) -> None:
    app = file.application
    assert app is not None
    # The decision and its recognition in one PublishBatch (one call; a failed entry raises, and the
    # retry or a deadline timer publishes both again under the same ids).
    envelopes = [derived_envelope(
        DecisionRecordedV1(
            decision_id=decision.decision_id, application_id=file.application_id,
            partnership_id=file.partnership_id or "", enterprise_number=app.enterprise_number,
            establishment_number=app.establishment_number, training_code=app.training_code,
            outcome=decision.outcome, reasons=decision.reasons, decided_at=decision.decided_at,
            conditions_not_met=decision.conditions_not_met,  # codes checked at the HTTP edge, validated again here
            recognition_id=decision.recognition_id, valid_from=decision.valid_from, valid_until=decision.valid_until,
            policy=app.policy if isinstance(app.policy, dict) else None,
        ),
        source=SOURCE, correlation_id=correlation_id, cause_id=decision.decision_id, what="DecisionRecorded",
    )]
    if recognition is not None:
        envelopes.append(derived_envelope(granted_event(recognition), source=SOURCE, correlation_id=correlation_id,
                                          cause_id=decision.decision_id, what="RecognitionGranted"))
    publish_envelopes(ports.publisher, envelopes)
    if recognition is not None:
        schedule_expiry(ports, recognition, correlation_id=correlation_id)
