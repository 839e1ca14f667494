"""Working mails that are not official notices: partnerships about their files, companies about
questions and withdrawals. Each has its own "sent" marker so a redelivery sends nothing twice."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from kernel.calendar import local_date
from kernel.envelope import Envelope
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    QuestionAnsweredV1,
    QuestionAskedV1,
    SupportRequestRoutedV1,
)
from notification.domain import mails
from notification.domain.model import Addressee, application_reference
from notification.usecases.issuing import send_once
from notification.usecases.lookups import body, partnership_email, staff_letter, training_name
from notification.usecases.ports import Ports

logger = Logger(service="notification", child=True)


def _to_partnership(partnership_id: str | None) -> str | None:
    address = partnership_email(partnership_id) if partnership_id else None
    if not address:
        logger.warning("partnership has no contact e-mail", extra={"partnership_id": partnership_id})
    return address


def _file(known: Addressee | None, enterprise_number: str = "") -> dict:
    """How a staff mail names a file: company, enterprise number, training, submission date, reference."""
    if known is None:
        return dict(company=None, enterprise_number=enterprise_number, training=None, submitted_on=None)
    return dict(company=known.company_name, enterprise_number=known.enterprise_number,
                training=training_name(known.training_code), submitted_on=known.submitted_on,
                reference=_reference(known))


def _reference(known: Addressee) -> str | None:
    """The file's reference, as its acknowledgement printed it."""
    if known.application_id and known.submitted_on:
        return application_reference(known.application_id, known.submitted_on)
    return None


def _language(ports: Ports, known: Addressee) -> str:
    return known.language or ports.language


def tell_partnership_of_new_file(ports: Ports, envelope: Envelope, data: ApplicationRoutedV1) -> None:
    if to := _to_partnership(data.partnership_id):
        application = data.application
        company = application.company.name if application.company else None
        mail = mails.new_file_mail(to, company=company, enterprise_number=application.enterprise_number,
                                   training=training_name(application.training_code),
                                   submitted_on=local_date(application.submitted_at), decision_due=data.decision_due,
                                   reference=application_reference(data.application_id,
                                                                   local_date(application.submitted_at)),
                                   letter=staff_letter(data.partnership_id))
        # ApplicationRouted's last step: the claim carries the event's marker.
        send_once(ports, f"routed-{data.application_id}-{data.partnership_id}", mail, last=True)


class ApplicationNotYetKnown(Exception):
    """An event about an application whose ApplicationRouted has not arrived yet; retried."""


def confirm_withdrawal(ports: Ports, envelope: Envelope, data: ApplicationWithdrawnV1) -> None:
    """The company hears its withdrawal was registered; the partnership that had the file, that
    no decision is needed. Raises ApplicationNotYetKnown while the application is not known here
    (only a submitted application announces its withdrawal, and every submitted one is routed, so
    its ApplicationRouted will come)."""
    known = ports.store.application(data.application_id)
    if known is None:
        raise ApplicationNotYetKnown(data.application_id)
    withdrawn_on = local_date(data.withdrawn_at)
    partnership_id = data.partnership_id or known.partnership_id
    if known.contact_email:
        mail = mails.withdrawal_confirmation_mail(
            known.contact_email, lang=_language(ports, known), name=known.contact_name, company=known.company_name,
            training=training_name(known.training_code), submitted_on=known.submitted_on,
            withdrawn_on=withdrawn_on, sender=body(partnership_id), portal=ports.portal_url,
            reference=_reference(known))
        send_once(ports, f"withdrawn-{data.application_id}-company", mail)
    if partnership_id and (to := _to_partnership(partnership_id)):
        mail = mails.withdrawal_mail(to, withdrawn_on=withdrawn_on, letter=staff_letter(partnership_id), **_file(known))
        send_once(ports, f"withdrawn-{data.application_id}-{partnership_id}", mail)


def tell_partnership_of_answer(ports: Ports, envelope: Envelope, data: QuestionAnsweredV1) -> None:
    known = ports.store.application(data.application_id)
    partnership_id = data.partnership_id or (known.partnership_id if known else None)
    if to := _to_partnership(partnership_id):
        mail = mails.answer_mail(to, letter=staff_letter(partnership_id), **_file(known))
        send_once(ports, f"answer-{data.message_id}", mail)


def tell_company_of_question(ports: Ports, envelope: Envelope, data: QuestionAskedV1) -> None:
    known = ports.store.application(data.application_id)
    if known and known.contact_email:
        mail = mails.question_mail(
            known.contact_email, lang=_language(ports, known), name=known.contact_name, company=known.company_name,
            training=training_name(known.training_code), submitted_on=known.submitted_on, message=data.message,
            sender=body(data.partnership_id or known.partnership_id), portal=ports.portal_url,
            reference=_reference(known))
        send_once(ports, f"question-{data.question_id}", mail)


def warn_partnership_of_deadline(
    ports: Ports, envelope: Envelope, data: DecisionDeadlineApproachingV1
) -> None:
    if to := _to_partnership(data.partnership_id):
        known = ports.store.application(data.application_id)
        mail = mails.deadline_approaching_mail(to, decision_due=data.decision_due, days_left=data.days_left,
                                               letter=staff_letter(data.partnership_id), **_file(known))
        send_once(ports, f"deadline-approaching-{data.application_id}-{data.decision_due}-{data.days_left}", mail)


def flag_missed_deadline(ports: Ports, envelope: Envelope, data: DecisionDeadlineMissedV1) -> None:
    if to := _to_partnership(data.partnership_id):
        known = ports.store.application(data.application_id)
        mail = mails.deadline_missed_mail(to, decision_due=data.decision_due, letter=staff_letter(data.partnership_id),
                                          **_file(known))
        send_once(ports, f"deadline-missed-{data.application_id}-{data.decision_due}", mail)


def pass_on_support_request(ports: Ports, envelope: Envelope, data: SupportRequestRoutedV1) -> None:
    if to := _to_partnership(data.partnership_id):
        request = data.request
        mail = mails.support_request_mail(
            to, topic=request.topic, enterprise_number=request.enterprise_number, contact_name=request.contact.name,
            contact_email=request.contact.email, message=request.message, letter=staff_letter(data.partnership_id),
        )
        send_once(ports, f"support-{data.support_request_id}", mail)
