"""The wording of notices and mails: Dutch (the language of the procedure) and English.

A template is a str.format string; placeholders are filled by documents.py and mails.py. Article
numbers of the decree and orders were not verified (DOMAIN.md, [NF]), so none are cited; the
moved appeal deadline cites article 53 of the Judicial Code, the rule the policy applies.
"""

from __future__ import annotations

from datetime import date

DEFAULT_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}

WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "label.reference": "Referentie",
        "label.dispatch": "Datum van verzending",
        "label.addressee": "Aan",
        "label.enterprise": "Ondernemingsnummer",
        "label.establishment": "Vestigingseenheidsnummer",
        "label.training": "Opleiding",
        "label.subject": "Betreft",
        "label.decision": "Beslissing",
        "label.reasons": "Motivering",
        "label.legal": "Rechtsgrond",
        "label.appeal": "Beroepsmogelijkheid",
        "label.mentors": "Mentoren",
        "label.details": "Nadere gegevens",
        "unknown": "(niet opgegeven)",
        "day_kind.calendar": "kalenderdagen",
        "day_kind.working": "werkdagen",
        "title.acknowledgement": "Ontvangstbevestiging van uw aanvraag tot erkenning als leerwerkplek",
        "title.approval": "Beslissing: erkenning als leerwerkplek",
        "title.refusal": "Beslissing: weigering van de erkenning als leerwerkplek",
        "title.guidance": "Begeleidingsactie",
        "title.mentor_ban": "Sanctie: mentorverbod",
        "title.revocation": "Sanctie: opheffing van de erkenning als leerwerkplek",
        "title.exclusion": "Sanctie: uitsluiting",
        "title.appeal_acknowledgement": "Ontvangstbevestiging van uw beroep en ontvankelijkheid",
        "title.appeal_decision": "Beslissing over uw beroep",
        "title.expiry": "Einde van de erkenning als leerwerkplek",
        "title.restoration": "Herstel van de erkenning als leerwerkplek",
        "body.acknowledgement": "Wij hebben uw aanvraag tot erkenning als leerwerkplek ontvangen op {submitted_on}. "
        "Het bevoegde partnerschap beslist uiterlijk op {decision_due}.",
        "body.approval": "Uw onderneming wordt voor de vermelde opleiding en vestiging erkend als leerwerkplek, "
        "geldig van {valid_from} tot en met {valid_until}.",
        "body.approval.mentor_training": "Elke mentor volgt de verplichte mentoropleiding.",
        "body.refusal": "Uw aanvraag tot erkenning als leerwerkplek wordt geweigerd.",
        "body.guidance": "Het partnerschap legt uw onderneming een begeleidingsactie op.",
        "body.mentor_ban": "Het partnerschap legt een mentorverbod op.",
        "body.revocation": "De erkenning als leerwerkplek wordt opgeheven. Er kunnen geen nieuwe "
        "overeenkomsten meer worden gesloten; lopende overeenkomsten eindigen vervroegd.",
        "body.exclusion": "Uw onderneming wordt uitgesloten als leerwerkplek. Alle betrokken erkenningen "
        "worden opgeheven en zolang de uitsluiting loopt, kan geen nieuwe erkenning worden verleend.",
        "body.appeal_acknowledgement.admissible": "Wij bevestigen de ontvangst van uw beroep tegen beslissing "
        "{appealed_subject}. Uw beroep is ontvankelijk en wordt behandeld door de beroepscommissie.",
        "body.appeal_acknowledgement.inadmissible": "Wij bevestigen de ontvangst van uw beroep tegen beslissing "
        "{appealed_subject}. Uw beroep is niet ontvankelijk om de hieronder vermelde redenen.",
        "body.appeal_decision.upheld": "De beroepscommissie verklaart uw beroep tegen beslissing {appealed_subject} "
        "gegrond. De bestreden beslissing wordt vernietigd.",
        "body.appeal_decision.dismissed": "De beroepscommissie verklaart uw beroep tegen beslissing "
        "{appealed_subject} ongegrond. De bestreden beslissing blijft behouden.",
        "body.expiry": "De erkenning als leerwerkplek is verlopen op {expired_on}. Vraag een hernieuwing aan om "
        "opnieuw lerenden op te leiden.",
        "body.restoration": "De erkenning als leerwerkplek wordt hersteld en is geldig tot en met {valid_until}.",
        "legal": "Decreet van 10 juni 2016 houdende regeling van een aantal aspecten van het alternerend leren, "
        "en de uitvoeringsbesluiten van de Vlaamse Regering van 8 juli 2016 en 20 november 2020.",
        "appeal": "Tegen deze beslissing kan de betrokken onderneming beroep instellen bij de beroepscommissie "
        "van het Vlaams Partnerschap Duaal Leren, via de beroepscoördinator, met een aangetekende brief of "
        "per e-mail. Het beroep is gemotiveerd en wordt ingediend binnen {days} {day_kind} na ontvangst van "
        "deze kennisgeving. Deze kennisgeving geldt als ontvangen op {received_on}. "
        "Uiterste datum voor het beroep: {deadline}. Vermeld de referentie {subject_id}.",
        "appeal.moved": "De termijn van het beroep eindigt op {natural}, geen werkdag (een zaterdag, zondag of "
        "wettelijke feestdag). De uiterste datum wordt daarom verplaatst naar de eerstvolgende werkdag, {deadline}, "
        "zoals artikel 53 van het Gerechtelijk Wetboek voor proceduretermijnen bepaalt.",
        "footer": "Deze kennisgeving werd elektronisch verzonden door {sender}.",
    },
    "en": {
        "label.reference": "Reference",
        "label.dispatch": "Date of dispatch",
        "label.addressee": "To",
        "label.enterprise": "Enterprise number",
        "label.establishment": "Establishment unit number",
        "label.training": "Training",
        "label.subject": "Subject",
        "label.decision": "Decision",
        "label.reasons": "Reasons",
        "label.legal": "Legal basis",
        "label.appeal": "Appeal",
        "label.mentors": "Mentors",
        "label.details": "Details",
        "unknown": "(not given)",
        "day_kind.calendar": "calendar days",
        "day_kind.working": "working days",
        "title.acknowledgement": "Acknowledgement of receipt of your application for recognition as a workplace learning site",
        "title.approval": "Decision: recognition as a workplace learning site",
        "title.refusal": "Decision: refusal of recognition as a workplace learning site",
        "title.guidance": "Guidance action",
        "title.mentor_ban": "Sanction: mentor ban",
        "title.revocation": "Sanction: revocation of the recognition as a workplace learning site",
        "title.exclusion": "Sanction: exclusion",
        "title.appeal_acknowledgement": "Acknowledgement of your appeal and its admissibility",
        "title.appeal_decision": "Decision on your appeal",
        "title.expiry": "End of the recognition as a workplace learning site",
        "title.restoration": "Restoration of the recognition as a workplace learning site",
        "body.acknowledgement": "We received your application for recognition as a workplace learning site on "
        "{submitted_on}. The competent partnership decides by {decision_due}.",
        "body.approval": "Your company is recognised as a workplace learning site for the training and "
        "establishment named above, valid from {valid_from} up to and including {valid_until}.",
        "body.approval.mentor_training": "Every mentor follows the compulsory mentor training.",
        "body.refusal": "Your application for recognition as a workplace learning site is refused.",
        "body.guidance": "The partnership imposes a guidance action on your company.",
        "body.mentor_ban": "The partnership imposes a mentor ban.",
        "body.revocation": "The recognition as a workplace learning site is revoked. No new agreements may be "
        "concluded; running agreements end early.",
        "body.exclusion": "Your company is excluded as a workplace learning site. All recognitions concerned are "
        "revoked and no new recognition can be granted while the exclusion lasts.",
        "body.appeal_acknowledgement.admissible": "We confirm receipt of your appeal against decision "
        "{appealed_subject}. Your appeal is admissible and will be heard by the appeal committee.",
        "body.appeal_acknowledgement.inadmissible": "We confirm receipt of your appeal against decision "
        "{appealed_subject}. Your appeal is inadmissible for the reasons below.",
        "body.appeal_decision.upheld": "The appeal committee upholds your appeal against decision "
        "{appealed_subject}. The contested decision is annulled.",
        "body.appeal_decision.dismissed": "The appeal committee dismisses your appeal against decision "
        "{appealed_subject}. The contested decision stands.",
        "body.expiry": "The recognition as a workplace learning site expired on {expired_on}. Apply for a "
        "renewal to train learners again.",
        "body.restoration": "The recognition as a workplace learning site is restored and valid up to and "
        "including {valid_until}.",
        "legal": "Decree of 10 June 2016 on alternating training (decreet houdende regeling van een aantal "
        "aspecten van het alternerend leren) and the implementing orders of the Flemish Government of "
        "8 July 2016 and 20 November 2020.",
        "appeal": "The company concerned may appeal against this decision to the appeal committee of the "
        "Vlaams Partnerschap Duaal Leren, via the appeal coordinator, by registered letter or e-mail. The "
        "appeal states its grounds and is lodged within {days} {day_kind} after receipt of this notice. This "
        "notice counts as received on {received_on}. Last day to appeal: {deadline}. Quote reference "
        "{subject_id}.",
        "appeal.moved": "The appeal term ends on {natural}, which is not a working day (a Saturday, Sunday or "
        "public holiday). The last day to appeal therefore moves to the next working day, {deadline}, as "
        "article 53 of the Judicial Code provides for procedural terms.",
        "footer": "This notice was sent electronically by {sender}.",
    },
}


def format_enterprise_number(value: str) -> str:
    """'0403170701' -> '0403.170.701', the way it is printed on notices."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


def text(language: str, key: str, **values: object) -> str:
    """The template ``key`` in ``language`` (Dutch when the language is unknown), filled in."""
    table = TEXTS.get(language, TEXTS[DEFAULT_LANGUAGE])
    return table[key].format(**values) if values else table[key]


def long_date(language: str, day: object) -> str:
    """'12 maart 2027' / '12 March 2027'; anything that is not a date is printed as it is."""
    if not isinstance(day, date):
        return str(day)
    months = MONTHS.get(language, MONTHS[DEFAULT_LANGUAGE])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def day_with_weekday(language: str, day: date) -> str:
    """'zaterdag 13 maart 2027' / 'Saturday 13 March 2027'."""
    weekdays = WEEKDAYS.get(language, WEEKDAYS[DEFAULT_LANGUAGE])
    return f"{weekdays[day.weekday()]} {long_date(language, day)}"
