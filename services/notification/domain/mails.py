"""The e-mails the service sends: a notice to the company (PDF attached, link in the body),
messages to partnerships about their files, and reminders to companies.

Every mail has a greeting, a signature with the sender's postal address, phone and e-mail, and the
reference it is about; company mails are in the company's language (Dutch or English) and signed by
their partnership, working mails to partnership staff in Dutch and signed by the platform's operator.
No mail carries an internal id or a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kernel.calendar import brussels, local_date
from notification.domain.documents import NoticeDocument
from notification.domain.model import Body, Notice
from notification.domain.texts import format_enterprise_number, language_of, long_date


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachment_name: str | None = None
    reply_to: str | None = None  # the sending partnership's contact address (the sender is a no-reply)
    tags: tuple[tuple[str, str], ...] = ()  # SES message tags: its delivery events name the notice by them


_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "greeting": "Geachte {name},",
        "greeting.anonymous": "Geachte mevrouw, geachte heer,",
        "regards": "Met vriendelijke groeten,",
        "phone": "Tel.",
        "contact": "Vragen? Antwoord op deze e-mail of schrijf naar {email}.",
        "contact.counter": "Vragen? Neem contact op via het digitale loket.",
        "counter": "het digitale loket",
        "notice.attached": "{sender} stuurt u in bijlage de officiële kennisgeving '{title}'.",
        "notice.reference": "Kenmerk: {reference} (vermeld het in elke briefwisseling).",
        "notice.deadline": "Tegen deze beslissing kunt u beroep instellen tot en met {deadline}; de kennisgeving "
        "zegt hoe.",
        "notice.link": "U kunt de kennisgeving ook downloaden via deze link. Hij werkt {lifetime} lang, tot "
        "{until}; daarna vindt u de kennisgeving altijd in {counter}.",
        "lifetime.hour": "één uur",
        "notice.translation": "Dit is een Engelse vertaling; de Nederlandse tekst in dezelfde bijlage is de "
        "authentieke.",
        "file.reference": "Kenmerk van uw dossier: {reference} (vermeld het in elke briefwisseling).",
        "question.subject": "Vraag van {sender} over uw aanvraag tot erkenning als leerwerkplek",
        "question.body": "{sender} heeft een vraag over uw aanvraag tot erkenning van {company} als leerwerkplek "
        "voor de opleiding {training}, ingediend op {submitted_on}:",
        "question.answer": "U beantwoordt de vraag in {counter}. Zolang de vraag open staat, kan het partnerschap "
        "over uw aanvraag nog niet beslissen.",
        "withdrawn.subject": "Uw aanvraag tot erkenning als leerwerkplek is ingetrokken",
        "withdrawn.body": "Uw aanvraag tot erkenning van {company} als leerwerkplek voor de opleiding {training}, "
        "ingediend op {submitted_on}, werd op {withdrawn_on} ingetrokken. Het partnerschap behandelt ze niet "
        "verder en neemt er geen beslissing over. U kunt altijd een nieuwe aanvraag indienen in {counter}.",
        "renewal.subject": "Herinnering: uw erkenning als leerwerkplek voor {training} loopt af op {valid_until}",
        "renewal.body": "De erkenning van {company} als leerwerkplek voor de opleiding {training} "
        "(vestigingseenheid {establishment}, kenmerk {reference}) is geldig tot en met {valid_until}, nog "
        "{days_before} dagen. Vraag tijdig een hernieuwing aan in {counter}, zodat u zonder onderbreking "
        "lerenden kunt blijven opleiden.",
        "mentor.subject": "Herinnering: mentoropleiding voor {training} uiterlijk op {due_on}",
        "mentor.body": "De mentoren van {company} voor de opleiding {training} (vestigingseenheid {establishment}, "
        "kenmerk {reference}) volgen de verplichte mentoropleiding uiterlijk op {due_on}. Schrijf hen tijdig in "
        "en bezorg het bewijs aan {sender}.",
    },
    "en": {
        "greeting": "Dear {name},",
        "greeting.anonymous": "Dear Sir or Madam,",
        "regards": "Kind regards,",
        "phone": "Phone",
        "contact": "Questions? Reply to this e-mail or write to {email}.",
        "contact.counter": "Questions? Contact us through the digital counter.",
        "counter": "the digital counter",
        "notice.attached": "{sender} sends you the attached official notice '{title}'.",
        "notice.reference": "Reference: {reference} (please quote it in any correspondence).",
        "notice.deadline": "You may appeal against this decision up to and including {deadline}; the notice says "
        "how.",
        "notice.link": "You can also download the notice from this link. It works for {lifetime}, until {until}; "
        "after that the notice is always available in {counter}.",
        "lifetime.hour": "one hour",
        "notice.translation": "This is an English translation; the Dutch text in the same attachment is the "
        "authentic one.",
        "file.reference": "Reference of your file: {reference} (please quote it in any correspondence).",
        "question.subject": "Question from {sender} about your application for recognition as a workplace "
        "learning site",
        "question.body": "{sender} has a question about your application for recognition of {company} as a "
        "workplace learning site for the training {training}, submitted on {submitted_on}:",
        "question.answer": "Please answer it in {counter}. While the question is open, the partnership cannot "
        "decide on your application yet.",
        "withdrawn.subject": "Your application for recognition as a workplace learning site has been withdrawn",
        "withdrawn.body": "Your application for recognition of {company} as a workplace learning site for the "
        "training {training}, submitted on {submitted_on}, was withdrawn on {withdrawn_on}. The partnership will "
        "not handle it further and takes no decision on it. You can submit a new application in {counter} at "
        "any time.",
        "renewal.subject": "Reminder: your recognition as a workplace learning site for {training} ends on "
        "{valid_until}",
        "renewal.body": "The recognition of {company} as a workplace learning site for the training {training} "
        "(establishment unit {establishment}, reference {reference}) is valid for {days_before} more days, up to "
        "and including {valid_until}. Apply for a renewal in {counter} in good time, so that you can go on training "
        "learners without a break.",
        "mentor.subject": "Reminder: mentor training for {training} by {due_on}",
        "mentor.body": "The mentors of {company} for the training {training} (establishment unit {establishment}, "
        "reference {reference}) must complete the compulsory mentor training by {due_on}. Enrol them in good time "
        "and send the proof to {sender}.",
    },
}
_UNKNOWN = {"nl": {"company": "uw onderneming", "training": "de aangevraagde opleiding"},
            "en": {"company": "your company", "training": "the training applied for"}}


def _w(lang: str, key: str, **values: object) -> str:
    return _WORDS[language_of(lang)][key].format(**values)


def _counter(lang: str, portal: str | None) -> str:
    return f"{_w(lang, 'counter')} ({portal})" if portal else _w(lang, "counter")


def _letter(lang: str, name: str | None, paragraphs: list[str], sender: Body) -> str:
    greeting = _w(lang, "greeting", name=name) if name else _w(lang, "greeting.anonymous")
    contact = _w(lang, "contact", email=sender.email) if sender.email else _w(lang, "contact.counter")
    # The signature: who sends it and how to reach them by post, phone and e-mail (the e-mail last).
    signature = [_w(lang, "regards"), sender.name, *((sender.postal_address,) if sender.postal_address else ()),
                 *((f"{_w(lang, 'phone')} {sender.phone}",) if sender.phone else ()),
                 *((sender.email,) if sender.email else ())]
    return "\n\n".join([greeting, *paragraphs, contact, "\n".join(signature)]) + "\n"


def notice_mail(notice: Notice, document: NoticeDocument, *, to: str, link: str, link_until: datetime,
                sender: Body, portal: str | None = None) -> Mail:
    """``link_until``: when the presigned link stops working (it is signed as the mail is sent)."""
    lang = language_of(notice.language)
    from_body = sender
    until_local = link_until.astimezone(brussels())
    until_day = local_date(link_until)
    paragraphs = [_w(lang, "notice.attached", sender=from_body.name, title=document.title),
                  _w(lang, "notice.reference", reference=notice.reference)]
    if notice.appeal_deadline:
        paragraphs.append(_w(lang, "notice.deadline", deadline=long_date(lang, notice.appeal_deadline)))
    if lang != "nl":
        paragraphs.append(_w(lang, "notice.translation"))
    paragraphs.append(_w(lang, "notice.link", lifetime=_w(lang, "lifetime.hour"),
                         until=f"{long_date(lang, until_day)} {until_local:%H:%M}",
                         counter=_counter(lang, portal)) + f"\n{link}")
    name = notice.addressee.contact_name or notice.addressee.company_name
    return Mail(to=to, subject=f"{document.title} ({notice.reference})",
                body=_letter(lang, name, paragraphs, from_body),
                attachment_name=f"{notice.reference}.pdf", reply_to=from_body.email,
                tags=(("notice_id", notice.notice_id),))


# Working mails to partnership staff, in Dutch: the partnerships are Flemish bodies. A file is
# named by the company, its enterprise number, the training and the submission date (the back
# office lists it so) and by its reference, never by an internal id.
@dataclass(frozen=True)
class StaffLetter:
    """Whom a working mail greets (the partnership's name, its team reads the shared address) and who
    signs it: the platform's operator, with how to reach it (its replies go there too)."""

    team: str | None = None
    operator: Body | None = None


def _staff(body: str, letter: StaffLetter | None, reference: str | None = None) -> str:
    letter = letter or StaffLetter()
    greeting = f"Beste collega's van {letter.team}," if letter.team else "Beste collega,"
    paragraphs = [greeting, body]
    if reference:
        paragraphs.append(f"Kenmerk van het dossier: {reference}")
    signature = ["Met vriendelijke groeten,", "Het platform leerwerkplekken (automatisch bericht)"]
    if (operator := letter.operator) is not None:
        if operator.email:
            paragraphs.append(f"Vragen over dit bericht of over het platform? Schrijf naar {operator.email}.")
        signature += [operator.name, *((operator.postal_address,) if operator.postal_address else ()),
                      *((f"Tel. {operator.phone}",) if operator.phone else ()),
                      *((operator.email,) if operator.email else ())]
    return "\n\n".join([*paragraphs, "\n".join(signature)]) + "\n"


def _staff_mail(to: str, subject: str, body: str, letter: StaffLetter | None, reference: str | None = None) -> Mail:
    reply_to = letter.operator.email if letter and letter.operator else None
    return Mail(to=to, subject=subject, body=_staff(body, letter, reference), reply_to=reply_to)


def _file(company: str | None, enterprise_number: str, training: str | None, submitted_on: date | None) -> str:
    parts = [f"{company or 'onderneming'} ({format_enterprise_number(enterprise_number)})"]
    if training:
        parts.append(f"opleiding '{training}'")
    if submitted_on:
        parts.append(f"ingediend op {long_date('nl', submitted_on)}")
    return ", ".join(parts)


def _named(company: str | None, enterprise_number: str) -> str:
    """How a staff mail's subject names the company: its name, else its formatted enterprise number."""
    return company or format_enterprise_number(enterprise_number)


def new_file_mail(to: str, *, company: str | None, enterprise_number: str, training: str | None,
                  submitted_on: date | None, decision_due: date, reference: str | None = None,
                  letter: StaffLetter | None = None) -> Mail:
    return _staff_mail(
        to,
        f"Nieuwe aanvraag leerwerkplek: {_named(company, enterprise_number)}",
        f"Een nieuwe aanvraag tot erkenning werd aan uw partnerschap toegewezen: "
        f"{_file(company, enterprise_number, training, submitted_on)}.\n"
        f"Uiterste beslissingsdatum: {long_date('nl', decision_due)}. U vindt het dossier in de backoffice.",
        letter, reference)


def answer_mail(to: str, *, company: str | None, enterprise_number: str, training: str | None,
                submitted_on: date | None, reference: str | None = None, letter: StaffLetter | None = None) -> Mail:
    # The answer itself stays in the file; a mail is not the place for its content.
    return _staff_mail(
        to,
        f"Antwoord ontvangen op uw vraag ({_named(company, enterprise_number)})",
        f"De onderneming heeft uw vraag beantwoord over de aanvraag "
        f"{_file(company, enterprise_number, training, submitted_on)}. U vindt het antwoord in het dossier in de "
        "backoffice.",
        letter, reference)


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def deadline_approaching_mail(to: str, *, company: str | None, enterprise_number: str, training: str | None,
                              submitted_on: date | None, decision_due: date, days_left: int,
                              reference: str | None = None, letter: StaffLetter | None = None) -> Mail:
    return _staff_mail(
        to,
        f"Beslissingstermijn loopt af over {_days(days_left)}: "
        f"{_named(company, enterprise_number)}",
        f"Over de aanvraag {_file(company, enterprise_number, training, submitted_on)}, moet uiterlijk op "
        f"{long_date('nl', decision_due)} beslist worden (nog {_days(days_left)}).",
        letter, reference)


def deadline_missed_mail(to: str, *, company: str | None, enterprise_number: str, training: str | None,
                         submitted_on: date | None, decision_due: date, reference: str | None = None,
                         letter: StaffLetter | None = None) -> Mail:
    return _staff_mail(
        to,
        f"Beslissingstermijn overschreden: {_named(company, enterprise_number)}",
        f"De beslissingstermijn voor de aanvraag {_file(company, enterprise_number, training, submitted_on)} is "
        f"verstreken op {long_date('nl', decision_due)} zonder beslissing. Beslis zo snel mogelijk; de onderneming "
        "wacht op een antwoord.",
        letter, reference)


def undelivered_notice_mail(to: str, *, company: str | None, enterprise_number: str, title: str, reference: str,
                            reason: str, letter: StaffLetter | None = None) -> Mail:
    """To the partnership: a notice could not reach the company, so its receipt is not assumed
    and any term it starts does not run until the company has it."""
    return _staff_mail(
        to,
        f"Kennisgeving niet bezorgd: {_named(company, enterprise_number)} ({reference})",
        f"De kennisgeving '{title}' (kenmerk {reference}) aan {company or 'de onderneming'} "
        f"({format_enterprise_number(enterprise_number)}) kon niet per e-mail worden bezorgd: {reason}. "
        "Ze staat in het digitale loket, maar de ontvangst wordt niet verondersteld: een termijn die ze "
        "doet lopen, begint pas wanneer de onderneming ze ontvangt. De beroepstermijn loopt dus niet vanaf "
        "de verzending: een beroep tegen deze beslissing wordt niet als laattijdig geweigerd. Bezorg ze op een "
        "andere manier (bijvoorbeeld met een aangetekende brief) en noteer de datum van ontvangst in het dossier.",
        letter)


_TOPICS = {
    "exploratory": "een verkennend gesprek vóór een aanvraag",
    "application": "ondersteuning bij een aanvraag tot erkenning",
    "renewal": "ondersteuning bij een hernieuwing",
    "find_learner": "hulp bij het vinden van een lerende",
}


def support_request_mail(to: str, *, topic: str, enterprise_number: str, contact_name: str | None,
                         contact_email: str | None, message: str, letter: StaffLetter | None = None) -> Mail:
    topic_words = _TOPICS.get(topic, "ondersteuning")
    contact = ", ".join(v for v in (contact_name, contact_email) if v) or "geen contactgegevens opgegeven"
    return _staff_mail(
        to,
        f"Vraag om ondersteuning: {topic_words} ({format_enterprise_number(enterprise_number)})",
        f"Onderneming {format_enterprise_number(enterprise_number)} vraagt {topic_words}.\n"
        f"Contact: {contact}\n\nBericht:\n{message}",
        letter)


def withdrawal_mail(to: str, *, company: str | None, enterprise_number: str, training: str | None,
                    submitted_on: date | None, withdrawn_on: date, reference: str | None = None,
                    letter: StaffLetter | None = None) -> Mail:
    return _staff_mail(
        to,
        f"Aanvraag ingetrokken: {_named(company, enterprise_number)}",
        f"De onderneming heeft de aanvraag {_file(company, enterprise_number, training, submitted_on)} op "
        f"{long_date('nl', withdrawn_on)} ingetrokken. Er is geen beslissing meer nodig; het dossier is afgesloten.",
        letter, reference)


# Mails to companies, in their language, signed by the partnership that sends them.
def _company(lang: str, company: str | None) -> str:
    return company or _UNKNOWN[language_of(lang)]["company"]


def _training(lang: str, training: str | None) -> str:
    return f"'{training}'" if training else _UNKNOWN[language_of(lang)]["training"]


def _reference(lang: str, reference: str | None) -> tuple[str, ...]:
    return (_w(lang, "file.reference", reference=reference),) if reference else ()


def question_mail(to: str, *, lang: str, name: str | None, company: str | None, training: str | None,
                  submitted_on: date | None, message: str, sender: Body, portal: str | None = None,
                  reference: str | None = None) -> Mail:
    submitted = long_date(lang, submitted_on) if submitted_on else "-"
    paragraphs = [_w(lang, "question.body", sender=sender.name, company=_company(lang, company),
                     training=_training(lang, training), submitted_on=submitted),
                  message, _w(lang, "question.answer", counter=_counter(lang, portal)), *_reference(lang, reference)]
    return Mail(to=to, subject=_w(lang, "question.subject", sender=sender.name),
                body=_letter(lang, name, paragraphs, sender), reply_to=sender.email)


def withdrawal_confirmation_mail(to: str, *, lang: str, name: str | None, company: str | None, training: str | None,
                                 submitted_on: date | None, withdrawn_on: date, sender: Body,
                                 portal: str | None = None, reference: str | None = None) -> Mail:
    submitted = long_date(lang, submitted_on) if submitted_on else "-"
    paragraphs = [_w(lang, "withdrawn.body", company=_company(lang, company), training=_training(lang, training),
                     submitted_on=submitted, withdrawn_on=long_date(lang, withdrawn_on),
                     counter=_counter(lang, portal)), *_reference(lang, reference)]
    return Mail(to=to, subject=_w(lang, "withdrawn.subject"), body=_letter(lang, name, paragraphs, sender),
                reply_to=sender.email)


def renewal_reminder_mail(to: str, *, lang: str, name: str | None, company: str | None, training: str | None,
                          establishment_number: str, reference: str, valid_until: date, days_before: int,
                          sender: Body, portal: str | None = None) -> Mail:
    values = dict(company=_company(lang, company), training=_training(lang, training),
                  establishment=format_enterprise_number(establishment_number), reference=reference,
                  valid_until=long_date(lang, valid_until), days_before=days_before, counter=_counter(lang, portal))
    return Mail(to=to, subject=_w(lang, "renewal.subject", **values),
                body=_letter(lang, name, [_w(lang, "renewal.body", **values)], sender), reply_to=sender.email)


def mentor_training_mail(to: str, *, lang: str, name: str | None, company: str | None, training: str | None,
                         establishment_number: str, reference: str, due_on: date, sender: Body) -> Mail:
    values = dict(company=_company(lang, company), training=_training(lang, training),
                  establishment=format_enterprise_number(establishment_number), reference=reference,
                  due_on=long_date(lang, due_on), sender=sender.name)
    return Mail(to=to, subject=_w(lang, "mentor.subject", **values),
                body=_letter(lang, name, [_w(lang, "mentor.body", **values)], sender), reply_to=sender.email)
