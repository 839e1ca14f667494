"""Events that lead to an official notice, and the projection that tells whom to address."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kernel.calendar import add_months, local_date
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    ApplicationSnapshot,
    DecisionRecordedV1,
    MeasureImposedV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
)
from kernel.identifiers import act_reference
from kernel.ledger import reaches
from notification.domain.documents import NoticeContext
from notification.domain.model import (
    ACT_KINDS,
    Addressee,
    ContestedAct,
    NoticeFacts,
    RecognitionLine,
    notice_id_for,
    reference_for,
)
from notification.domain.projection import AppealRecord, RecognitionRecord, enterprise_partition
from notification.usecases.issuing import issue_notice
from notification.usecases.lookups import addressee_for, appeal_terms, body, policy_values, training_name
from notification.usecases.ports import Ports
from reference.partnerships import partnership_table


def addressee_from(application: ApplicationSnapshot, partnership_id: str | None = None) -> Addressee:
    company, contact = application.company, application.contact
    address = company.address if company else None
    lines = []
    if address and address.street:
        lines.append(address.street)
    if address and (address.postal_code or address.city):
        lines.append(" ".join(v for v in (address.postal_code, address.city) if v))
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
        address_lines=tuple(lines),
        language=contact.language if contact else None,
        submitted_on=local_date(application.submitted_at),
    )


def _context(ports: Ports, partnership_id: str | None, **values: object) -> NoticeContext:
    return NoticeContext(sender=body(partnership_id), terms=appeal_terms(partnership_id, ports.portal_url),
                         **values)  # type: ignore[arg-type]


def _appeal_route_context(ports: Ports, partnership_id: str | None, contested: ContestedAct) -> NoticeContext:
    """The appeal route is the VPDL's (its coordinator and committee), whoever took the contested
    act; questions go to the coordinator."""
    terms = appeal_terms(partnership_id, ports.portal_url)
    vpdl = body(None)
    return NoticeContext(sender=replace(vpdl, email=terms.coordinator_email), terms=terms,
                         contested=contested)


def acknowledge_application(ports: Ports, envelope: Envelope, data: ApplicationRoutedV1) -> None:
    """Learn the addressee and acknowledge the application in one write. The event carries the
    snapshot intake submitted (this service does not read ApplicationSubmitted), and the competent
    partnership sends the acknowledgement (a Horeca file is acknowledged by the Horeca partnership,
    not the VPDL)."""
    application = data.application
    addressee = addressee_from(application, data.partnership_id)
    facts = NoticeFacts(
        kind="acknowledgement",
        subject_id=application.application_id,
        partnership_id=data.partnership_id,
        details={"submitted_on": local_date(application.submitted_at), "decision_due": data.decision_due},
    )
    issue_notice(ports, envelope, facts, addressee, remember=application.submitted_at.isoformat())


def notify_decision(ports: Ports, envelope: Envelope, data: DecisionRecordedV1) -> None:
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
        details={"valid_from": data.valid_from, "valid_until": data.valid_until,
                 "conditions_not_met": list(data.conditions_not_met)},
        decided_on=local_date(data.decided_at),
    )
    due = None
    if data.valid_from:
        due = add_months(data.valid_from, policy_values(data.partnership_id).mentor_training_deadline_months.value)
    # The notice's rows also say which application the decision is about (appeals look it up).
    issue_notice(ports, envelope, facts, addressee, _context(ports, data.partnership_id, mentor_training_due=due),
                 subject_application=data.application_id, pinned_policy=data.policy, last=True)


def _line(record: RecognitionRecord) -> RecognitionLine:
    return RecognitionLine(training=training_name(record.training_code) or "-",
                           establishment_number=record.establishment_number, valid_until=record.valid_until)


def _listed_order(record: RecognitionRecord) -> tuple[str, str, str]:
    """The order an exclusion notice lists the recognitions it ends in."""
    return record.establishment_number, record.training_code, record.recognition_id


def _reached_by_exclusion(ports: Ports, data: MeasureImposedV1) -> list[RecognitionRecord]:
    """The recognitions an exclusion ends: those review names (details.revoked_recognition_ids),
    whatever their state here, since their RecognitionRevoked may have arrived first (the bus keeps
    no order); for an event without them, the running ones in its reach (as reminders.stop_on_measure)."""
    named = data.details.get("revoked_recognition_ids")
    if isinstance(named, list):
        found = [r for i in named if isinstance(i, str) and (r := ports.store.recognition(i))]
        return sorted(found, key=_listed_order)
    supervisor = partnership_table().fallback
    return sorted(
        (r for r in ports.store.recognitions_for(data.enterprise_number)
         if r.status == "active" and data.establishment_number in (None, r.establishment_number)
         and reaches(data.partnership_id, r.partnership_id, supervisor)),
        key=_listed_order)


def notify_measure(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    """Runs before reminders.stop_on_measure: the exclusion notice lists the recognitions still running."""
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
    if data.type == "exclusion" and data.establishment_number is None:
        addressee = replace(addressee, establishment_number=None)  # the whole enterprise
    details = dict(data.details)
    lines: tuple[RecognitionLine, ...] = ()
    if data.type == "exclusion":
        lines = tuple(_line(r) for r in _reached_by_exclusion(ports, data))
    elif data.type == "mentor_ban":
        ids = details.get("recognition_ids") or ([data.recognition_id] if data.recognition_id else [])
        lines = tuple(_line(r) for i in ids if isinstance(i, str) and (r := ports.store.recognition(i)))
    trainings = {c: name for c in details.get("trainings") or [] if isinstance(c, str) and (name := training_name(c))}
    facts = NoticeFacts(
        kind=data.type,
        subject_id=data.measure_id,
        partnership_id=data.partnership_id,
        reasons=(data.reason,),
        details={"measure_details": details, "sectoral": data.partnership_id != partnership_table().fallback},
        decided_on=local_date(data.imposed_at),
    )
    issue_notice(ports, envelope, facts, addressee,
                 _context(ports, data.partnership_id, recognitions=lines, trainings=trainings),
                 subject_application=addressee.application_id)


def notify_expiry(ports: Ports, envelope: Envelope, data: RecognitionExpiredV1) -> None:
    addressee = addressee_for(
        ports.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    record = ports.store.recognition(data.recognition_id)
    facts = NoticeFacts(kind="expiry", subject_id=data.recognition_id, partnership_id=data.partnership_id,
                        details={"expired_on": data.expired_on,
                                 "valid_until": record.valid_until if record else None})
    issue_notice(ports, envelope, facts, addressee)


def _appeal_decision(ports: Ports, appeal_id: str | None, decided: date) -> tuple[str, date]:
    """The appeal decision's reference and date, as its notice printed them (or as it will)."""
    if appeal_id and (found := ports.store.notice(notice_id_for("appeal_decision", appeal_id))):
        return found.reference, found.decided_on or decided
    facts = NoticeFacts(kind="appeal_decision", subject_id=appeal_id or "", partnership_id=None, decided_on=decided)
    return reference_for(facts, decided), decided


def notify_restoration(ports: Ports, envelope: Envelope, data: RecognitionRestoredV1) -> None:
    """One notice per restored recognition: an appeal against an exclusion may restore several."""
    addressee = addressee_for(
        ports.store, enterprise_number=data.enterprise_number, recognition_id=data.recognition_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    decided = local_date(data.restored_at)
    reference, decided_on = _appeal_decision(ports, data.appeal_id, decided)
    facts = NoticeFacts(kind="restoration", subject_id=data.appeal_id or data.recognition_id,
                        about=data.recognition_id if data.appeal_id else None,
                        partnership_id=data.partnership_id, details={"valid_until": data.valid_until},
                        decided_on=decided)
    issue_notice(ports, envelope, facts, addressee,
                 _context(ports, data.partnership_id, appeal_reference=reference, appeal_decided_on=decided_on))


def grant_facts(data: RecognitionGrantedV1) -> NoticeFacts | None:
    """The notice of a recognition an upheld appeal grants; None for an ordinary grant (its
    approval notice went out with DecisionRecorded)."""
    if not data.appeal_id:
        return None
    return NoticeFacts(kind="recognition", subject_id=data.appeal_id, about=data.recognition_id,
                       partnership_id=data.partnership_id,
                       details={"valid_from": data.valid_from, "valid_until": data.valid_until},
                       decided_on=local_date(data.granted_at))


def grant_reference(data: RecognitionGrantedV1) -> str:
    """The reference of the act that granted a recognition (reminders quote it). An ordinary grant's
    act is the approval: its notice's reference follows from the decision id and the year it was
    decided (reference_for), and review grants at the instant it decides (granted_at = decided_at),
    so it is computed rather than read back."""
    facts = grant_facts(data)
    if facts is None:
        return act_reference(data.decision_id or data.recognition_id, local_date(data.granted_at).year)
    return reference_for(facts, local_date(data.granted_at))


def notify_recognition_after_appeal(ports: Ports, envelope: Envelope, data: RecognitionGrantedV1) -> None:
    facts = grant_facts(data)
    if facts is None:
        return
    appeal = ports.store.appeal(facts.subject_id)
    application_id = data.application_id or (ports.store.subject_application(appeal.subject_id) if appeal else None)
    addressee = addressee_for(
        ports.store, enterprise_number=data.enterprise_number, application_id=application_id,
        establishment_number=data.establishment_number, training_code=data.training_code,
        partnership_id=data.partnership_id,
    )
    if data.mentors:
        addressee = replace(addressee, mentor_names=tuple(f"{m.first_name} {m.last_name}" for m in data.mentors))
    if data.company_name and not addressee.company_name:
        addressee = replace(addressee, company_name=data.company_name)
    reference, decided_on = _appeal_decision(ports, data.appeal_id, local_date(data.granted_at))
    due = add_months(data.valid_from, policy_values(data.partnership_id).mentor_training_deadline_months.value)
    issue_notice(ports, envelope, facts, addressee,
                 _context(ports, data.partnership_id, appeal_reference=reference, appeal_decided_on=decided_on,
                          mentor_training_due=due), last=True)  # the grant's last step


def _appeal_addressee(ports: Ports, appeal_id: str, subject_id: str, enterprise_number: str,
                      partnership_id: str | None) -> tuple[Addressee, str | None]:
    known = ports.store.appeal(appeal_id)
    partnership_id = partnership_id or (known.partnership_id if known else None)
    addressee = addressee_for(ports.store, enterprise_number=enterprise_number, subject_id=subject_id,
                              partnership_id=partnership_id)
    return addressee, partnership_id or addressee.partnership_id


def contested_act(ports: Ports, enterprise_number: str, subject_id: str) -> ContestedAct:
    """The decision or measure an appeal is against, as its own notice named it."""
    for notice in ports.store.notices_in(enterprise_partition(enterprise_number)):
        if notice.subject_id == subject_id and notice.kind in ACT_KINDS:
            return ContestedAct(kind=notice.kind, reference=notice.reference, decided_on=notice.decided_on,
                                body=notice.body)
    # Its notice is not known here (issued before this service kept them): the reference still
    # follows from the act's id, but not its year, so only the words 'the contested decision'.
    return ContestedAct(kind=None, reference="-", decided_on=None, body=None)


def acknowledge_appeal(ports: Ports, envelope: Envelope, data: AppealLodgedV1) -> None:
    ports.store.save_appeal(AppealRecord(data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id,
                                         lodged_on=local_date(data.lodged_at).isoformat()))
    if data.status != "inadmissible":
        return  # the acknowledgement goes out with the admissibility result (AppealAdmissibilityDecided)
    _acknowledge(ports, envelope, data.appeal_id, data.subject_id, data.enterprise_number, data.partnership_id,
                 admissible=False, reasons=data.inadmissible_reasons, decided_on=local_date(data.lodged_at))


def acknowledge_admissibility(ports: Ports, envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    _acknowledge(ports, envelope, data.appeal_id, data.subject_id, data.enterprise_number, None,
                 admissible=data.admissible, reasons=data.reasons, decided_on=local_date(data.decided_at))


def _acknowledge(ports: Ports, envelope: Envelope, appeal_id: str, subject_id: str, enterprise_number: str,
                 partnership_id: str | None, *, admissible: bool, reasons: list[str], decided_on: date) -> None:
    addressee, partnership_id = _appeal_addressee(ports, appeal_id, subject_id, enterprise_number, partnership_id)
    known = ports.store.appeal(appeal_id)
    facts = NoticeFacts(
        kind="appeal_acknowledgement",
        subject_id=appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(reasons),
        details={"admissible": admissible, "lodged_on": known.lodged_on if known else None},
        decided_on=decided_on,
    )
    issue_notice(ports, envelope, facts, addressee,
                 _appeal_route_context(ports, partnership_id, contested_act(ports, enterprise_number, subject_id)))


def notify_appeal_decision(ports: Ports, envelope: Envelope, data: AppealDecidedV1) -> None:
    addressee, partnership_id = _appeal_addressee(ports, data.appeal_id, data.subject_id, data.enterprise_number,
                                                  data.partnership_id)
    known = ports.store.appeal(data.appeal_id)
    facts = NoticeFacts(
        kind="appeal_decision",
        subject_id=data.appeal_id,
        partnership_id=partnership_id,
        reasons=tuple(data.reasons),
        details={"outcome": data.outcome, "lodged_on": known.lodged_on if known else None},
        decided_on=local_date(data.decided_at),
    )
    issue_notice(ports, envelope, facts, addressee,
                 _appeal_route_context(ports, partnership_id,
                                       contested_act(ports, data.enterprise_number, data.subject_id)))
