"""An upheld appeal (the company wins): a refusal becomes a recognition from the appeal decision
date; a sanction is annulled and its effects undone. Dismissed appeals change nothing here."""

from __future__ import annotations

from kernel.calendar import local_date
from kernel.envelope import Envelope, derived_event_id
from kernel.events import AppealDecidedV1, RecognitionRestoredV1
from review.domain.measures import Measure
from review.domain.recognition import Recognition
from review.domain.validity import validity_period
from review.service.common import policy_value, publish, update_file, update_recognition
from review.service.ports import Ports
from review.service.recognitions import granted_event, new_recognition
from review.service.timers import schedule_expiry


def on_appeal_decided(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    if data.outcome != "upheld":
        return
    if data.subject_kind == "decision":
        _grant_after_refusal(ports, envelope, data)
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
    found = ports.repo.get_recognition(recognition_id)
    if found is None:
        return

    def undo(r: Recognition) -> Recognition:
        return r.restored() if r.revoked_by_measure_id == measure.measure_id else r

    restored = update_recognition(ports, recognition_id, undo)
    if restored.revoked_on is not None:
        return  # revoked since by another measure: that one stands
    publish(
        ports,
        RecognitionRestoredV1(
            recognition_id=recognition_id, partnership_id=restored.partnership_id,
            enterprise_number=restored.enterprise_number, establishment_number=restored.establishment_number,
            training_code=restored.training_code, valid_until=restored.valid_until, appeal_id=data.appeal_id,
            restored_at=data.decided_at,
        ),
        correlation_id=envelope.correlation_id, cause_id=envelope.event_id, what=f"RecognitionRestored/{recognition_id}",
    )


def _grant_after_refusal(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    file = ports.repo.decision_file(data.subject_id)
    if file is None or file.decision is None or file.decision.outcome != "refused" or file.application is None:
        return
    app = file.application
    partnership_id = file.partnership_id or ""
    years = int(policy_value("recognition_validity_years", partnership_id, app))
    valid_from, valid_until = validity_period(local_date(data.decided_at), years)
    recognition = new_recognition(
        # Derived from the appeal: a retried message finds the same recognition instead of a second one.
        recognition_id=derived_event_id(data.appeal_id, "Recognition"),
        partnership_id=partnership_id, application=app, valid_from=valid_from, valid_until=valid_until,
        granted_at=data.decided_at, decision_id=file.decision.decision_id, appeal_id=data.appeal_id,
    )
    ports.repo.save_recognition(recognition, None)
    publish(ports, granted_event(recognition), correlation_id=envelope.correlation_id,
            cause_id=envelope.event_id, what="RecognitionGranted")
    schedule_expiry(ports, recognition, correlation_id=envelope.correlation_id)
    current = ports.repo.get_file(file.application_id)
    if current is not None and current.item.appeal_recognition_id is None:
        update_file(ports, file.application_id,
                    lambda f: f.model_copy(update={"appeal_recognition_id": recognition.recognition_id}))
