"""Compose an official notice: the facts become a Notice (ids, dates, appeal deadline) and then
a NoticeDocument, the text laid out in sections that the PDF renderer prints as they are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kernel.calendar import local_date
from notification.domain.calendar import appeal_deadline, appeal_window, receipt_date
from notification.domain.model import Addressee, AppealTerms, Notice, NoticeFacts, notice_id_for, reference_for
from notification.domain.texts import day_with_weekday, format_enterprise_number, long_date, text

# A national register number must never reach a notice, even inside free-text measure details.
_ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{6}[ .\-]?\d{3}[ .\-]?\d{2}(?!\d)")
_HIDDEN_DETAIL_KEYS = ("national_register", "rijksregister", "nrn")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class NoticeDocument:
    language: str
    sender: str
    title: str
    header: tuple[tuple[str, str], ...]  # (label, value) lines under the title
    sections: tuple[Section, ...]
    footer: str


def issue(
    facts: NoticeFacts, addressee: Addressee, *, issued_at: datetime, terms: AppealTerms, language: str
) -> Notice:
    """The notice for ``facts`` dated ``issued_at``: the appeal deadline only when it can be appealed."""
    notice_id = notice_id_for(facts.kind, facts.subject_id)
    dispatch = local_date(issued_at)
    appealable = facts.appealable
    return Notice(
        notice_id=notice_id,
        reference=reference_for(notice_id, dispatch),
        facts=facts,
        addressee=addressee,
        issued_at=issued_at,
        dispatch_date=dispatch,
        received_on=receipt_date(dispatch, terms) if appealable else None,
        appeal_deadline=appeal_deadline(dispatch, terms) if appealable else None,
        language=language,
    )


def compose(
    notice: Notice, *, sender: str, training_name: str | None, terms: AppealTerms
) -> NoticeDocument:
    """The notice's text. ``sender`` is the issuing partnership's name."""
    lang, facts, who = notice.language, notice.facts, notice.addressee
    unknown = text(lang, "unknown")
    header = [
        (text(lang, "label.reference"), notice.reference),
        (text(lang, "label.dispatch"), long_date(lang, notice.dispatch_date)),
        (text(lang, "label.addressee"), who.company_name or unknown),
        (text(lang, "label.enterprise"), format_enterprise_number(who.enterprise_number)),
    ]
    if who.establishment_number:
        header.append((text(lang, "label.establishment"), format_enterprise_number(who.establishment_number)))
    if training_name or who.training_code:
        header.append((text(lang, "label.training"), training_name or who.training_code or unknown))
    header.append((text(lang, "label.subject"), facts.subject_id))

    sections = [Section(text(lang, "label.decision"), _decision_paragraphs(notice))]
    if facts.kind == "approval" and who.mentor_names:
        sections.append(Section(text(lang, "label.mentors"), tuple(who.mentor_names)))
    details = _detail_lines(facts.details.get("measure_details") or {})
    if details:
        sections.append(Section(text(lang, "label.details"), details))
    if facts.reasons:
        sections.append(Section(text(lang, "label.reasons"), tuple(f"- {_scrub(r)}" for r in facts.reasons)))
    sections.append(Section(text(lang, "label.legal"), (text(lang, "legal"),)))
    if notice.appeal_deadline is not None:
        appeal = text(
            lang,
            "appeal",
            days=terms.window_days,
            day_kind=text(lang, f"day_kind.{terms.day_kind}"),
            received_on=long_date(lang, notice.received_on),
            deadline=long_date(lang, notice.appeal_deadline),
            subject_id=facts.subject_id,
        )
        sections.append(Section(text(lang, "label.appeal"), (appeal, *_moved_deadline(notice, terms))))
    return NoticeDocument(
        language=lang,
        sender=sender,
        title=text(lang, f"title.{facts.kind}"),
        header=tuple(header),
        sections=tuple(sections),
        footer=text(lang, "footer", sender=sender),
    )


def _moved_deadline(notice: Notice, terms: AppealTerms) -> tuple[str, ...]:
    """Why the last day is later than the window counts, when it was moved off a closed day."""
    window = appeal_window(notice.dispatch_date, terms)
    if not window.moved or window.last_day != notice.appeal_deadline:
        return ()
    lang = notice.language
    return (text(lang, "appeal.moved", natural=day_with_weekday(lang, window.natural),
                 deadline=day_with_weekday(lang, window.last_day)),)


def _decision_paragraphs(notice: Notice) -> tuple[str, ...]:
    lang, facts = notice.language, notice.facts
    d = {k: long_date(lang, v) if isinstance(v, date) else v for k, v in facts.details.items()}
    kind = facts.kind
    if kind == "acknowledgement":
        return (
            text(lang, "body.acknowledgement", submitted_on=d.get("submitted_on"), decision_due=d.get("decision_due")),
        )
    if kind == "approval":
        return (
            text(lang, "body.approval", valid_from=d.get("valid_from"), valid_until=d.get("valid_until")),
            text(lang, "body.approval.mentor_training"),
        )
    if kind == "appeal_acknowledgement":
        result = "admissible" if facts.details.get("admissible") else "inadmissible"
        return (text(lang, f"body.appeal_acknowledgement.{result}", appealed_subject=d.get("appealed_subject")),)
    if kind == "appeal_decision":
        return (text(lang, f"body.appeal_decision.{d.get('outcome')}", appealed_subject=d.get("appealed_subject")),)
    if kind == "expiry":
        return (text(lang, "body.expiry", expired_on=d.get("expired_on")),)
    if kind == "restoration":
        return (text(lang, "body.restoration", valid_until=d.get("valid_until")),)
    return (text(lang, f"body.{kind}"),)


def _scrub(value: str) -> str:
    return _ELEVEN_DIGITS.sub("***********", value)


def _detail_lines(details: dict[str, Any]) -> tuple[str, ...]:
    """Scalar measure details as 'key: value' lines; anything about a person's number is left out."""
    lines = []
    for key, value in sorted(details.items()):
        if any(hidden in key.lower() for hidden in _HIDDEN_DETAIL_KEYS):
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        elif isinstance(value, dict):
            continue
        lines.append(f"{key.replace('_', ' ')}: {_scrub(str(value))}")
    return tuple(lines)
