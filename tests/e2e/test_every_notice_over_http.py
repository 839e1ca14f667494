"""Every kind of official notice, produced over HTTP on the local runtime, in Dutch and in English
(issue 16, "done when").

One story on one runtime drives the real API, for two companies side by side: one writes in Dutch (the
default), the other chose English on its application. Each files two applications with the construction
partnership; one gets a question and is refused (naming the conditions not met), the other approved; a
third, with the metal partnership, is withdrawn; the partnership imposes guidance and a mentor ban; an
unmotivated appeal against the ban is inadmissible at once, a motivated one admissible and dismissed; the
appeal against the refusal is upheld (a recognition follows); an exclusion of the whole enterprise revokes
both recognitions and its upheld appeal restores them (one notice each); a revocation follows; then
`/_local/clock` moves business time, once for both companies, past the end of the recognition granted on
appeal, so the reminders go out and the expiry notice is issued.

Each notice PDF is downloaded from its `pdf_url` and read back with pdftotext and pdffonts; the checks
are the unit tier's (testkit.notices): the operative part, the DL reference, the remedy block exactly when
appealable, the Council of State on final acts, no uuid, no None, no code; fonts embedded. An English
notice is read page by page: its translation (in English throughout, with the note that the Dutch text
prevails) and then the authentic Dutch text. Every mail each company received is read too.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from test_ledger_e2e import BUILDING, FINISHING, WIRING, Company, staff
from testkit import notices as notice_checks
from testkit.notices import (
    FINAL,
    LAST_DAY,
    REFERENCE,
    assert_clean,
    assert_council,
    assert_english,
    assert_fonts_embedded,
    assert_remedy,
    pdftotext,
    spelled_kind,
)

from notification.domain.model import APPEALABLE_KINDS
from notification.domain.texts import long_date

pytestmark = pytest.mark.e2e

by_language = functools.cache(notice_checks.by_language)  # each PDF read per language once, whichever test asks

BODY = "Sectoraal Partnerschap Bouw"
METAL = "Sectoraal Partnerschap Metaal- en Technologische Industrie"
NAME = "Bouw en Elektro Peeters"
LANGUAGES = ("nl", "en")
EVERY_KIND = {"acknowledgement", "refusal", "approval", "guidance", "mentor_ban", "revocation", "exclusion",
              "appeal_acknowledgement.inadmissible", "appeal_acknowledgement.admissible", "appeal_decision.upheld",
              "appeal_decision.dismissed", "recognition", "restoration", "expiry"}
# Free text the partnership, the company and the committee write, in the company's language.
WRITTEN = {
    "nl": {"question": "Welke machines staan in de werkplaats?", "answer": "Een zaagmachine en een betonmolen.",
           "refusal": "De werkplaats mist de machines van het opleidingsplan.",
           "measure": "De begeleiding heeft niet geholpen.",
           "plan": "Een begeleidingsplan opstellen met de mentor.",
           "ban_grounds": "De mentor begeleidt al tien jaar lerenden.",
           "dismissal": "Het verslag van het plaatsbezoek bevestigt de tekortkomingen.",
           "refusal_grounds": "De machines staan er sinds maart.", "upheld": "De facturen tonen de machines aan.",
           "exclusion_grounds": "De uitsluiting is onevenredig.", "exclusion_upheld": "Begeleiding volstaat."},
    "en": {"question": "Which machines are in the workshop?", "answer": "A saw bench and a concrete mixer.",
           "refusal": "The workshop lacks the machines of the training plan.",
           "measure": "Guidance did not help.",
           "plan": "Draw up a guidance plan with the mentor.",
           "ban_grounds": "The mentor has guided learners for ten years.",
           "dismissal": "The report of the site visit confirms the shortcomings.",
           "refusal_grounds": "The machines have been there since March.", "upheld": "The invoices show the machines.",
           "exclusion_grounds": "The exclusion is disproportionate.", "exclusion_upheld": "Guidance suffices."},
}


def operative(kind: str, company: str, lang: str) -> tuple[str, ...]:
    """The operative sentence's words per kind and language, for this story's company and partnership."""
    if lang == "en":
        who = f"{NAME} (enterprise number {company})"
        return {
            "acknowledgement": (f"confirms that the application for recognition of {who}",),  # or the metal one
            "refusal": (f"{BODY} refuses the recognition of {who}",),
            "approval": (f"{BODY} recognises {who}", "The recognition is valid from"),
            "guidance": (f"{BODY} imposes a guidance action on {who}", "to be completed by"),
            "mentor_ban": (f"{BODY} forbids the mentor An Peeters to act as a mentor at {who}",),
            "revocation": (f"{BODY} revokes the recognition of {who}", "with effect from"),
            "exclusion": (f"{BODY} excludes {who} as a workplace learning site, for the whole enterprise",
                          "it therefore revokes the following recognitions"),
            "appeal_acknowledgement.inadmissible": ("The appeal is inadmissible.",),
            "appeal_acknowledgement.admissible": ("The appeal is admissible.",),
            "appeal_decision.upheld": (f"declares the appeal of {who} against the decision of {BODY}",
                                       " well-founded."),
            "appeal_decision.dismissed": (f"declares the appeal of {who}", "unfounded."),
            "recognition": (f"is recognised by {BODY} as a workplace learning site for the training",
                            "The recognition is valid from"),
            "restoration": (f"the recognition of {who}", "is restored"),
            "expiry": ("it is no longer valid",),
        }[kind]
    who = f"{NAME} (ondernemingsnummer {company})"
    return {
        "acknowledgement": (f"bevestigt dat de aanvraag tot erkenning van {who}",),
        "refusal": (f"{BODY} weigert de erkenning van {who}",),
        "approval": (f"{BODY} erkent {who}", "De erkenning geldt van"),
        "guidance": (f"{BODY} legt {who} een begeleidingsactie op", "uitgevoerd zijn uiterlijk op"),
        "mentor_ban": (f"{BODY} verbiedt de mentor An Peeters nog als mentor op te treden bij {who}",),
        "revocation": (f"{BODY} heft de erkenning van {who}", "op, met ingang van"),
        "exclusion": (f"{BODY} sluit {who} uit als leerwerkplek, voor de hele onderneming",
                      "worden daardoor de volgende erkenningen opgeheven"),
        "appeal_acknowledgement.inadmissible": ("Het beroep is niet ontvankelijk.",),
        "appeal_acknowledgement.admissible": ("Het beroep is ontvankelijk.",),
        "appeal_decision.upheld": (f"verklaart het beroep van {who} tegen de beslissing van {BODY}", " gegrond."),
        "appeal_decision.dismissed": (f"verklaart het beroep van {who}", "ongegrond."),
        "recognition": (f"door {BODY} erkend als leerwerkplek voor de opleiding", "De erkenning geldt van"),
        "restoration": (f"wordt de erkenning van {who}", "hersteld"),
        "expiry": ("is ze niet meer geldig",),
    }[kind]


def posted(response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in (statuses or (201,)), response.text
    return response.json()


def acts(api, company: Company, seen: dict[str, Any]) -> Iterator[None]:
    """One company's procedure to every notice kind but the expiry. It yields where the events must have
    been handled before it goes on: the caller runs both companies in step, with one settle per step,
    and reads what it learnt from ``seen``."""
    said, coordinator = WRITTEN[company.language or "nl"], api.token("appeals")
    construction = staff(api, "construction")

    def lodge(subject_id: str, grounds: str) -> dict[str, Any]:
        return posted(api.post("/appeals", company.token, {"subject_id": subject_id, "grounds": grounds}))

    def admit(appeal: dict[str, Any]) -> None:
        posted(api.post(f"/appeals/{appeal['id']}/admissibility", coordinator, {"admissible": True, "reasons": []}),
               200)

    def rule(appeal: dict[str, Any], outcome: str, reason: str) -> None:
        posted(api.post(f"/appeals/{appeal['id']}/decision", coordinator, {"outcome": outcome, "reasons": [reason]}),
               200)

    def impose(recognition_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return posted(api.post(f"/review/recognitions/{recognition_id}/measures", construction,
                               {"reason": said["measure"], **body}))

    (refused_app, first), (withdrawn_app, second), (approved_app, third) = (
        company.submit(training, settle=False) for training in (FINISHING, WIRING, BUILDING))
    assert first.status_code == second.status_code == third.status_code == 202, (first.text, second.text)
    yield
    asked = posted(api.post(f"/review/applications/{refused_app}/questions", construction,
                            {"message": said["question"]}))
    posted(api.post(f"/applications/{withdrawn_app}/withdraw", company.token), 200)
    building = posted(api.post(f"/review/applications/{approved_app}/decision", construction,
                               {"outcome": "approved", "reasons": []}))["recognition_id"]
    yield
    posted(api.post(f"/applications/{refused_app}/messages", company.token,
                    {"message": said["answer"], "question_id": asked["question_id"]}), 200, 201)
    named = ["organisation_and_equipment", "eligible_mentor"]
    refusal = posted(api.post(f"/review/applications/{refused_app}/decision", construction, {
        "outcome": "refused", "reasons": [said["refusal"]], "conditions_not_met": named}))
    assert refusal["conditions_not_met"] == named
    impose(building, {"type": "guidance", "plan": said["plan"],
                      "due_date": (api.today() + timedelta(days=30)).isoformat()})
    ban = impose(building, {"type": "mentor_ban", "mentor_index": 0})
    yield
    # The employer's application and the partnership's file show them too (checked against the OpenAPI).
    assert api.get(f"/applications/{refused_app}", company.token).json()["decision"]["conditions_not_met"] == named
    file = api.get(f"/review/applications/{refused_app}", construction).json()
    assert file["decision"]["conditions_not_met"] == named
    assert lodge(ban["measure_id"], "")["status"] == "inadmissible"  # not motivated
    against_ban = lodge(ban["measure_id"], said["ban_grounds"])
    against_refusal = lodge(refusal["decision_id"], said["refusal_grounds"])
    yield
    admit(against_ban)
    admit(against_refusal)
    yield
    rule(against_ban, "dismissed", said["dismissal"])
    rule(against_refusal, "upheld", said["upheld"])
    yield
    recognised = company.verify(FINISHING)
    assert recognised["recognized"] is True, recognised
    seen["valid_until"] = date.fromisoformat(recognised["valid_until"])
    exclusion = impose(building, {"type": "exclusion", "scope": "enterprise"})
    assert sorted(exclusion["revoked_recognition_ids"]) == sorted([building, recognised["recognition_id"]])
    yield
    against_exclusion = lodge(exclusion["measure_id"], said["exclusion_grounds"])
    yield
    admit(against_exclusion)
    yield
    rule(against_exclusion, "upheld", said["exclusion_upheld"])
    yield
    impose(building, {"type": "revocation"})
    yield


def in_step(api, *stories: Iterator[None]) -> None:
    """Runs the stories side by side: each up to its next yield, then one settle for all."""
    running = list(stories)
    while running:
        for story in list(running):
            if next(story, StopIteration) is StopIteration:
                running.remove(story)
        api.settle()


def notices_of(api, company: Company) -> dict[str, list[tuple[dict[str, Any], str, bytes]]]:
    """Every notice of the company: (listing row, text, pdf bytes) by kind."""
    listed = api.get("/notices", company.token)
    assert listed.status_code == 200, listed.text
    found: dict[str, list[tuple[dict[str, Any], str, bytes]]] = {}
    for row in listed.json():
        pdf = api.session.get(row["pdf_url"], timeout=30)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), (row["kind"], pdf.status_code)
        text = pdftotext(pdf.content)
        found.setdefault(spelled_kind(row["kind"], text), []).append((row, text, pdf.content))
    return found


@pytest.fixture(scope="module")
def story(api):
    """The story once for both companies: by language, (company, what the steps answered, notices by kind)."""
    started = time.monotonic()
    seconds: dict[str, float] = {}
    companies = {lang: Company(api, language=None if lang == "nl" else lang,
                               email=f"contact-{uuid.uuid4().hex[:8]}@peeters-{lang}.example") for lang in LANGUAGES}
    seen: dict[str, dict[str, Any]] = {lang: {} for lang in companies}
    in_step(api, *(acts(api, company, seen[lang]) for lang, company in companies.items()))
    seconds["acts"] = round(time.monotonic() - started, 1)
    # Business time: past the last valid day of the recognitions the appeals granted (reminders on the way).
    valid_until = max(learnt["valid_until"] for learnt in seen.values())
    begun = time.monotonic()
    api.advance((valid_until - api.today()).days + 1)
    api.settle()
    seconds["advance"] = round(time.monotonic() - begun, 1)
    produced = {}
    for lang, company in companies.items():
        company.token = api.token("employer", enterprise_number=company.enterprise, sub=f"emp-{company.enterprise}")
        produced[lang] = (company, seen[lang], notices_of(api, company))
    seconds["total"] = round(time.monotonic() - started, 1)
    out = os.environ.get("NOTICE_TEXTS_DIR")  # where to keep each notice's text, to read it as a person would
    if out:
        for lang, (_, _, found) in produced.items():
            for kind, notices in found.items():
                for i, (_, _, pdf) in enumerate(notices):
                    for part, words in by_language(pdf).items():
                        with open(os.path.join(out, f"{lang}-{kind}-{i}.{part}.txt"), "w", encoding="utf-8") as f:
                            f.write(words)
            with open(os.path.join(out, f"{lang}-mails.txt"), "w", encoding="utf-8") as f:
                for mail in api.mail(to=produced[lang][0].email):
                    f.write(f"Subject: {mail['subject']}\n\n{mail['body']}\n{'=' * 80}\n")
        with open(os.path.join(out, "story-seconds.txt"), "w", encoding="utf-8") as f:
            f.write(f"{seconds}\n")
    return produced


@pytest.fixture(params=LANGUAGES)
def produced(request, story):
    return (request.param, *story[request.param])


def test_the_story_produces_every_kind_of_notice(produced):
    _, _, _, found = produced
    assert set(found) == EVERY_KIND
    assert len(found["restoration"]) == 2  # one per restored recognition


def test_every_notice_reads_as_an_act_with_its_reference_and_the_right_remedies(produced):
    lang, company, _, found = produced
    dotted = f"{company.enterprise[:4]}.{company.enterprise[4:7]}.{company.enterprise[7:]}"
    for kind, notices in found.items():
        for row, text, pdf in notices:
            parts = by_language(pdf)
            assert set(parts) == ({"nl"} if lang == "nl" else {"en", "nl"}), (kind, set(parts))
            reference = row.get("reference") or ""
            assert REFERENCE.fullmatch(reference), (kind, reference)
            for part, words in parts.items():  # the translation and the authentic text: each a whole act
                for expected in operative(kind, dotted, part):
                    assert expected in words, (kind, part, expected)
                label = {"nl": "Ons kenmerk", "en": "Our reference"}[part]
                assert f"{label}: {reference}" in words, (kind, part)
                appealable = row["kind"] in APPEALABLE_KINDS
                assert_remedy(words, part, appealable, f"{kind} ({part})")
                assert ("appeal_deadline" in row) is appealable, kind
                if appealable:
                    day = long_date(part, date.fromisoformat(row["appeal_deadline"]))
                    assert LAST_DAY[part].format(date=day) in words, (kind, part)
                assert_council(words, part, kind in FINAL, f"{kind} ({part})")
            assert_clean(text, kind, (company.enterprise,))
            assert_fonts_embedded(pdf, kind)


def test_an_english_notice_is_a_translation_in_english_with_the_authentic_dutch_text_after_it(story):
    _, _, found = story["en"]  # a Dutch notice is the authentic text itself
    note = "The authentic text of this notice is the Dutch one (Dutch is the language of the procedure), which prevails"
    for kind, notices in found.items():
        for _, _, pdf in notices:
            parts = by_language(pdf)
            assert note in parts["en"], kind
            assert_english(parts["en"], kind)
            assert "Dit is een Engelse vertaling" not in parts["nl"] and "translation" not in parts["nl"], kind


def test_the_refusal_names_each_condition_not_met_in_words_with_its_legal_basis(produced):
    lang, _, _, found = produced
    ((_, text, _),) = found["refusal"]
    assert "Niet voldaan is aan de volgende erkenningsvoorwaarden:" in text
    assert "erkenningsvoorwaarde 1: de organisatie en de uitrusting van de onderneming maken de opleiding" in text
    assert "erkenningsvoorwaarde 4: de onderneming heeft minstens één mentor die aan de mentorvoorwaarden" in text
    assert "(rechtsgrond: decreet van 10 juni 2016" in text
    if lang == "en":
        assert "The following conditions of recognition are not met:" in text
        assert "condition 1: the company's organisation and equipment make training according to the" in text
        assert "condition 4: the company has at least one mentor who meets the mentor conditions" in text
        assert "(legal basis: decree of 10 June 2016" in text
    assert WRITTEN[lang]["refusal"] in text


def test_the_reminders_went_out_as_clean_mails_and_the_expiry_follows_them(api, produced):
    lang, company, seen, found = produced
    reminder = {"nl": "Herinnering", "en": "Reminder"}[lang]
    reminders = [m for m in api.mail(to=company.email) if m["subject"].startswith(reminder)]
    valid_until = long_date(lang, seen["valid_until"])
    ends = {"nl": f"loopt af op {valid_until}", "en": f"ends on {valid_until}"}[lang]
    renewal = [m for m in reminders if ends in m["subject"]]
    assert len(renewal) >= 3, [m["subject"] for m in reminders]  # the policy's 90, 30 and 7 days before
    mentor = {"nl": "mentoropleiding", "en": "mentor training"}[lang]
    assert any(mentor in m["subject"] for m in reminders), [m["subject"] for m in reminders]
    for mail in reminders:
        assert_clean(mail["subject"] + "\n" + mail["body"], mail["subject"], (company.enterprise,))
    assert found["expiry"]


# What every mail to the company opens and closes with, by language; the partnership signs with its address.
GREETING = {"nl": "Geachte Jan Peeters,", "en": "Dear Jan Peeters,"}
REGARDS = {"nl": "Met vriendelijke groeten,", "en": "Kind regards,"}
SIGNATURES = {BODY: ("Voorbeeldstraat 3, 1000 Brussel", "+32 2 000 00 02", "bouw@example.be"),
              METAL: ("Voorbeeldstraat 4, 1000 Brussel", "+32 2 000 00 03", "mtech@example.be"),
              "Vlaams Partnerschap Duaal Leren": ("Voorbeeldstraat 1, 1000 Brussel", "+32 2 000 00 00")}


def test_every_mail_to_the_company_is_a_letter_in_its_language_with_the_reference_and_a_signature(api, produced):
    lang, company, _, _ = produced
    received = api.mail(to=company.email)
    subjects = [m["subject"] for m in received]
    question = {"nl": "Vraag van", "en": "Question from"}[lang]
    withdrawn = {"nl": "is ingetrokken", "en": "has been withdrawn"}[lang]
    assert any(s.startswith(question) for s in subjects) and any(withdrawn in s for s in subjects), subjects
    for mail in received:
        where = mail["subject"]
        body = mail["body"].replace("\r\n", "\n")  # the MIME text part's line ends
        assert body.startswith(GREETING[lang] + "\n"), (where, body[:80])
        assert REFERENCE.search(where + body), (where, body)
        signature = body.rsplit(REGARDS[lang] + "\n", 1)
        assert len(signature) == 2, (where, body[-300:])
        sender = signature[1].strip().splitlines()[0]
        assert sender in SIGNATURES and all(part in signature[1] for part in SIGNATURES[sender]), (where, signature[1])
        assert_clean(where + "\n" + body, where, (company.enterprise,))
        if lang == "en":
            assert_english(where + "\n" + body, where)
