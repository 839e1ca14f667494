"""Appeals as review sees them. Against a decision, the file shows the appeal's course (lodged,
admissible or not, upheld or dismissed). An upheld appeal (the company wins): a refusal becomes a
recognition from the appeal decision date; a sanction is annulled and its effects undone. A
dismissed appeal changes nothing but the file's account of it."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools import Logger

from kernel.calendar import local_date
from kernel.envelope import Envelope, derived_event_id
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    RecognitionRestoredV1,
    RecognitionRevokedV1,
)
from kernel.ledger import Bar
from kernel.publisher import publish
from review.domain.measures import Measure
from review.domain.recognition import Recognition
from review.domain.review_file import AppealGrant, AppealStatus, ReviewFile
from review.usecases.common import SOURCE, policy_value, update_file, update_recognition
from review.usecases.ledger import entry, ledger_for
from review.usecases.ports import Ports
from review.usecases.recognitions import granted_event, new_recognition
from review.usecases.timers import schedule_expiry

logger = Logger(service="review", child=True)


def on_appeal_lodged(ports: Ports, envelope: Envelope, data: AppealLodgedV1) -> None:
    """The file shows the appeal against its decision (late or unmotivated: inadmissible at once)."""
    if data.subject_kind != "decision":
        return
    status: AppealStatus = "inadmissible" if data.status == "inadmissible" else "lodged"
    _follow_appeal(ports, data.subject_id, lambda f: f.with_appeal(data.appeal_id, status, lodged_at=data.lodged_at))


def on_appeal_admissibility_decided(ports: Ports, envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    status: AppealStatus = "admissible" if data.admissible else "inadmissible"
    _follow_appeal(ports, data.subject_id, lambda f: f.with_appeal(data.appeal_id, status))


def _follow_appeal(ports: Ports, decision_id: str, change: Callable[[ReviewFile], ReviewFile]) -> None:
    file = ports.repo.decision_file(decision_id)
    if file is None:
        return  # a measure's appeal, or not a decision of ours
    update_file(ports, file.application_id, change)


def on_appeal_decided(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    if data.subject_kind == "decision":
        if data.outcome == "upheld":
            _grant_after_refusal(ports, envelope, data)
        else:
            _follow_appeal(ports, data.subject_id, lambda f: f.with_appeal(
                data.appeal_id, "dismissed", outcome="dismissed", decided_at=data.decided_at))
        return
    if data.outcome != "upheld":
        return
    measure = ports.repo.get_measure(data.subject_id)
    if measure is None:
        return  # not a measure of ours
    if measure.type == "revocation":
        for recognition_id in measure.revoked_recognition_ids:
            _restore(ports, envelope, data, recognition_id, measure)
    elif measure.type == "exclusion":
        exclusion = ports.repo.get_exclusion(measure.measure_id, measure.enterprise_number)
        lifted = exclusion.model_copy(update={"lifted": True}) if exclusion else None
        for recognition_id in measure.revoked_recognition_ids:
            _restore(ports, envelope, data, recognition_id, measure)
        ports.repo.save_measure(measure.annul(data.appeal_id), lifted)
        return
    elif measure.type == "mentor_ban":
        for recognition_id in measure.details.get("recognition_ids") or [measure.recognition_id]:
            update_recognition(ports, recognition_id, lambda r: r.with_ban_annulled(measure.measure_id))
    ports.repo.save_measure(measure.annul(data.appeal_id))


def _restore(ports: Ports, envelope: Envelope, data: AppealDecidedV1, recognition_id: str, measure: Measure) -> None:
    """Undo the annulled measure's revocation, through the ledger: a recognition whose place
    another took stays revoked; one that an exclusion still covers stays revoked from that
    exclusion's first day on (it would have been revoked by it), and that exclusion now holds it."""
    found = ports.repo.get_recognition(recognition_id)
    if found is None or found.item.revoked_by_measure_id != measure.measure_id:
        return  # revoked since by another measure (that one stands), or restored already
    recognition = found.item
    ledger = ledger_for(
        ports, (recognition.enterprise_number, recognition.establishment_number, recognition.training_code)
    )
    refusals, bar = ledger.check_restore(entry(recognition), besides=measure.measure_id)
    if refusals:
        logger.warning("annulled revocation not undone: another recognition took its place",
                       extra={"recognition_id": recognition_id, "appeal_id": data.appeal_id,
                              "codes": [r.code for r in refusals]})
        return
    if bar is not None:
        _hand_over(ports, envelope, recognition, measure, bar)
        return

    def undo(r: Recognition) -> Recognition:
        return r.restored() if r.revoked_by_measure_id == measure.measure_id else r

    restored = update_recognition(ports, recognition_id, undo)
    if restored.revoked_on is not None:
        return
    publish(
        ports.publisher,
        RecognitionRestoredV1(
            recognition_id=recognition_id,
            partnership_id=restored.partnership_id,
            enterprise_number=restored.enterprise_number,
            establishment_number=restored.establishment_number,
            training_code=restored.training_code,
            valid_until=restored.valid_until,
            appeal_id=data.appeal_id,
            restored_at=data.decided_at,
        ),
        source=SOURCE,
        correlation_id=envelope.correlation_id,
        cause_id=envelope.event_id,
        what=f"RecognitionRestored/{recognition_id}",
    )


def _hand_over(ports: Ports, envelope: Envelope, recognition: Recognition, annulled: Measure, bar: Bar) -> None:
    """The recognition is revoked by the exclusion ``bar`` instead, from the first day it covers."""
    assert recognition.revoked_on is not None
    on = max(recognition.revoked_on, bar.starts_on)
    holder = ports.repo.get_measure(bar.measure_id)
    reason = holder.reason if holder else annulled.reason

    def move(r: Recognition) -> Recognition:
        return r.revoked(on, bar.measure_id, reason) if r.revoked_by_measure_id == annulled.measure_id else r

    moved = update_recognition(ports, recognition.recognition_id, move)
    if moved.revoked_by_measure_id != bar.measure_id:
        return
    if holder is not None and recognition.recognition_id not in holder.revoked_recognition_ids:
        # An upheld appeal against that exclusion then restores this recognition too.
        ports.repo.save_measure(holder.model_copy(update={
            "revoked_recognition_ids": [*holder.revoked_recognition_ids, recognition.recognition_id]}))
    publish(
        ports.publisher,
        RecognitionRevokedV1(
            recognition_id=moved.recognition_id, partnership_id=moved.partnership_id,
            enterprise_number=moved.enterprise_number, establishment_number=moved.establishment_number,
            training_code=moved.training_code, effective_on=on, measure_id=bar.measure_id, reason=reason,
        ),
        source=SOURCE, correlation_id=envelope.correlation_id, cause_id=envelope.event_id,
        what=f"RecognitionRevoked/{moved.recognition_id}",
    )


def _grant_after_refusal(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    """The refusal becomes a recognition from the appeal decision date (a refused renewal continues
    the recognition it renews), if the ledger allows it; else the file records why not."""
    file = ports.repo.decision_file(data.subject_id)
    if file is None or file.decision is None or file.decision.outcome != "refused" or file.application is None:
        return
    app = file.application
    partnership_id = file.partnership_id or ""
    # Derived from the appeal: a retried message finds the same recognition instead of a second one.
    recognition_id = derived_event_id(data.appeal_id, "Recognition")
    existing = ports.repo.get_recognition(recognition_id)
    if existing is not None:
        recognition = existing.item  # a retry after the write: finish what it started
    else:
        key = (app.enterprise_number, app.establishment_number, app.training_code)
        years = int(policy_value("recognition_validity_years", partnership_id, app))
        renews = app.renews_recognition_id if app.kind == "renewal" else None
        verdict = ledger_for(ports, key).check_grant(key, partnership_id, local_date(data.decided_at), years,
                                                     renews=renews, recognition_id=recognition_id)
        if verdict.grant is None:
            reason = " ".join(f"{r.code}: {r.message}" for r in verdict.refusals)
            logger.warning("upheld appeal grants no recognition", extra={"appeal_id": data.appeal_id,
                                                                         "codes": [r.code for r in verdict.refusals]})
            _record_appeal_grant(
                ports, file.application_id, AppealGrant(appeal_id=data.appeal_id, blocked=True, reason=reason),
                data,
            )
            return
        recognition = new_recognition(
            recognition_id=recognition_id, partnership_id=partnership_id, application=app,
            valid_from=verdict.grant.valid_from, valid_until=verdict.grant.valid_until,
            granted_at=data.decided_at, decision_id=file.decision.decision_id, appeal_id=data.appeal_id,
            renews_recognition_id=renews,
        )
        ports.repo.save_recognition(recognition, None)
    if recognition.renews_recognition_id:
        update_recognition(ports, recognition.renews_recognition_id, lambda r: r if r.renewed_by_recognition_id
                           else r.model_copy(update={"renewed_by_recognition_id": recognition.recognition_id}))
    publish(ports.publisher, granted_event(recognition), source=SOURCE, correlation_id=envelope.correlation_id,
            cause_id=envelope.event_id, what="RecognitionGranted")
    schedule_expiry(ports, recognition, correlation_id=envelope.correlation_id)
    _record_appeal_grant(
        ports,
        file.application_id,
        AppealGrant(appeal_id=data.appeal_id, blocked=False, recognition_id=recognition.recognition_id),
        data,
    )


def _record_appeal_grant(ports: Ports, application_id: str, grant: AppealGrant, data: AppealDecidedV1) -> None:
    def record(f: ReviewFile) -> ReviewFile:
        f = f.with_appeal(data.appeal_id, "upheld", outcome="upheld", decided_at=data.decided_at,
                          recognition_id=grant.recognition_id, blocked=grant.blocked or None)
        if f.appeal_grant is not None:
            return f
        return f.model_copy(update={"appeal_grant": grant, "appeal_recognition_id": grant.recognition_id})

    update_file(ports, application_id, record)
