"""Keeping the employer's view current from the bus. Every reaction is safe to repeat and to
receive out of order: statuses only move forward, history entries carry the event id, the
projections keep the newest state."""

from __future__ import annotations

from datetime import date

from intake.domain.application import Decision, Question
from intake.usecases import retention
from intake.usecases.ports import Decided, Ports, StaleWrite
from intake.usecases.unit_of_work import commit, load, update_with_retry
from kernel.calendar import local_date
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    QuestionAskedV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
    RecognitionRevokedV1,
    SiteVisitPlannedV1,
)
from kernel.optimistic import retry


def on_application_routed(ports: Ports, envelope: Envelope, data: ApplicationRoutedV1) -> None:
    update_with_retry(
        ports,
        data.application_id,
        lambda app: app.routed(data.partnership_id, data.decision_due, envelope.occurred_at, envelope.event_id),
        mark_event=True,  # the handler's one write
    )


def on_question_asked(ports: Ports, envelope: Envelope, data: QuestionAskedV1) -> None:
    question = Question(
        question_id=data.question_id, partnership_id=data.partnership_id, message=data.message, asked_at=data.asked_at
    )
    update_with_retry(ports, data.application_id, lambda app: app.question_asked(question, envelope.event_id),
                      mark_event=True)


def on_site_visit_planned(ports: Ports, envelope: Envelope, data: SiteVisitPlannedV1) -> None:
    update_with_retry(ports, data.application_id, lambda app: app.site_visit_planned(
        data.partnership_id, data.visit_id, data.planned_for, envelope.occurred_at, envelope.event_id),
        mark_event=True)


def on_decision_recorded(ports: Ports, envelope: Envelope, data: DecisionRecordedV1) -> None:
    """The decision on the application, its key freed with the recognition the decision gave, and
    the decision's retention facts (the purge timer moved first): one write with the event's marker
    (ApplicationStore.save with ``decided``). A copy, or a decision about an application intake does
    not hold, writes the same facts without the application."""
    decision = Decision(
        decision_id=data.decision_id, outcome=data.outcome, decided_at=data.decided_at, reasons=data.reasons,
        conditions_not_met=list(data.conditions_not_met),
    )
    key = (data.enterprise_number, data.establishment_number, data.training_code)

    def attempt() -> None:
        app = load(ports, data.application_id)
        changed = app is not None and app.decided(decision, data.partnership_id, data.recognition_id,
                                                  envelope.event_id)
        facts = retention.decision_facts(ports, envelope, data, app)
        if app is not None and changed:
            commit(ports, app, [], mark_event=True, decided=Decided(
                key=key, decision_id=data.decision_id, facts=facts, recognition_id=data.recognition_id,
                partnership_id=data.partnership_id, valid_from=data.valid_from, valid_until=data.valid_until))
            return
        ports.projections.release_key(key, data.application_id, recognition_id=data.recognition_id,
                                      partnership_id=data.partnership_id, valid_from=data.valid_from,
                                      valid_until=data.valid_until)
        ports.retention.record_decision(data.decision_id, mark_event=True, **facts)  # last: with the marker

    retry(attempt, stale=StaleWrite)


def grant_adds_to_its_decision(data: RecognitionGrantedV1) -> bool:
    """Whether the grant tells intake anything its DecisionRecorded did not. An approval's
    DecisionRecorded records the recognition's facts (id, key, partnership, period) in the write that
    frees the key (on_decision_recorded), and until then the application holds the key, so nothing
    gets past it meanwhile. What only the grant carries: a renewal's link to the recognition it
    renews, and a grant on appeal (its decision was a refusal, which named no recognition), or one
    with no decision at all. A grant that adds nothing is acknowledged without a write."""
    return data.decision_id is None or data.appeal_id is not None or data.renews_recognition_id is not None


def on_recognition_granted(ports: Ports, envelope: Envelope, data: RecognitionGrantedV1) -> None:
    ports.projections.record_recognition(
        data.recognition_id, (data.enterprise_number, data.establishment_number, data.training_code), "granted",
        envelope.occurred_at, partnership_id=data.partnership_id, valid_from=data.valid_from,
        valid_until=data.valid_until, renews=data.renews_recognition_id,
        # the handler's last write, unless the grant follows an appeal (the application shows it then)
        mark_event=not (data.appeal_id and data.application_id),
    )


def on_recognition_revoked(ports: Ports, envelope: Envelope, data: RecognitionRevokedV1) -> None:
    ports.projections.record_recognition(
        data.recognition_id, (data.enterprise_number, data.establishment_number, data.training_code), "revoked",
        envelope.occurred_at, partnership_id=data.partnership_id, revoked_on=data.effective_on, mark_event=True,
    )


def on_recognition_expired(ports: Ports, envelope: Envelope, data: RecognitionExpiredV1) -> None:
    ports.projections.record_recognition(
        data.recognition_id, (data.enterprise_number, data.establishment_number, data.training_code), "expired",
        envelope.occurred_at, partnership_id=data.partnership_id, mark_event=True,
    )


def on_recognition_restored(ports: Ports, envelope: Envelope, data: RecognitionRestoredV1) -> None:
    ports.projections.record_recognition(
        data.recognition_id, (data.enterprise_number, data.establishment_number, data.training_code), "granted",
        envelope.occurred_at, partnership_id=data.partnership_id, valid_until=data.valid_until, mark_event=True,
    )


def on_measure_imposed(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    if data.type != "exclusion":
        return
    # details.scope (review's exclusion measure) says whether the whole enterprise is excluded.
    whole_enterprise = data.details.get("scope") == "enterprise"
    establishment = None if whole_enterprise else data.establishment_number
    # The exclusion's first day as review counted it (details.starts_on); older events: the day imposed.
    starts_on = _until(data.details.get("starts_on")) or local_date(data.imposed_at)
    ports.projections.record_exclusion(data.measure_id, data.enterprise_number, establishment,
                                       _until(data.details.get("until")), partnership_id=data.partnership_id,
                                       starts_on=starts_on)


def on_appeal_decided(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    # An upheld appeal annuls the measure; for a measure that is not an exclusion the marker is harmless.
    if data.outcome == "upheld" and data.subject_kind == "measure":
        ports.projections.lift_exclusion(data.subject_id, data.enterprise_number)
    if data.subject_kind == "decision":
        update_with_retry(ports, _appealed_application(ports, data.subject_id), lambda app: app.appeal_decided(
            data.appeal_id, data.outcome, data.reasons, data.decided_at, envelope.event_id))


def on_appeal_lodged(ports: Ports, envelope: Envelope, data: AppealLodgedV1) -> None:
    if data.subject_kind == "decision":
        update_with_retry(ports, _appealed_application(ports, data.subject_id), lambda app: app.appeal_lodged(
            data.appeal_id, data.status, data.lodged_at, envelope.event_id))


def on_appeal_admissibility_decided(ports: Ports, envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    # The event does not say what was appealed; a measure's appeal has no application to show it on.
    application_id = ports.retention.facts(data.subject_id).application_id
    if application_id is not None:
        update_with_retry(ports, application_id, lambda app: app.appeal_admissibility(
            data.appeal_id, data.admissible, data.reasons, data.decided_at, envelope.event_id))


def on_recognised_on_appeal(ports: Ports, envelope: Envelope, data: RecognitionGrantedV1) -> None:
    """The recognition an upheld appeal against the refusal of ``data.application_id`` gave."""
    if data.appeal_id and data.application_id:
        update_with_retry(ports, data.application_id, lambda app: app.recognised_on_appeal(
            data.appeal_id or "", data.recognition_id, data.granted_at, envelope.event_id))


class DecisionNotYetKnown(Exception):
    """An appeal event about a decision whose DecisionRecorded has not reached intake yet (separate
    queues): raised so the message is retried once it has (and parked in the DLQ if it never does)."""


def _appealed_application(ports: Ports, decision_id: str) -> str:
    # The decision's application as DecisionRecorded told it (kept with the retention facts).
    application_id = ports.retention.facts(decision_id).application_id
    if application_id is None:
        raise DecisionNotYetKnown(decision_id)
    return application_id


def _until(value: object) -> date | None:
    """A day the measure names (details.until, details.starts_on: YYYY-MM-DD), if any."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
