"""What became of a notice's mail (SES delivery, bounce and complaint events): recorded on the
notice; a hard bounce tells the partnership, since the company may not have the notice and its
receipt cannot be assumed."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from kernel import clock
from notification.domain.delivery import MailEvent
from notification.domain.model import Addressee
from notification.domain.texts import TEXTS
from notification.usecases.issuing import flag_undelivered
from notification.usecases.ports import Ports

logger = Logger(service="notification", child=True)


def record_mail_event(ports: Ports, event: MailEvent) -> None:
    notice = ports.store.notice(event.notice_id)
    if notice is None:
        logger.warning("mail event for an unknown notice", extra={"notice_id": event.notice_id})
        return
    ports.store.record_delivery(event.notice_id, event.outcome, clock.iso(event.at))
    if event.outcome == "bounced" and event.permanent:
        known = ports.store.application(notice.application_id) if notice.application_id else None
        addressee = known or Addressee(enterprise_number=notice.enterprise_number)
        flag_undelivered(ports, event.notice_id, notice.partnership_id, addressee,
                         _title(notice.kind) or notice.reference, notice.reference,
                         "het e-mailadres weigerde de e-mail (permanente bounce)")


def _title(kind: str) -> str | None:
    return TEXTS["nl"].get(f"title.{kind}") or TEXTS["nl"].get(f"title.{kind}.inadmissible")
