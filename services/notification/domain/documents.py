"""Compose an official notice: the facts become a Notice (ids, dates, appeal deadline) and then
a NoticeDocument, the text laid out in blocks that the PDF renderer prints as they are.

Each kind has its heading, deciding body, decision date, operative part in full sentences, the
motivation tied to the condition or rule it rests on, the legal basis, and the remedy block
exactly when it can be appealed (the Council of State on the final acts of the appeal route).
Nothing here prints a code, an internal id or a missing value: every code goes through texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kernel.calendar import local_date
from notification.domain.calendar import appeal_deadline, appeal_window, receipt_date
from notification.domain.model import (
    SANCTIONS,
    Addressee,
    AppealTerms,
    Body,
    ContestedAct,
    Notice,
    NoticeFacts,
    RecognitionLine,
    notice_id_for,
    reference_for,
)
from notification.domain.texts import (
    capitalised,
    code_text,
    day_with_weekday,
    format_enterprise_number,
    language_of,
    long_date,
    reason_text,
    text,
)

# A national register number must never reach a notice, even inside free text.
_ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{6}[ .\-]?\d{3}[ .\-]?\d{2}(?!\d)")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class NoticeDocument:
    language: str
    reference: str
    sender: str
    letterhead: tuple[str, ...]  # the sender's name and contact lines, top left
    addressee: tuple[str, ...]  # the addressee block, top right
    title: str
    header: tuple[tuple[str, str], ...]  # (label, value) lines under the title
    sections: tuple[Section, ...]
    signature: tuple[str, ...]
    footer: str
    page_label: str  # "Pagina {page} van {pages}"
    note: str | None = None  # on a translation: the Dutch text prevails
    authentic: NoticeDocument | None = None  # the Dutch text a translation is printed with
    # The notice's sending date: the PDF's creation and modification date, so that its bytes depend on
    # the notice alone (rendered again, on a retry or later, it is the same file).
    dated: date | None = None


@dataclass(frozen=True)
class NoticeContext:
    """What the use case looked up for the notice: bodies, official names, linked acts, policy."""

    sender: Body
    terms: AppealTerms
    training: str | None = None
    trainings: dict[str, str] = field(default_factory=dict)  # code -> official name (a mentor ban's)
    recognitions: tuple[RecognitionLine, ...] = ()
    contested: ContestedAct | None = None
    appeal_reference: str | None = None  # the appeal decision a recognition or restoration follows
    appeal_decided_on: date | None = None
    mentor_training_due: date | None = None
    mailed: bool = True  # an e-mail address is known: receipt can be counted from the dispatch


def issue(
    facts: NoticeFacts, addressee: Addressee, *, issued_at: datetime, terms: AppealTerms, language: str,
    mailed: bool = True,
) -> Notice:
    """The notice for ``facts`` dated ``issued_at``: the appeal deadline only when it can be
    appealed and its receipt can be counted (it is e-mailed)."""
    dispatch = local_date(issued_at)
    counted = facts.appealable and mailed
    return Notice(
        notice_id=notice_id_for(facts.kind, facts.subject_id, facts.about),
        reference=reference_for(facts, dispatch),
        facts=facts,
        addressee=addressee,
        issued_at=issued_at,
        dispatch_date=dispatch,
        received_on=receipt_date(dispatch, terms) if counted else None,
        appeal_deadline=appeal_deadline(dispatch, terms) if counted else None,
        language=language_of(language),
    )


def compose(notice: Notice, context: NoticeContext) -> NoticeDocument:
    """The notice's text in its language; an English notice carries the authentic Dutch text."""
    document = _compose(notice, context, notice.language)
    if notice.language == "nl":
        return document
    authentic = _compose(notice, context, "nl")
    return NoticeDocument(**{**document.__dict__, "note": text(notice.language, "translation"),
                             "authentic": authentic})


class _Words:
    """The values every template of one notice is filled with, in one language."""

    def __init__(self, notice: Notice, context: NoticeContext, lang: str) -> None:
        who, facts = notice.addressee, notice.facts
        self.lang = lang
        self.body = _body_name(facts, context, lang)
        company = who.company_name or text(lang, "unknown_company")
        self.company = text(lang, "company", company=company,
                            enterprise=format_enterprise_number(who.enterprise_number))
        self.company_name = company
        self.establishment = (text(lang, "establishment_clause",
                                   establishment=format_enterprise_number(who.establishment_number))
                              if who.establishment_number else "")
        self.training = f"'{context.training}'" if context.training else text(lang, "unknown_training")

    def date(self, value: object) -> str:
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return long_date(self.lang, value)

    def fill(self, key: str, **values: object) -> str:
        return text(self.lang, key, body=self.body, body_cap=capitalised(self.body), company=self.company,
                    establishment=self.establishment, training=self.training, **values)


def _body_name(facts: NoticeFacts, context: NoticeContext, lang: str) -> str:
    if facts.kind == "appeal_decision":
        return text(lang, "appeal_committee")
    if facts.kind == "appeal_acknowledgement":
        return text(lang, "appeal_coordinator")
    return context.sender.name


def _compose(notice: Notice, context: NoticeContext, lang: str) -> NoticeDocument:
    facts, who = notice.facts, notice.addressee
    words = _Words(notice, context, lang)
    header = [(text(lang, "label.our_reference"), notice.reference)]
    if your := _your_reference(facts, who, words):
        header.append((text(lang, "label.your_reference"), your))
    header.append((text(lang, "label.dispatch"), long_date(lang, notice.dispatch_date)))
    # A restoration states what the appeal committee decided: the partnership sends it, it decides nothing.
    if facts.decided_on and facts.kind not in ("acknowledgement", "expiry", "restoration"):
        header.append((text(lang, "label.decided_on"), long_date(lang, facts.decided_on)))
        header.append((text(lang, "label.decided_by"), capitalised(words.body)))
    else:
        header.append((text(lang, "label.issued_by"), capitalised(words.body)))
    # An exclusion reaches every training (of the enterprise or of one establishment unit), and so does
    # the appeal against it: its file's training or establishment unit would misstate what it is about.
    contested = context.contested.kind if context.contested else None
    against_exclusion = facts.by_appeal_route and contested == "exclusion"
    if context.training and facts.kind != "exclusion" and not against_exclusion:
        header.append((text(lang, "label.training"), context.training))
    if who.establishment_number and not against_exclusion:
        header.append((text(lang, "label.establishment"), format_enterprise_number(who.establishment_number)))

    operative, consequences = _operative(notice, context, words)
    decision_heading = "section.content" if facts.kind in ("acknowledgement", "expiry", "restoration") else (
        "section.content" if facts.kind == "appeal_acknowledgement" and facts.details.get("admissible")
        else "section.decision")
    sections = [Section(text(lang, decision_heading), operative)]
    if consequences:
        sections.append(Section(text(lang, "section.consequences"), consequences))
    if facts.kind in ("approval", "recognition") and who.mentor_names:
        sections.append(Section(text(lang, "section.mentors"), tuple(who.mentor_names)))
    if motivation := _motivation(notice, context, words):
        sections.append(Section(text(lang, "section.motivation"), motivation))
    # A recognition after an upheld appeal and a restoration carry out the appeal committee's decision.
    follows_appeal = facts.by_appeal_route or facts.kind in ("recognition", "restoration")
    legal = (text(lang, "legal"), text(lang, "legal.appeal")) if follows_appeal else (text(lang, "legal"),)
    sections.append(Section(text(lang, "section.legal"), legal))
    if facts.appealable:
        sections.append(Section(text(lang, "section.remedy"), _remedy(notice, context, lang)))
    if facts.final:
        terms = context.terms
        sections.append(Section(text(lang, "section.further_remedy"), (
            text(lang, "council", days=terms.council_of_state_days, address=terms.council_of_state_address),)))
    sections.append(Section(text(lang, "section.receipt"), (_receipt(notice, context, lang),)))

    sender = context.sender
    contact = (text(lang, "contact", sender=sender.name, email=sender.email, reference=notice.reference)
               if sender.email else text(lang, "contact.no_email", sender=sender.name, reference=notice.reference))
    letterhead = (sender.name, *((sender.postal_address,) if sender.postal_address else ()),
                  *((f"{text(lang, 'label.phone')} {sender.phone}",) if sender.phone else ()),
                  *((f"{text(lang, 'label.contact')}: {sender.email}",) if sender.email else ()))
    addressee_lines = [who.company_name or capitalised(text(lang, "unknown_company"))]
    if who.contact_name:
        addressee_lines.append(who.contact_name)
    addressee_lines += list(who.address_lines)
    addressee_lines.append(f"{text(lang, 'label.enterprise')} {format_enterprise_number(who.enterprise_number)}")
    if who.contact_email:
        addressee_lines.append(who.contact_email)
    return NoticeDocument(
        language=lang,
        reference=notice.reference,
        sender=sender.name,
        letterhead=letterhead,
        addressee=tuple(addressee_lines),
        title=_title(facts, lang),
        header=tuple(header),
        sections=tuple(sections),
        signature=(text(lang, "signature", body=words.body), capitalised(words.body), text(lang, "signature.note"),
                   contact),
        footer=text(lang, "footer", reference=notice.reference, sender=sender.name),
        page_label=text(lang, "label.page", page="{page}", pages="{pages}"),
        dated=notice.dispatch_date,
    )


def _title(facts: NoticeFacts, lang: str) -> str:
    if facts.kind == "appeal_acknowledgement":
        result = "admissible" if facts.details.get("admissible") else "inadmissible"
        return text(lang, f"title.appeal_acknowledgement.{result}")
    return text(lang, f"title.{facts.kind}")


def _your_reference(facts: NoticeFacts, who: Addressee, words: _Words) -> str | None:
    if facts.by_appeal_route and facts.details.get("lodged_on"):
        return text(words.lang, "your_reference.appeal", lodged_on=words.date(facts.details["lodged_on"]))
    if facts.kind in ("acknowledgement", "approval", "refusal") and who.submitted_on:
        return text(words.lang, "your_reference.application", submitted_on=words.date(who.submitted_on))
    return None


def _contested(context: NoticeContext, words: _Words) -> tuple[str, str]:
    """The contested act in words and its reference."""
    act = context.contested
    if act is None:
        return code_text(words.lang, "act", "unknown") or "", "-"
    described = None
    if act.kind and act.decided_on and act.body:
        described = code_text(words.lang, "act", act.kind, body=act.body, decided_on=words.date(act.decided_on))
    return described or code_text(words.lang, "act", "unknown") or "", act.reference


def _operative(notice: Notice, context: NoticeContext, w: _Words) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The operative part and its consequences, in full sentences."""
    facts, lang = notice.facts, w.lang
    d = facts.details
    kind = facts.kind
    if kind == "acknowledgement":
        return (w.fill("body.acknowledgement", submitted_on=w.date(d["submitted_on"]),
                       decision_due=w.date(d["decision_due"])), text(lang, "body.acknowledgement.note")), ()
    if kind in ("approval", "recognition"):
        dates = {"valid_from": w.date(d["valid_from"]), "valid_until": w.date(d["valid_until"])}
        if kind == "recognition":
            first = w.fill("body.recognition", appeal_decided_on=w.date(context.appeal_decided_on or facts.decided_on),
                           appeal_reference=context.appeal_reference or "-", **dates)
        else:
            first = w.fill("body.approval", **dates)
        after = [text(lang, "body.approval.agreements", valid_from=dates["valid_from"])]
        if context.mentor_training_due:
            after.append(text(lang, "body.approval.mentor_training", due_on=w.date(context.mentor_training_due)))
        return (first,), tuple(after)
    if kind == "refusal":
        return (w.fill("body.refusal"),), ()
    if kind == "guidance":
        details = _measure_details(d)
        tail = w.establishment.rstrip(",")
        lines = [w.fill("body.guidance", establishment_tail=tail)]
        if details.get("plan"):
            lines.append(text(lang, "guidance.plan", plan=_scrub(str(details["plan"]))))
        if details.get("due_date"):
            lines.append(text(lang, "guidance.due", due_on=w.date(details["due_date"])))
        return tuple(lines), (text(lang, "guidance.warning"),)
    if kind == "mentor_ban":
        details = _measure_details(d)
        name = details.get("mentor_name")
        mentor = text(lang, "mentor_ban.mentor", name=name) if name else text(lang, "mentor_ban.someone")
        codes = details.get("trainings") or []
        names = [f"'{context.trainings.get(c) or context.training or c}'" for c in codes] or [w.training]
        first = w.fill("body.mentor_ban", mentor=mentor, trainings=_trainings(lang, names),
                       from_on=w.date(facts.decided_on or notice.dispatch_date))
        after = []
        if context.recognitions:
            after.append(text(lang, "mentor_ban.recognitions"))
            after += [_recognition_line(r, w) for r in context.recognitions]
        if details.get("without_eligible_mentor"):
            after.append(text(lang, "mentor_ban.no_mentor", training=w.training))
        return (first,), tuple(after)
    if kind == "revocation":
        details = _measure_details(d)
        effective = w.date(details.get("effective_on") or facts.decided_on or notice.dispatch_date)
        return (w.fill("body.revocation", effective_on=effective),), (
            text(lang, "revocation.consequences", effective_on=effective),)
    if kind == "exclusion":
        details = _measure_details(d)
        starts = w.date(details.get("starts_on") or facts.decided_on or notice.dispatch_date)
        if details.get("scope") == "establishment" and details.get("establishment_number"):
            scope = code_text(lang, "scope", "establishment",
                              establishment=format_enterprise_number(str(details["establishment_number"])))
        else:
            scope = code_text(lang, "scope", "enterprise")
        until = (text(lang, "exclusion.until", until=w.date(details["until"])) if details.get("until")
                 else text(lang, "exclusion.indefinite"))
        opening = [w.fill("body.exclusion", scope=scope, starts_on=starts, until=until)]
        if d.get("sectoral"):
            opening.append(w.fill("exclusion.reach"))
        ends = [_recognition_line(r, w) for r in context.recognitions]
        after = [text(lang, "exclusion.ends", starts_on=starts), *ends] if ends else [text(lang, "exclusion.ends_none")]
        after.append(text(lang, "exclusion.bar"))
        return tuple(opening), tuple(after)
    if kind == "appeal_acknowledgement":
        contested, reference = _contested(context, w)
        lodged = text(lang, "appeal.lodged_on", lodged_on=w.date(d["lodged_on"])) if d.get("lodged_on") else ""
        result = "admissible" if d.get("admissible") else "inadmissible"
        return (w.fill("body.appeal_acknowledgement", contested=contested, contested_reference=reference,
                       lodged=lodged), text(lang, f"appeal_acknowledgement.{result}")), ()
    if kind == "appeal_decision":
        contested, reference = _contested(context, w)
        outcome = code_text(lang, "outcome", str(d.get("outcome"))) or ""
        first = w.fill("body.appeal_decision", contested=contested, contested_reference=reference, outcome=outcome)
        if d.get("outcome") == "upheld":
            act_kind = context.contested.kind if context.contested else None
            key = act_kind if act_kind in ("refusal", *SANCTIONS) else "unknown"
            return (first,), (text(lang, f"appeal_decision.upheld.{key}"),)
        return (first,), (text(lang, "appeal_decision.dismissed"),)
    if kind == "expiry":
        expired_on = d["expired_on"] if isinstance(d["expired_on"], date) else date.fromisoformat(d["expired_on"])
        valid_until = d.get("valid_until") or (expired_on - timedelta(days=1))
        return (w.fill("body.expiry", valid_until=w.date(valid_until), expired_on=w.date(expired_on)),
                text(lang, "expiry.renew")), ()
    if kind == "restoration":
        return (w.fill("body.restoration", appeal_decided_on=w.date(context.appeal_decided_on or facts.decided_on),
                       appeal_reference=context.appeal_reference or "-", valid_until=w.date(d["valid_until"])),
                text(lang, "restoration.note")), ()
    raise ValueError(f"no notice text for kind {kind}")


def _trainings(lang: str, names: list[str]) -> str:
    """'the training 'A'' or 'the trainings 'A', 'B' and 'C''."""
    if len(names) == 1:
        return text(lang, "trainings.one", names=names[0])
    listed = f"{', '.join(names[:-1])} {text(lang, 'and')} {names[-1]}"
    return text(lang, "trainings.many", names=listed)


def _recognition_line(line: RecognitionLine, w: _Words) -> str:
    return text(w.lang, "recognition_line", training=f"'{line.training}'",
                establishment=format_enterprise_number(line.establishment_number),
                valid_until=w.date(line.valid_until))


def _motivation(notice: Notice, context: NoticeContext, w: _Words) -> tuple[str, ...]:
    facts, lang = notice.facts, w.lang
    reasons = tuple(f"- {_scrub(r)}" for r in facts.reasons if r.strip())
    if facts.kind == "refusal":
        conditions = [said for code in facts.details.get("conditions_not_met") or ()
                      if (said := code_text(lang, "condition", str(code)))]
        if not conditions:
            return (w.fill("motivation.refusal"), *reasons)
        basis = text(lang, "condition_basis")
        return (w.fill("motivation.refusal.conditions"),
                *(text(lang, "condition_line", condition=c, basis=basis) for c in conditions),
                *((w.fill("motivation.refusal.facts"), *reasons) if reasons else ()))
    if facts.kind == "guidance":
        return (w.fill("motivation.guidance"), *reasons)
    if facts.kind in SANCTIONS:
        return (w.fill("motivation.exclusion" if facts.kind == "exclusion" else "motivation.sanction"), *reasons)
    if facts.kind == "appeal_acknowledgement" and not facts.details.get("admissible"):
        terms = context.terms
        day_kind = code_text(lang, "day_kind", terms.day_kind)
        words = tuple(f"- {_scrub(reason_text(lang, r, days=terms.window_days, day_kind=day_kind))}"
                      for r in facts.reasons)
        return (text(lang, "motivation.inadmissible"), *words)
    if facts.kind == "appeal_decision" and reasons:
        return (text(lang, "motivation.appeal_decision"), *reasons)
    return ()


def _remedy(notice: Notice, context: NoticeContext, lang: str) -> tuple[str, ...]:
    terms = context.terms
    day_kind = code_text(lang, "day_kind", terms.day_kind)
    lines = [
        text(lang, "remedy.who"),
        text(lang, "remedy.form", reference=notice.reference),
        text(lang, "remedy.how", portal=terms.portal, reference=notice.reference, email=terms.coordinator_email,
             postal=terms.coordinator_postal_address),
    ]
    if notice.appeal_deadline is not None:
        lines.append(text(lang, "remedy.term", days=terms.window_days, day_kind=day_kind,
                          deadline=long_date(lang, notice.appeal_deadline)))
    else:
        lines.append(text(lang, "remedy.term_open", days=terms.window_days, day_kind=day_kind))
    if terms.moves_to_working_day:
        lines.append(text(lang, "remedy.holiday_rule"))
        lines += _moved_deadline(notice, terms, lang)
    if notice.facts.kind in SANCTIONS:
        lines.append(text(lang, "remedy.suspends" if terms.suspends else "remedy.suspends_not"))
    else:
        lines.append(text(lang, "remedy.refusal_stands"))
    return tuple(lines)


def _moved_deadline(notice: Notice, terms: AppealTerms, lang: str) -> tuple[str, ...]:
    """Why the last day is later than the window counts, when it was moved off a closed day."""
    if notice.appeal_deadline is None:
        return ()
    window = appeal_window(notice.dispatch_date, terms)
    if not window.moved or window.last_day != notice.appeal_deadline:
        return ()
    return (text(lang, "remedy.moved", natural=day_with_weekday(lang, window.natural),
                 deadline=day_with_weekday(lang, window.last_day)),)


def _receipt(notice: Notice, context: NoticeContext, lang: str) -> str:
    email = notice.addressee.contact_email
    if not context.mailed or not email:
        return text(lang, "receipt.unmailed")
    received = receipt_date(notice.dispatch_date, context.terms)
    offset = context.terms.receipt_offset_days
    # Who learns of a bounce (notification.usecases.delivery): the coordinator for the appeal route's notices.
    told = text(lang, "appeal_coordinator") if notice.facts.by_appeal_route else context.sender.name
    return text(lang, "receipt.mailed", dispatch=long_date(lang, notice.dispatch_date), email=email, told=told,
                received_on=long_date(lang, received),
                offset=text(lang, "receipt.same_day") if offset == 0 else text(lang, "receipt.offset", days=offset))


def _measure_details(details: dict[str, Any]) -> dict[str, Any]:
    found = details.get("measure_details")
    return found if isinstance(found, dict) else {}


def _scrub(value: str) -> str:
    return _ELEVEN_DIGITS.sub("***********", value)
