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
from notification.bootstrap import Dependencies
from notification.domain.model import Addressee, NoticeFacts
from notification.domain.projection import AppealRecord
from notification.service.issuing import issue_notice
from notification.service.lookups import addressee_for


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


def acknowledge_application(envelope: Envelope, data: ApplicationSubmittedV1, deps: Dependencies) -> None:
    application = data.application
    addressee = addressee_from(application)
    deps.store.save_application(addressee, application.submitted_at.isoformat())
    facts = NoticeFacts(
        kind="acknowledgement",
        subject_id=application.application_id,
        partnership_id=None,
        details={"submitted_on": local_date(application.submitted_at), "decision_due": application.decision_due},
    )
    issue_notice(deps, envelope, facts, addressee)


def remember_routing(data: ApplicationRoutedV1, deps: Dependencies) -> None:
    """Learn the partnership; the snapshot also covers a Routed that overtook its Submitted."""
    known = deps.store.application(data.application_id)
    if known is None:
        deps.store.save_application(addressee_from(data.application, data.partnership_id),
                                    data.application.submitted_at.isoformat())
    else:
        deps.store.set_partnership(data.application_id, data.partnership_id)


def notify_decision(envelope: Envelope, data: DecisionRecordedV1, deps: Dependencies) -> None:
    deps.store.save_subject(data.decision_id, data.application_id)
    addressee = addressee_for(
        deps.store,
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
    issue_notice(deps, envelope, facts, addressee)


def notify_measure(envelope: Envelope, data: MeasureImposedV1, deps: Dependencies) -> None:
    addressee = addressee_for(
        deps.store,
        enterprise_number=data.enterprise_number,
        recognition_id=data.recognition_id,
        establishment_number=data.establishment_number,
        partnership_id=data.partnership_id,
    )
    if data.recognition_id and (record := deps.store.recognition(data.recognition_id)):
        addressee = replace(addressee, training_code=record.training_code,
                            establishment_number=record.establishment_number)
    if addressee.application_id:
        deps.store.save_subject(data.measure_id, addressee.application_id)
    facts = NoticeFacts(
        kind=data.type,
        subject_id=data.measure_id,
        partnership_id=data.partnership_id,
        reasons=(data.reason,),
        details={"measure_details": dict(data.details)},
    )
    issue_notice(deps, envelope, facts, addressee)


def notify_expiry(envelope: Envelope, data: RecognitionExpiredV1, deps: Dependencies) -> None:
    addressee = addressee_for(
        deps.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    facts = NoticeFacts(kind="expiry", subject_id=data.recognition_id, partnership_id=data.partnership_id,
                        details={"expired_on": data.expired_on})
    issue_notice(deps, envelope, facts, addressee)


def notify_restoration(envelope: Envelope, data: RecognitionRestoredV1, deps: Dependencies) -> None:
    addressee = addressee_for(
        deps.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    facts = NoticeFacts(kind="restoration", subject_id=data.appeal_id or data.recognition_id,
                        partnership_id=data.partnership_id, details={"valid_until": data.valid_until})
    issue_notice(deps, envelope, facts, addressee)


def _appeal_addressee(deps: Dependencies, appeal_id: str, subject_id: str, enterprise_number: str,
                      partnership_id: str | None) -> tuple[Addressee, str | None]:
    known = deps.store.appeal(appeal_id)
    partnership_id = partnership_id or (known.partnership_id if known else None)
    addressee = addressee_for(deps.store, enterprise_number=enterprise_number, subject_id=subject_id,
                              partnership_id=partnership_id)
    return addressee, partnership_id or addressee.partnership_id


def acknowledge_appeal(envelope: Envelope, data: AppealLodgedV1, deps: Dependencies) -> None:
    deps.store.save_appeal(AppealRecord(data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id))
    if data.status != "inadmissible":
        return  # the acknowledgement goes out with the admissibility result (AppealAdmissibilityDecided)
    _acknowledge(envelope, deps, data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id,
                 admissible=False, reasons=data.inadmissible_reasons)


def acknowledge_admissibility(envelope: Envelope, data: AppealAdmissibilityDecidedV1, deps: Dependencies) -> None:
    _acknowledge(envelope, deps, data.appeal_id, data.subject_id, data.enterprise_number, None,
                 admissible=data.admissible, reasons=data.reasons)


def _acknowledge(envelope: Envelope, deps: Dependencies, appeal_id: str, subject_id: str, enterprise_number: str,
                 partnership_id: str | None, *, admissible: bool, reasons: list[str]) -> None:
    addressee, partnership_id = _appeal_addressee(deps, appeal_id, subject_id, enterprise_number, partnership_id)
    facts = NoticeFacts(
        kind="appeal_acknowledgement",
        subject_id=appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(reasons),
        details={"admissible": admissible, "appealed_subject": subject_id},
    )
    issue_notice(deps, envelope, facts, addressee)


def notify_appeal_decision(envelope: Envelope, data: AppealDecidedV1, deps: Dependencies) -> None:
    addressee, partnership_id = _appeal_addressee(deps, data.appeal_id, data.subject_id, data.enterprise_number,
                                                  data.partnership_id)
    facts = NoticeFacts(
        kind="appeal_decision",
        subject_id=data.appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(data.reasons),
        details={"outcome": data.outcome, "appealed_subject": data.subject_id},
    )
    issue_notice(deps, envelope, facts, addressee)
