"""Working mails that are not official notices: partnerships about their files, companies about
questions. Each has its own "sent" marker so a redelivery sends nothing twice."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from kernel.calendar import local_date
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    QuestionAnsweredV1,
    QuestionAskedV1,
    SupportRequestRoutedV1,
)
from notification.bootstrap import Dependencies
from notification.domain import mails
from notification.service.issuing import send_once
from notification.service.lookups import partnership_email

logger = Logger(service="notification", child=True)


def _to_partnership(partnership_id: str | None) -> str | None:
    address = partnership_email(partnership_id) if partnership_id else None
    if not address:
        logger.warning("partnership has no contact e-mail", extra={"partnership_id": partnership_id})
    return address


def tell_partnership_of_new_file(data: ApplicationRoutedV1, deps: Dependencies) -> None:
    if to := _to_partnership(data.partnership_id):
        company = data.application.company.name if data.application.company else None
        mail = mails.new_file_mail(to, application_id=data.application_id, company=company,
                                   enterprise_number=data.application.enterprise_number, decision_due=data.decision_due)
        send_once(deps, f"routed-{data.application_id}-{data.partnership_id}", mail)


class ApplicationNotYetKnown(Exception):
    """An event about an application whose ApplicationSubmitted has not arrived yet; retried."""


def confirm_withdrawal(data: ApplicationWithdrawnV1, deps: Dependencies) -> None:
    """The company hears its withdrawal was registered; the partnership that had the file, that
    no decision is needed. Raises ApplicationNotYetKnown while the submission is not known here
    (only a submitted application announces its withdrawal, so it will come)."""
    known = deps.store.application(data.application_id)
    if known is None:
        raise ApplicationNotYetKnown(data.application_id)
    withdrawn_on = local_date(data.withdrawn_at)
    if known.contact_email:
        mail = mails.withdrawal_confirmation_mail(known.contact_email, application_id=data.application_id,
                                                  company=known.company_name, withdrawn_on=withdrawn_on)
        send_once(deps, f"withdrawn-{data.application_id}-company", mail)
    partnership_id = data.partnership_id or known.partnership_id
    if partnership_id and (to := _to_partnership(partnership_id)):
        mail = mails.withdrawal_mail(to, application_id=data.application_id, company=known.company_name,
                                     withdrawn_on=withdrawn_on)
        send_once(deps, f"withdrawn-{data.application_id}-{partnership_id}", mail)


def tell_partnership_of_answer(data: QuestionAnsweredV1, deps: Dependencies) -> None:
    known = deps.store.application(data.application_id)
    partnership_id = data.partnership_id or (known.partnership_id if known else None)
    if to := _to_partnership(partnership_id):
        mail = mails.answer_mail(to, application_id=data.application_id, company=known.company_name if known else None)
        send_once(deps, f"answer-{data.message_id}", mail)


def tell_company_of_question(data: QuestionAskedV1, deps: Dependencies) -> None:
    known = deps.store.application(data.application_id)
    if known and known.contact_email:
        mail = mails.question_mail(known.contact_email, application_id=data.application_id,
                                   company=known.company_name, message=data.message)
        send_once(deps, f"question-{data.question_id}", mail)


def warn_partnership_of_deadline(data: DecisionDeadlineApproachingV1, deps: Dependencies) -> None:
    if to := _to_partnership(data.partnership_id):
        mail = mails.deadline_approaching_mail(to, application_id=data.application_id,
                                               decision_due=data.decision_due, days_left=data.days_left)
        send_once(deps, f"deadline-approaching-{data.application_id}-{data.decision_due}-{data.days_left}", mail)


def flag_missed_deadline(data: DecisionDeadlineMissedV1, deps: Dependencies) -> None:
    if to := _to_partnership(data.partnership_id):
        mail = mails.deadline_missed_mail(to, application_id=data.application_id, decision_due=data.decision_due)
        send_once(deps, f"deadline-missed-{data.application_id}-{data.decision_due}", mail)


def pass_on_support_request(data: SupportRequestRoutedV1, deps: Dependencies) -> None:
    if to := _to_partnership(data.partnership_id):
        request = data.request
        mail = mails.support_request_mail(
            to, support_request_id=data.support_request_id, topic=request.topic,
            enterprise_number=request.enterprise_number, contact_name=request.contact.name,
            contact_email=request.contact.email, message=request.message,
        )
        send_once(deps, f"support-{data.support_request_id}", mail)
