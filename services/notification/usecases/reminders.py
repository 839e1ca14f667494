"""Renewal and mentor-training reminders: scheduled when a recognition is granted, removed when it
is renewed, revoked or excluded, and sent once when their timer fires."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from aws_lambda_powertools import Logger

from kernel import clock
from kernel.envelope import Envelope
from kernel.events import (
    MeasureImposedV1,
    MentorTrainingDueV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
    RecognitionRevokedV1,
    RenewalReminderDueV1,
)
from kernel.ledger import reaches
from kernel.publisher import derived_envelope
from kernel.timers import schedule_name
from notification.domain import mails
from notification.domain.model import Addressee, Body
from notification.domain.projection import RecognitionRecord, RecognitionStatus
from notification.domain.reminders import Reminder, plan
from notification.usecases.issuing import SOURCE, send_once
from notification.usecases.lookups import addressee_for, body, policy_values, training_name
from notification.usecases.notices import grant_facts, grant_reference
from notification.usecases.ports import Ports
from reference.partnerships import partnership_table

logger = Logger(service="notification", child=True)


def schedule_for_grant(ports: Ports, envelope: Envelope, data: RecognitionGrantedV1) -> None:
    if data.renews_recognition_id:
        _stop(ports, data.renews_recognition_id, "renewed")
    record = RecognitionRecord(
        recognition_id=data.recognition_id,
        enterprise_number=data.enterprise_number,
        establishment_number=data.establishment_number,
        training_code=data.training_code,
        partnership_id=data.partnership_id,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        application_id=data.application_id or _application_of_appeal(ports, data.appeal_id),
        reference=grant_reference(data),
    )
    # An ordinary grant's last write (an appeal's grant still has its notice to issue).
    _schedule(ports, envelope, record, last=grant_facts(data) is None)


def _application_of_appeal(ports: Ports, appeal_id: str | None) -> str | None:
    appeal = ports.store.appeal(appeal_id) if appeal_id else None
    return ports.store.subject_application(appeal.subject_id) if appeal else None


def _schedule(ports: Ports, envelope: Envelope, record: RecognitionRecord, *, last: bool = False) -> None:
    """``last``: the record's write is the handler's last and carries the event's marker."""
    values = policy_values(record.partnership_id)
    reminders = plan(
        record.recognition_id,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        renewal_offsets_days=values.renewal_reminder_offsets_days.value,
        mentor_training_months=values.mentor_training_deadline_months.value,
        mentor_training_lead_days=values.mentor_training_reminder_days.value,
        after=clock.now(),
    )
    names = tuple(schedule_name(r.name) for r in reminders)
    # The timers first, so that the record's write can carry the event's marker: a crash in between
    # re-runs the event (same names, so nothing is scheduled twice); a timer whose record was never
    # written finds no live recognition when it fires and sends nothing.
    for reminder, name in zip(reminders, names, strict=True):
        ports.timers.schedule(name, reminder.at, _timer_envelope(envelope, record, reminder))
    ports.store.save_recognition(replace(record, status="active", reminders=names), mark_event=last)


def _timer_envelope(cause: Envelope, record: RecognitionRecord, reminder: Reminder) -> Envelope:
    data: RenewalReminderDueV1 | MentorTrainingDueV1
    if reminder.kind == "renewal":
        data = RenewalReminderDueV1(recognition_id=record.recognition_id, enterprise_number=record.enterprise_number,
                                    valid_until=reminder.on, days_before=reminder.days_before)
    else:
        data = MentorTrainingDueV1(recognition_id=record.recognition_id, enterprise_number=record.enterprise_number,
                                   partnership_id=record.partnership_id, due_on=reminder.on)
    return derived_envelope(data, source=SOURCE, correlation_id=cause.correlation_id, cause_id=cause.event_id,
                            what=reminder.name, occurred_at=reminder.at)


def _stop(ports: Ports, recognition_id: str, status: RecognitionStatus) -> None:
    record = ports.store.recognition(recognition_id)
    if record is None:
        return
    for name in record.reminders:
        ports.timers.cancel(name)
    ports.store.save_recognition(replace(record, status=status, reminders=()))


def stop_on_revocation(ports: Ports, envelope: Envelope, data: RecognitionRevokedV1) -> None:
    _stop(ports, data.recognition_id, "revoked")


def stop_on_expiry(ports: Ports, envelope: Envelope, data: RecognitionExpiredV1) -> None:
    _stop(ports, data.recognition_id, "expired")


def stop_on_measure(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    """A revocation ends one recognition; an exclusion every recognition of the establishment, or of
    the whole enterprise when no establishment is named, that its partnership is competent for (all
    of them when the VPDL imposed it: kernel.ledger.reaches)."""
    if data.type == "revocation" and data.recognition_id:
        _stop(ports, data.recognition_id, "revoked")
    elif data.type == "exclusion":
        supervisor = partnership_table().fallback
        for record in ports.store.recognitions_for(data.enterprise_number):
            if data.establishment_number in (None, record.establishment_number) \
                    and reaches(data.partnership_id, record.partnership_id, supervisor):
                _stop(ports, record.recognition_id, "revoked")


def reschedule_on_restoration(ports: Ports, envelope: Envelope, data: RecognitionRestoredV1) -> None:
    record = ports.store.recognition(data.recognition_id)
    if record is None:
        return
    _schedule(ports, envelope, replace(record, valid_until=data.valid_until))


def _live(ports: Ports, recognition_id: str, valid_until: date | None = None) -> RecognitionRecord | None:
    record = ports.store.recognition(recognition_id)
    if record is None or record.status != "active" or (valid_until and record.valid_until != valid_until):
        # Renewed, revoked or moved since the timer was set: a cancel that raced the firing.
        logger.info("reminder no longer applies", extra={"recognition_id": recognition_id})
        return None
    return record


def _reminder_context(ports: Ports, record: RecognitionRecord) -> tuple[Addressee, str, Body] | None:
    addressee = addressee_for(ports.store, enterprise_number=record.enterprise_number,
                              recognition_id=record.recognition_id)
    if not addressee.contact_email:
        logger.warning("no contact e-mail for the reminder", extra={"recognition_id": record.recognition_id})
        return None
    return addressee, addressee.language or ports.language, body(record.partnership_id)


def send_renewal_reminder(ports: Ports, envelope: Envelope, data: RenewalReminderDueV1) -> None:
    record = _live(ports, data.recognition_id, data.valid_until)
    if record is None or (found := _reminder_context(ports, record)) is None:
        return
    addressee, lang, sender = found
    mail = mails.renewal_reminder_mail(
        addressee.contact_email or "", lang=lang, name=addressee.contact_name, company=addressee.company_name,
        training=training_name(record.training_code), establishment_number=record.establishment_number,
        reference=record.reference or "-", valid_until=data.valid_until, days_before=data.days_before,
        sender=sender, portal=ports.portal_url)
    send_once(ports, f"renewal-{record.recognition_id}-{data.valid_until}-{data.days_before}", mail)


def send_mentor_training_reminder(ports: Ports, envelope: Envelope, data: MentorTrainingDueV1) -> None:
    record = _live(ports, data.recognition_id)
    if record is None or (found := _reminder_context(ports, record)) is None:
        return
    addressee, lang, sender = found
    mail = mails.mentor_training_mail(
        addressee.contact_email or "", lang=lang, name=addressee.contact_name, company=addressee.company_name,
        training=training_name(record.training_code), establishment_number=record.establishment_number,
        reference=record.reference or "-", due_on=data.due_on, sender=sender)
    send_once(ports, f"mentor-{record.recognition_id}-{data.due_on}", mail)
