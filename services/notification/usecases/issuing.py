"""Issue one official notice: render, archive once, list, announce, mail once.

Every step is safe to repeat: the notice id follows from (kind, act, subject), the PDF is written
with a no-overwrite condition, the listing rows are conditional puts, NoticeIssued has an event id
derived from the notice id, and the e-mail goes out only after claiming its "sent" marker.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from kernel import clock
from kernel.envelope import Envelope
from kernel.events import NoticeIssuedV1
from kernel.publisher import publish
from notification.domain.documents import NoticeContext, NoticeDocument, compose, issue
from notification.domain.mails import Mail, notice_mail, undelivered_notice_mail
from notification.domain.model import Addressee, Notice, NoticeFacts, notice_id_for
from notification.domain.projection import NoticeRecord
from notification.usecases.lookups import appeal_terms, body, staff_letter, training_name
from notification.usecases.ports import Ports

SOURCE = "notification"
# How long the link in a notice mail works. S3 allows up to 7 days, but a link signed with the
# function's role credentials stops working when those expire (within hours on AWS), so the mail
# states one hour and points to the digital counter for later downloads; the attachment is the
# lasting copy and GET /notices signs a fresh link.
MAIL_LINK_SECONDS = 3600

logger = Logger(service="notification", child=True)


def pdf_key(addressee: Addressee, reference: str) -> str:
    """The notice's object: named by its reference, so the download and the attachment share a name."""
    return f"notices/{addressee.enterprise_number}/{reference}.pdf"


def issue_notice(ports: Ports, cause: Envelope, facts: NoticeFacts, addressee: Addressee,
                 context: NoticeContext | None = None, *, subject_application: str | None = None,
                 pinned_policy: dict[str, Any] | None = None, last: bool = False,
                 remember: str | None = None) -> Notice:
    """``last``: the notice is the handler's last step, so its mail's claim carries the event's
    idempotency marker (one write less). ``context`` carries what the use case looked up beyond the
    sender, training and policy;
    ``subject_application``: the notice's rows also record the application its subject is about;
    ``pinned_policy``: the policy pinned on the application a decision is about (its appeal window);
    ``remember``: the notice's rows also keep ``addressee`` as the application's, submitted at that
    instant (ApplicationRouted learns it and acknowledges it in one write).

    No read before the first delivery's writes: the PDF's no-overwrite put tells a retry, which then
    reads the notice made the first time and issues it again as it was (its date, its object)."""
    notice_id = notice_id_for(facts.kind, facts.subject_id, facts.about)
    partnership_id = facts.partnership_id or addressee.partnership_id
    terms = appeal_terms(partnership_id, ports.portal_url, pinned_policy)
    mailed = bool(addressee.contact_email)
    base = context or NoticeContext(sender=body(partnership_id), terms=terms)
    context = replace(base, terms=terms, mailed=mailed,
                      training=base.training or training_name(addressee.training_code))

    def made(issued_at: datetime) -> tuple[Notice, NoticeDocument, bytes]:
        notice = issue(facts, addressee, issued_at=issued_at, terms=terms,
                       language=addressee.language or ports.language, mailed=mailed)
        document = compose(notice, context)
        return notice, document, ports.render(document)

    def as_first_made(existing: NoticeRecord) -> tuple[Notice, NoticeDocument, bytes, str]:
        return (*made(datetime.fromisoformat(existing.issued_at.replace("Z", "+00:00"))), existing.pdf_key)

    notice, document, pdf = made(clock.now())
    key = pdf_key(addressee, notice.reference)
    existing = None
    if not ports.archive.put_once(key, pdf):
        logger.info("notice already archived; the stored PDF is kept", extra={"notice_id": notice_id})
        existing = ports.store.notice(notice_id)  # a retry: the notice as it was made
        if existing is not None:
            notice, document, pdf, key = as_first_made(existing)
    record = _record(notice, facts, addressee, partnership_id, key, context.sender.name, mailed)
    application = (addressee, remember) if remember is not None else None
    # A notice that is not the handler's last step claims its mail in the notice's own write.
    claim = f"notice-{notice_id}" if addressee.contact_email and not last else None
    written = ports.store.add_notice(record, subject_application=subject_application, application=application,
                                     claim=claim)
    if not written and existing is None:
        # Made before under another object name (a retry across New Year: the reference's year), or
        # its mail's claim was there already: the notice as stored stands.
        first = ports.store.notice(notice_id)
        if first is not None and first.issued_at != record.issued_at:
            logger.warning("notice made before; the first one stands", extra={"notice_id": notice_id,
                                                                            "unused_pdf": key})
            notice, document, pdf, key = as_first_made(first)
            record = _record(notice, facts, addressee, partnership_id, key, context.sender.name, mailed)
    if addressee.contact_email:
        link = ports.archive.download_url(key, MAIL_LINK_SECONDS)
        until = clock.now() + timedelta(seconds=MAIL_LINK_SECONDS)
        mail = notice_mail(notice, document, to=addressee.contact_email, link=link, link_until=until,
                           sender=context.sender, portal=ports.portal_url)
        if claim is not None and written:
            # Claimed with the notice: mailed at once, announced after (a crash in between announces
            # on the retry; announcing first would widen the window in which a crash loses the mail).
            _send_claimed(ports, claim, mail, pdf)
            _announce(ports, cause, record)
            return notice
        # Announced before the claim that may carry the event's marker (after it, a crash would lose it).
        _announce(ports, cause, record)
        send_once(ports, f"notice-{notice_id}", mail, pdf, last=last)
    else:
        _announce(ports, cause, record)
        logger.warning("no contact e-mail known; notice archived and listed, partnership told",
                       extra={"notice_id": notice_id})
        flag_undelivered(ports, notice_id, partnership_id, addressee, document.title, notice.reference,
                         "er is geen e-mailadres van de onderneming bekend", last=last,
                         appeal_route=facts.by_appeal_route)
    return notice


def _record(notice: Notice, facts: NoticeFacts, addressee: Addressee, partnership_id: str | None, key: str,
            body_name: str, mailed: bool) -> NoticeRecord:
    return NoticeRecord(
        notice_id=notice.notice_id,
        kind=facts.kind,
        subject_id=facts.subject_id,
        reference=notice.reference,
        enterprise_number=addressee.enterprise_number,
        partnership_id=partnership_id,
        application_id=addressee.application_id,
        issued_at=clock.iso(notice.issued_at),
        appeal_deadline=notice.appeal_deadline,
        pdf_key=key,
        decided_on=facts.decided_on,
        body=body_name,
        mailed=mailed,
    )


def flag_undelivered(ports: Ports, notice_id: str, partnership_id: str | None, addressee: Addressee, title: str,
                     reference: str, reason: str, *, last: bool = False, appeal_route: bool = False) -> None:
    """Tell the partnership (the VPDL when none is known) that a notice did not reach the company; for
    a notice of the appeal route, the VPDL's appeal coordinator, who sent it (the notice says so)."""
    to = appeal_terms(partnership_id).coordinator_email if appeal_route else body(partnership_id).email
    if not to:
        logger.error("undeliverable notice and no partnership address to tell", extra={"notice_id": notice_id})
        return
    mail = undelivered_notice_mail(to, company=addressee.company_name, enterprise_number=addressee.enterprise_number,
                                   title=title, reference=reference, reason=reason, letter=staff_letter(partnership_id))
    send_once(ports, f"undelivered-{notice_id}", mail, last=last)


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


def _send_claimed(ports: Ports, marker: str, mail: Mail, attachment: bytes | None) -> None:
    """Send a mail whose marker is claimed; a failed send releases it and raises (the retry mails)."""
    try:
        ports.mailer.send(mail, attachment)
    except Exception:
        ports.store.release_send(marker)
        raise


def send_once(ports: Ports, marker: str, mail: Mail, attachment: bytes | None = None, *, last: bool = False) -> bool:
    """Send unless the marker says it was sent. A failed send releases the marker and raises, so
    the message is retried; a crash between claim and send loses that one mail (at most once).
    ``last``: the mail is the handler's last step; its claim carries the event's idempotency marker
    (released with it when the send fails)."""
    if not ports.store.claim_send(marker, mark_event=last):
        logger.info("mail already sent", extra={"marker": marker})
        return False
    try:
        ports.mailer.send(mail, attachment)
    except Exception:
        ports.store.release_send(marker)
        raise
    return True
