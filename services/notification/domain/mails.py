"""The e-mails the service sends: a notice to the company (PDF attached, link in the body),
messages to partnerships about their files, and reminders to companies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notification.domain.documents import NoticeDocument
from notification.domain.model import Notice
from notification.domain.texts import format_enterprise_number, long_date


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachment_name: str | None = None


_NOTICE_BODY = {
    "nl": "Geachte {name},\n\nIn bijlage vindt u de officiële kennisgeving '{title}' (referentie {reference}).\n"
    "U kunt ze ook downloaden via deze tijdelijke link: {link}\n"
    "Later vindt u al uw kennisgevingen in het digitale loket.\n{deadline}\nMet vriendelijke groeten,\n{sender}\n",
    "en": "Dear {name},\n\nPlease find attached the official notice '{title}' (reference {reference}).\n"
    "You can also download it from this temporary link: {link}\n"
    "All your notices remain available in the digital counter.\n{deadline}\nKind regards,\n{sender}\n",
}
_DEADLINE_LINE = {
    "nl": "Tegen deze beslissing kan beroep worden ingesteld tot en met {deadline}; zie de kennisgeving.\n",
    "en": "This decision can be appealed up to and including {deadline}; see the notice.\n",
}


def notice_mail(notice: Notice, document: NoticeDocument, *, to: str, link: str) -> Mail:
    lang = notice.language if notice.language in _NOTICE_BODY else "nl"
    deadline = (
        _DEADLINE_LINE[lang].format(deadline=long_date(lang, notice.appeal_deadline)) if notice.appeal_deadline else ""
    )
    body = _NOTICE_BODY[lang].format(
        name=notice.addressee.contact_name or notice.addressee.company_name or "",
        title=document.title,
        reference=notice.reference,
        link=link,
        deadline=deadline,
        sender=document.sender,
    )
    return Mail(
        to=to,
        subject=f"{document.title} ({notice.reference})",
        body=body,
        attachment_name=f"{notice.reference}.pdf",
    )


# Partnership mails are working messages for staff, in Dutch: the partnerships are Flemish bodies.
def new_file_mail(
    to: str, *, application_id: str, company: str | None, enterprise_number: str, decision_due: date
) -> Mail:
    return Mail(
        to=to,
        subject=f"Nieuwe aanvraag leerwerkplek: {company or format_enterprise_number(enterprise_number)}",
        body=f"Een nieuwe aanvraag tot erkenning ({application_id}) van {company or '-'} "
        f"({format_enterprise_number(enterprise_number)}) werd aan uw partnerschap toegewezen.\n"
        f"Uiterste beslissingsdatum: {long_date('nl', decision_due)}.\n",
    )


def answer_mail(to: str, *, application_id: str, company: str | None) -> Mail:
    # The answer itself stays in the file; a mail is not the place for its content.
    return Mail(
        to=to,
        subject=f"Antwoord ontvangen op uw vraag ({company or application_id})",
        body=f"De onderneming {company or '-'} heeft uw vraag over aanvraag {application_id} beantwoord. "
        "U vindt het antwoord in het dossier.\n",
    )


def deadline_approaching_mail(to: str, *, application_id: str, decision_due: date, days_left: int) -> Mail:
    return Mail(
        to=to,
        subject=f"Beslissingstermijn loopt af: nog {days_left} dag(en) ({application_id})",
        body=f"Over aanvraag {application_id} moet uiterlijk op {long_date('nl', decision_due)} beslist worden "
        f"(nog {days_left} dag(en)).\n",
    )


def deadline_missed_mail(to: str, *, application_id: str, decision_due: date) -> Mail:
    return Mail(
        to=to,
        subject=f"Beslissingstermijn overschreden ({application_id})",
        body=f"De beslissingstermijn voor aanvraag {application_id} is verstreken op "
        f"{long_date('nl', decision_due)} zonder beslissing.\n",
    )


def support_request_mail(to: str, *, support_request_id: str, topic: str, enterprise_number: str,
                         contact_name: str | None, contact_email: str | None, message: str) -> Mail:
    return Mail(
        to=to,
        subject=f"Vraag om ondersteuning ({topic}) van {format_enterprise_number(enterprise_number)}",
        body=f"Vraag {support_request_id} ({topic}) van onderneming {format_enterprise_number(enterprise_number)}.\n"
        f"Contact: {contact_name or '-'} <{contact_email or '-'}>\n\n{message}\n",
    )


def question_mail(to: str, *, application_id: str, company: str | None, message: str) -> Mail:
    return Mail(
        to=to,
        subject="Vraag van het partnerschap over uw aanvraag tot erkenning als leerwerkplek",
        body=f"Het partnerschap stelt een vraag over uw aanvraag {application_id} ({company or '-'}):\n\n"
        f"{message}\n\nAntwoord via het digitale loket.\n",
    )


def withdrawal_confirmation_mail(to: str, *, application_id: str, company: str | None, withdrawn_on: date) -> Mail:
    return Mail(
        to=to,
        subject="Uw aanvraag tot erkenning als leerwerkplek is ingetrokken",
        body=f"Uw aanvraag {application_id} ({company or '-'}) werd op {long_date('nl', withdrawn_on)} ingetrokken. "
        "Het partnerschap behandelt ze niet verder en neemt er geen beslissing over. U kunt altijd een nieuwe "
        "aanvraag indienen via het digitale loket.\n",
    )


def withdrawal_mail(to: str, *, application_id: str, company: str | None, withdrawn_on: date) -> Mail:
    return Mail(
        to=to,
        subject=f"Aanvraag ingetrokken: {company or application_id}",
        body=f"De onderneming {company or '-'} heeft aanvraag {application_id} op {long_date('nl', withdrawn_on)} "
        "ingetrokken. Er is geen beslissing meer nodig; het dossier is afgesloten.\n",
    )


def renewal_reminder_mail(to: str, *, company: str | None, training: str, valid_until: date, days_before: int) -> Mail:
    return Mail(
        to=to,
        subject=f"Herinnering: uw erkenning als leerwerkplek verloopt op {long_date('nl', valid_until)}",
        body=f"De erkenning van {company or 'uw onderneming'} als leerwerkplek voor '{training}' verloopt over "
        f"{days_before} dagen, op {long_date('nl', valid_until)}. Vraag tijdig een hernieuwing aan via het "
        "digitale loket.\n",
    )


def mentor_training_mail(to: str, *, company: str | None, training: str, due_on: date) -> Mail:
    return Mail(
        to=to,
        subject=f"Herinnering: mentoropleiding uiterlijk op {long_date('nl', due_on)}",
        body=f"De mentoren van {company or 'uw onderneming'} voor '{training}' volgen de verplichte "
        f"mentoropleiding uiterlijk op {long_date('nl', due_on)}.\n",
    )
