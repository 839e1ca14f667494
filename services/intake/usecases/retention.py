"""Deleting criminal-record extracts once the final decision can no longer be challenged.

Each event about the decision, its notice or an appeal adds a fact, then the purge timer is moved
to the day the facts now give (or cancelled while an appeal runs). When the timer fires, the facts
are read again: a timer that a later fact made early does nothing, so a stale or duplicate timer
is harmless. The purge deletes every stored version, logs each deletion in the access log, and
marks the documents purged on the application.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from intake.domain.application import Application
from intake.domain.retention import RETENTION_JOB, SENSITIVE_TYPES, RetentionFacts
from intake.usecases.ports import SOURCE, Ports
from intake.usecases.unit_of_work import load, update_with_retry
from kernel import clock
from kernel.calendar import local_date, start_of_day
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    DecisionRecordedV1,
    NoticeDeliveryFailedV1,
    NoticeIssuedV1,
    SensitiveDocumentsPurgeDueV1,
    SensitiveDocumentsPurgedV1,
)
from kernel.publisher import derived_envelope, publish
from kernel.timers import schedule_name

# Notification's kind for the notice of a refused application (the one with an appeal deadline).
REFUSAL_NOTICE = "refusal"


def purge_timer(decision_id: str, purge_on: object) -> str:
    return schedule_name("intake-purge", decision_id, str(purge_on))


def retention_days(app: Application) -> int:
    """The policy value pinned on the application at submission, else the one in force now."""
    return _policy_days(app, "sensitive_document_retention_days")


def max_retention_days(app: Application) -> int:
    """How long after a refusal whose notice named no deadline its extracts are kept at most."""
    return _policy_days(app, "sensitive_document_max_retention_days")


def _policy_days(app: Application, name: str) -> int:
    pinned = (app.policy or {}).get("values", {}).get(name)
    if isinstance(pinned, int):
        return pinned
    from reference.policy import policy

    value = getattr(policy().for_partnership(app.partnership_id).values, name).value
    assert isinstance(value, int)
    return value


def _unpurged(app: Application) -> list:
    return [d for d in app.documents if d.type in SENSITIVE_TYPES and d.purged_at is None]


# ---------------------------------------------------------------------- facts from the bus
def decision_facts(ports: Ports, envelope: Envelope, data: DecisionRecordedV1,
                   app: Application | None) -> dict[str, Any]:
    """The retention facts DecisionRecorded gives, for the one write that records the decision
    (reactions.on_decision_recorded: it carries the event's marker), with the purge date the facts
    now give; the purge timer is moved first, so a crash before that write re-runs it under the same
    name. ``app``: the application as that write saves it (not read again)."""
    return _timed_facts(ports, data.decision_id, envelope, app, application_id=data.application_id,
                        outcome=data.outcome, decided_on=local_date(data.decided_at))


def notice_sets_a_deadline(data: NoticeIssuedV1 | NoticeDeliveryFailedV1) -> bool:
    """Only a refusal's notice says anything about retention: its appeal deadline, or that it names
    none (no receipt counted), when only the policy's maximum bounds the window."""
    return data.kind == REFUSAL_NOTICE


def on_notice_issued(ports: Ports, envelope: Envelope, data: NoticeIssuedV1) -> None:
    if not notice_sets_a_deadline(data):
        return
    _decision_fact(ports, data.subject_id, envelope, None, application_id=data.application_id,
                   appeal_deadline=data.appeal_deadline, receipt_unknown=data.appeal_deadline is None or None,
                   deadline_notice_id=data.notice_id if data.appeal_deadline is not None else None)


def on_notice_undelivered(ports: Ports, envelope: Envelope, data: NoticeDeliveryFailedV1) -> None:
    """A refusal's notice did not reach the company: its term has not started, so its extracts stay
    as for a notice that named no deadline."""
    ports.retention.record_undelivered(data.subject_id, data.notice_id)  # a repeat changes nothing
    _decision_fact(ports, data.subject_id, envelope, None, application_id=data.application_id)


def _decision_fact(ports: Ports, decision_id: str, cause: Envelope, app: Application | None, **facts: Any) -> None:
    """Record what the event says about the decision, and move the purge timer to the day the facts
    now give, with one write that also carries the event's idempotency marker: the timers come
    first, so a crash before the write re-runs them under the same names."""
    ports.retention.record_decision(decision_id, mark_event=True, **_timed_facts(ports, decision_id, cause, app,
                                                                                  **facts))


def _timed_facts(ports: Ports, decision_id: str, cause: Envelope, app: Application | None,
                 **facts: Any) -> dict[str, Any]:
    """``facts`` and the purge date they now give (scheduled_purge_on, when it moved), once the purge
    timer was moved to it; for the caller to record."""
    known = ports.retention.facts(decision_id)
    merged = replace(known, **{k: v for k, v in facts.items() if v is not None})
    moved, due = _move_timer(ports, decision_id, merged, cause, app)
    if moved and due is None:
        ports.retention.record_scheduled(decision_id, None)
    return {**facts, **({"scheduled_purge_on": due} if moved and due is not None else {})}


def on_appeal_lodged(ports: Ports, envelope: Envelope, data: AppealLodgedV1) -> None:
    if data.subject_kind != "decision":
        return
    # Lodged too late or unmotivated, the appeal is inadmissible at once and postpones nothing.
    closed = local_date(data.lodged_at) if data.status == "inadmissible" else None
    ports.retention.record_appeal(data.subject_id, data.appeal_id, lodged=True, closed_on=closed)
    reschedule(ports, data.subject_id, envelope)


def on_appeal_admissibility_decided(ports: Ports, envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    if data.admissible:
        return
    ports.retention.record_appeal(data.subject_id, data.appeal_id, closed_on=local_date(data.decided_at))
    reschedule(ports, data.subject_id, envelope)


def on_appeal_decided(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    if data.subject_kind != "decision":
        return
    ports.retention.record_appeal(data.subject_id, data.appeal_id, closed_on=local_date(data.decided_at))
    reschedule(ports, data.subject_id, envelope)


def reschedule(ports: Ports, decision_id: str, cause: Envelope) -> None:
    """Move the purge timer to the day the facts give now; cancel it while that is unknown."""
    moved, due = _move_timer(ports, decision_id, ports.retention.facts(decision_id), cause, None)
    # A crash before this line leaves the old date recorded: the retry schedules the same name again.
    if moved:
        ports.retention.record_scheduled(decision_id, due)


def _move_timer(ports: Ports, decision_id: str, facts: RetentionFacts, cause: Envelope,
                app: Application | None) -> tuple[bool, date | None]:
    """Cancel and schedule the purge timers ``facts`` call for; (whether the pending date moved, the new
    date). The caller records the date."""
    if facts.application_id is None:
        return False, None  # the decision itself has not arrived yet: its event reschedules
    if app is None or app.id != facts.application_id:
        app = load(ports, facts.application_id)
    if app is None or not _unpurged(app):
        return False, None
    due = facts.purge_on(retention_days(app), max_retention_days(app))
    if due == facts.scheduled_purge_on:
        return False, None
    if facts.scheduled_purge_on is not None:
        ports.timers.cancel(purge_timer(decision_id, facts.scheduled_purge_on))
    if due is not None:
        timer = derived_envelope(
            SensitiveDocumentsPurgeDueV1(application_id=app.id, decision_id=decision_id, purge_on=due),
            source=SOURCE, correlation_id=cause.correlation_id, cause_id=decision_id, what=f"purge-due-{due}",
        )
        ports.timers.schedule(purge_timer(decision_id, due), start_of_day(due), timer)
    return True, due


# ---------------------------------------------------------------------- the timer
def on_purge_due(ports: Ports, envelope: Envelope, data: SensitiveDocumentsPurgeDueV1) -> list[str]:
    """Delete the application's sensitive documents if the facts still say it is time; returns the
    ids of the documents deleted now (none for an early, stale or duplicate timer)."""
    app = load(ports, data.application_id)
    if app is None:
        return []
    due = ports.retention.facts(data.decision_id).purge_on(retention_days(app), max_retention_days(app))
    now = clock.now()
    if due is None or local_date(now) < due:
        return []
    documents = _unpurged(app)
    for document in documents:
        versions = ports.documents.delete(document.key)
        ports.access_log.record_purge({
            "application_id": app.id, "document_id": document.id, "document_type": document.type,
            "actor": RETENTION_JOB["role"], "at": clock.iso(now), "versions_deleted": versions,
            "decision_id": data.decision_id, "event_id": envelope.event_id,
        })
    ids = [d.id for d in documents]
    if ids:
        app = (
            update_with_retry(ports, app.id, lambda a: a.documents_purged(ids, RETENTION_JOB, now, envelope.event_id))
            or app
        )
    _announce_purged(ports, app, envelope)
    return ids


def _announce_purged(ports: Ports, app: Application, cause: Envelope) -> None:
    """SensitiveDocumentsPurged for every sensitive document now purged. Sent also when a retry of
    the timer finds nothing left to delete: the first attempt may have failed to publish; the id
    derives from the timer, so consumers drop the copy."""
    gone = [d for d in app.documents if d.type in SENSITIVE_TYPES and d.purged_at is not None]
    if not gone:
        return
    data = SensitiveDocumentsPurgedV1(application_id=app.id, document_ids=[d.id for d in gone],
                                      purged_at=max(d.purged_at for d in gone if d.purged_at))
    publish(ports.publisher, data, source=SOURCE, correlation_id=cause.correlation_id, cause_id=cause.event_id,
            what="SensitiveDocumentsPurged")
