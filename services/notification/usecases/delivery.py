"""What became of a notice's mail (SES delivery, bounce, complaint and reject events): recorded on
the notice; a mail that did not reach the company (any bounce, which SES reports only once it gave
up, or a reject) tells the partnership once, since the company may not have the notice and its
receipt cannot be assumed, and tells the bus (NoticeDeliveryFailed), so that no term is counted
from its sending: appeal stops judging lateness by its deadline, intake keeps the extracts."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from kernel import clock
from kernel.events import NoticeDeliveryFailedV1
from kernel.publisher import publish
from notification.domain.delivery import MailEvent
from notification.domain.model import APPEAL_ROUTE_KINDS, Addressee
from notification.domain.texts import TEXTS
from notification.usecases.issuing import SOURCE, flag_undelivered
from notification.usecases.ports import Ports

logger = Logger(service="notification", child=True)


def record_mail_event(ports: Ports, event: MailEvent) -> None:
    if not event.undelivered:
        # A delivery or a complaint only marks the notice: the write is conditional on the notice's rows,
        # so nothing is read first; the notice is read only to tell why nothing took the report.
        if not ports.store.record_delivery(event.notice_id, event.outcome, clock.iso(event.at)) and (
                ports.store.notice(event.notice_id) is None):
            logger.warning("mail event for an unknown notice", extra={"notice_id": event.notice_id})
        return
    notice = ports.store.notice(event.notice_id)
    if notice is None:
        logger.warning("mail event for an unknown notice", extra={"notice_id": event.notice_id})
        return
    ports.store.record_delivery(event.notice_id, event.outcome, clock.iso(event.at))
    # Before the partnership's mail, so that a failed publish retries both. The id derives from the
    # notice: SES's repeats, or a reject and a bounce of one mail, are one event for the consumers.
    failed = NoticeDeliveryFailedV1(
        notice_id=notice.notice_id, kind=notice.kind, subject_id=notice.subject_id,
        enterprise_number=notice.enterprise_number, partnership_id=notice.partnership_id,
        application_id=notice.application_id, outcome="rejected" if event.outcome == "rejected" else "bounced",
        reported_at=event.at)
    publish(ports.publisher, failed, source=SOURCE, correlation_id=notice.notice_id, cause_id=notice.notice_id,
            what="NoticeDeliveryFailed")
    known = ports.store.application(notice.application_id) if notice.application_id else None
    addressee = known or Addressee(enterprise_number=notice.enterprise_number)
    # One flag per notice whatever SES reports next (a reject and a bounce, or the same event twice).
    flag_undelivered(ports, event.notice_id, notice.partnership_id, addressee,
                     _title(notice.kind) or notice.reference, notice.reference, _reason(event),
                     appeal_route=notice.kind in APPEAL_ROUTE_KINDS)


# Why the mail did not arrive, in the words the partnership's staff act on.
_REASONS = {
    "Permanent": "de mailserver van de onderneming weigerde de e-mail definitief (het adres bestaat niet of "
                 "aanvaardt geen e-mail)",
    "Transient": "de mailserver van de onderneming weigerde de e-mail telkens tijdelijk (bijvoorbeeld een volle "
                 "mailbox); de maildienst heeft het een tijd opnieuw geprobeerd en gaf het dan op",
    "Undetermined": "de mailserver van de onderneming stuurde de e-mail terug zonder te zeggen waarom",
}
_REJECTED = ("de e-mail is nooit verzonden: bij de controle vóór verzending weigerde de maildienst ze "
             "(Amazon SES vond inhoud die het als onveilig beschouwt); ze is niet bezorgd")


def _reason(event: MailEvent) -> str:
    if event.outcome == "rejected":
        return _REJECTED
    return _REASONS.get(event.bounce_type or "", _REASONS["Undetermined"])


def _title(kind: str) -> str | None:
    return TEXTS["nl"].get(f"title.{kind}") or TEXTS["nl"].get(f"title.{kind}.inadmissible")
