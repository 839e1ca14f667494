"""Events that lead to an official notice, and the projection that tells whom to address."""

from __future__ import annotations

from dataclasses import replace

from kernel.calendar import local_date
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    ApplicationSnapshot,
    ApplicationSubmittedV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    RecognitionExpiredV1,
    RecognitionRestoredV1,
)
from notification.domain.model import Addressee, NoticeFacts
from notification.domain.projection import AppealRecord
from notification.usecases.issuing import issue_notice
from notification.usecases.lookups import addressee_for
from notification.usecases.ports import Ports


def addressee_from(application: ApplicationSnapshot, partnership_id: str | None = None) -> Addressee:
    company, contact = application.company, application.contact
    return Addressee(
        enterprise_number=application.enterprise_number,
        establishment_number=application.establishment_number,
        company_name=company.name if company else None,
        contact_name=contact.name if contact else None,
        contact_email=contact.email if contact else None,
        training_code=application.training_code,
        application_id=application.application_id,
        partnership_id=partnership_id,
        # Names only: a mentor's national register number never leaves intake and review.
        mentor_names=tuple(f"{m.first_name} {m.last_name}" for m in application.mentors),
    )


def acknowledge_application(ports: Ports, envelope: Envelope, data: ApplicationSubmittedV1) -> None:
    application = data.application
    addressee = addressee_from(application)
    ports.store.save_application(addressee, application.submitted_at.isoformat())
    facts = NoticeFacts(
        kind="acknowledgement",
        subject_id=application.application_id,
        partnership_id=None,
        details={"submitted_on": local_date(application.submitted_at), "decision_due": application.decision_due},
    )
    issue_notice(ports, envelope, facts, addressee)


def remember_routing(ports: Ports, envelope: Envelope, data: ApplicationRoutedV1) -> None:
    """Learn the partnership; the snapshot also covers a Routed that overtook its Submitted."""
    known = ports.store.application(data.application_id)
    if known is None:
        ports.store.save_application(addressee_from(data.application, data.partnership_id),
                                    data.application.submitted_at.isoformat())
    else:
        ports.store.set_partnership(data.application_id, data.partnership_id)


def notify_decision(ports: Ports, envelope: Envelope, data: DecisionRecordedV1) -> None:
    ports.store.save_subject(data.decision_id, data.application_id)
    addressee = addressee_for(
        ports.store,
        enterprise_number=data.enterprise_number,
        application_id=data.application_id,
        establishment_number=data.establishment_number,
        training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    facts = NoticeFacts(
        kind="approval" if data.outcome == "approved" else "refusal",
        subject_id=data.decision_id,
        partnership_id=data.partnership_id,
        reasons=tuple(data.reasons),
        details={"valid_from": data.valid_from, "valid_until": data.valid_until},
    )
    issue_notice(ports, envelope, facts, addressee)


def notify_measure(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    addressee = addressee_for(
        ports.store,
        enterprise_number=data.enterprise_number,
        recognition_id=data.recognition_id,
        establishment_number=data.establishment_number,
        partnership_id=data.partnership_id,
    )
    if data.recognition_id and (record := ports.store.recognition(data.recognition_id)):
        addressee = replace(addressee, training_code=record.training_code,
                            establishment_number=record.establishment_number)
    if addressee.application_id:
        ports.store.save_subject(data.measure_id, addressee.application_id)
    facts = NoticeFacts(
        kind=data.type,
        subject_id=data.measure_id,
        partnership_id=data.partnership_id,
        reasons=(data.reason,),
        details={"measure_details": dict(data.details)},
    )
    issue_notice(ports, envelope, facts, addressee)


def notify_expiry(ports: Ports, envelope: Envelope, data: RecognitionExpiredV1) -> None:
    addressee = addressee_for(
        ports.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    facts = NoticeFacts(kind="expiry", subject_id=data.recognition_id, partnership_id=data.partnership_id,
                        details={"expired_on": data.expired_on})
    issue_notice(ports, envelope, facts, addressee)


def notify_restoration(ports: Ports, envelope: Envelope, data: RecognitionRestoredV1) -> None:
    addressee = addressee_for(
        ports.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    facts = NoticeFacts(kind="restoration", subject_id=data.appeal_id or data.recognition_id,
                        partnership_id=data.partnership_id, details={"valid_until": data.valid_until})
    issue_notice(ports, envelope, facts, addressee)


def _appeal_addressee(ports: Ports, appeal_id: str, subject_id: str, enterprise_number: str,
                      partnership_id: str | None) -> tuple[Addressee, str | None]:
    known = ports.store.appeal(appeal_id)
    partnership_id = partnership_id or (known.partnership_id if known else None)
    addressee = addressee_for(ports.store, enterprise_number=enterprise_number, subject_id=subject_id,
                              partnership_id=partnership_id)
    return addressee, partnership_id or addressee.partnership_id


def acknowledge_appeal(ports: Ports, envelope: Envelope, data: AppealLodgedV1) -> None:
    ports.store.save_appeal(AppealRecord(data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id))
    if data.status != "inadmissible":
        return  # the acknowledgement goes out with the admissibility result (AppealAdmissibilityDecided)
    _acknowledge(ports, envelope, data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id,
                 admissible=False, reasons=data.inadmissible_reasons)


def acknowledge_admissibility(ports: Ports, envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    _acknowledge(ports, envelope, data.appeal_id, data.subject_id, data.enterprise_number, None,
                 admissible=data.admissible, reasons=data.reasons)


def _acknowledge(ports: Ports, envelope: Envelope, appeal_id: str, subject_id: str, enterprise_number: str,
                 partnership_id: str | None, *, admissible: bool, reasons: list[str]) -> None:
    addressee, partnership_id = _appeal_addressee(ports, appeal_id, subject_id, enterprise_number, partnership_id)
    facts = NoticeFacts(
        kind="appeal_acknowledgement",
        subject_id=appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(reasons),
        details={"admissible": admissible, "appealed_subject": subject_id},
    )
    issue_notice(ports, envelope, facts, addressee)


def notify_appeal_decision(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    addressee, partnership_id = _appeal_addressee(ports, data.appeal_id, data.subject_id, data.enterprise_number,
                                                  data.partnership_id)
    facts = NoticeFacts(
        kind="appeal_decision",
        subject_id=data.appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(data.reasons),
        details={"outcome": data.outcome, "appealed_subject": data.subject_id},
    )
    issue_notice(ports, envelope, facts, addressee)
