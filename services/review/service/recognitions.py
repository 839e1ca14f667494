"""Granting recognitions and ending them when their period is over."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kernel.envelope import Envelope
from kernel.events import ApplicationSnapshot, RecognitionExpiredV1, RecognitionExpiryDueV1, RecognitionGrantedV1
from kernel.publisher import publish
from review.domain.recognition import Recognition
from review.service.common import SOURCE, update_recognition
from review.service.ports import Ports


def new_recognition(
    *,
    recognition_id: str,
    partnership_id: str,
    application: ApplicationSnapshot,
    valid_from: date,
    valid_until: date,
    granted_at: datetime,
    decision_id: str | None,
    appeal_id: str | None = None,
    renews_recognition_id: str | None = None,
) -> Recognition:
    company = application.company
    address = company.address if company else None
    return Recognition(
        recognition_id=recognition_id,
        partnership_id=partnership_id,
        enterprise_number=application.enterprise_number,
        establishment_number=application.establishment_number,
        training_code=application.training_code,
        company_name=company.name if company else None,
        postal_code=address.postal_code if address else None,
        city=address.city if address else None,
        mentors=list(application.mentors),
        valid_from=valid_from,
        valid_until=valid_until,
        granted_at=granted_at,
        application_id=application.application_id,
        decision_id=decision_id,
        appeal_id=appeal_id,
        renews_recognition_id=renews_recognition_id,
    )


def granted_event(recognition: Recognition) -> RecognitionGrantedV1:
    return RecognitionGrantedV1(
        recognition_id=recognition.recognition_id,
        application_id=recognition.application_id,
        decision_id=recognition.decision_id,
        appeal_id=recognition.appeal_id,
        partnership_id=recognition.partnership_id,
        enterprise_number=recognition.enterprise_number,
        establishment_number=recognition.establishment_number,
        training_code=recognition.training_code,
        company_name=recognition.company_name,
        postal_code=recognition.postal_code,
        city=recognition.city,
        mentors=recognition.mentors,
        valid_from=recognition.valid_from,
        valid_until=recognition.valid_until,
        renews_recognition_id=recognition.renews_recognition_id,
        granted_at=recognition.granted_at,
    )


def on_expiry_due(ports: Ports, envelope: Envelope, data: RecognitionExpiryDueV1) -> None:
    """The recognition's period is over. Unless a renewal takes over (it becomes active the same
    day, by its dates) or it was revoked before, it expires: RecognitionExpired."""
    current = ports.repo.get_recognition(data.recognition_id)
    if current is None or current.item.valid_until != data.valid_until:
        return  # an old timer for a period that no longer applies
    recognition = current.item
    first_day_after = recognition.valid_until + timedelta(days=1)
    if recognition.status_on(recognition.valid_until) == "revoked":
        update_recognition(ports, recognition.recognition_id, lambda r: r.model_copy(update={"ended": True}))
        return
    renewal = None
    if recognition.renewed_by_recognition_id:
        found = ports.repo.get_recognition(recognition.renewed_by_recognition_id)
        renewal = found.item if found else None
    update_recognition(ports, recognition.recognition_id, lambda r: r.model_copy(update={"ended": True}))
    if renewal is not None and renewal.is_valid_on(first_day_after):
        return  # continuity: the register shows the renewal from today, nothing expired
    publish(
        ports.publisher,
        RecognitionExpiredV1(
            recognition_id=recognition.recognition_id,
            partnership_id=recognition.partnership_id,
            enterprise_number=recognition.enterprise_number,
            establishment_number=recognition.establishment_number,
            training_code=recognition.training_code,
            expired_on=first_day_after,
        ),
        source=SOURCE, correlation_id=envelope.correlation_id,
        cause_id=envelope.event_id,
        what="RecognitionExpired",
    )

