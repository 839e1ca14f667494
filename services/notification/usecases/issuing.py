"""Issue one official notice: render, archive once, list, announce, mail once.

Every step is safe to repeat: the notice id follows from (kind, subject), the PDF is written with
a no-overwrite condition, the listing rows are conditional puts, NoticeIssued has an event id
derived from the notice id, and the e-mail goes out only after claiming its "sent" marker.
"""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools import Logger

from kernel import clock
from kernel.envelope import Envelope
from kernel.events import NoticeIssuedV1
from kernel.publisher import publish
from notification.domain.documents import compose, issue
from notification.domain.mails import notice_mail
from notification.domain.model import Addressee, Notice, NoticeFacts, notice_id_for
from notification.domain.projection import NoticeRecord
from notification.usecases.lookups import appeal_terms, partnership_name, training_name
from notification.usecases.ports import Ports

SOURCE = "notification"
# S3's maximum for a presigned link. Signed with the function's role credentials, the link in
# fact stops working when those expire (hours); the attachment is the lasting copy and
# GET /notices signs a fresh link.
MAIL_LINK_SECONDS = 7 * 24 * 3600
_APPEAL_KINDS = ("appeal_acknowledgement", "appeal_decision")

logger = Logger(service="notification", child=True)


def pdf_key(addressee: Addressee, notice_id: str) -> str:
    return f"notices/{addressee.enterprise_number}/{notice_id}.pdf"


def issue_notice(ports: Ports, cause: Envelope, facts: NoticeFacts, addressee: Addressee) -> Notice:
    notice_id = notice_id_for(facts.kind, facts.subject_id)
    existing = ports.store.notice(notice_id)
    issued_at = datetime.fromisoformat(existing.issued_at.replace("Z", "+00:00")) if existing else clock.now()
    terms = appeal_terms(facts.partnership_id or addressee.partnership_id)
    notice = issue(facts, addressee, issued_at=issued_at, terms=terms, language=ports.language)
    # Appeals are the VPDL's (its appeal committee), whoever took the contested decision.
    sender = partnership_name(None if facts.kind in _APPEAL_KINDS else facts.partnership_id)
    document = compose(notice, sender=sender, training_name=training_name(addressee.training_code), terms=terms)
    pdf = ports.render(document)
    key = existing.pdf_key if existing else pdf_key(addressee, notice_id)
    if not ports.archive.put_once(key, pdf):
        logger.info("notice already archived; the stored PDF is kept", extra={"notice_id": notice_id})
    record = NoticeRecord(
        notice_id=notice_id,
        kind=facts.kind,
        subject_id=facts.subject_id,
        reference=notice.reference,
        enterprise_number=addressee.enterprise_number,
        partnership_id=facts.partnership_id or addressee.partnership_id,
        application_id=addressee.application_id,
        issued_at=clock.iso(issued_at),
        appeal_deadline=notice.appeal_deadline,
        pdf_key=key,
    )
    ports.store.add_notice(record)
    _announce(ports, cause, record)
    if addressee.contact_email:
        link = ports.archive.download_url(key, MAIL_LINK_SECONDS)
        send_once(
            ports, f"notice-{notice_id}", notice_mail(notice, document, to=addressee.contact_email, link=link), pdf
        )
    else:
        logger.warning("no contact e-mail known; notice archived and listed only", extra={"notice_id": notice_id})
    return notice


def _announce(ports: Ports, cause: Envelope, record: NoticeRecord) -> None:
    issued = NoticeIssuedV1(
        notice_id=record.notice_id,
        kind=record.kind,
        subject_id=record.subject_id,
        enterprise_number=record.enterprise_number,
        partnership_id=record.partnership_id,
        application_id=record.application_id,
        issued_at=datetime.fromisoformat(record.issued_at.replace("Z", "+00:00")),
        appeal_deadline=record.appeal_deadline,
        pdf_key=record.pdf_key,
    )
    publish(ports.publisher, issued, source=SOURCE, correlation_id=cause.correlation_id, cause_id=record.notice_id,
            what="NoticeIssued")


def send_once(ports: Ports, marker: str, mail, attachment: bytes | None = None) -> bool:
    """Send unless the marker says it was sent. A failed send releases the marker and raises, so
    the message is retried; a crash between claim and send loses that one mail (at most once)."""
    if not ports.store.claim_send(marker):
        logger.info("mail already sent", extra={"marker": marker})
        return False
    try:
        ports.mailer.send(mail, attachment)
    except Exception:
        ports.store.release_send(marker)
        raise
    return True
