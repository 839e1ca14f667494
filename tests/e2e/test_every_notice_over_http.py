"""Every kind of official notice, produced over HTTP on the local runtime (issue 16, "done when").

One story on one runtime drives the real API: a company files two applications with the construction
partnership; one is refused (naming the conditions not met), the other approved; the partnership imposes
guidance and a mentor ban; an unmotivated appeal against the ban is inadmissible at once, a motivated one
admissible and dismissed; the appeal against the refusal is upheld (a recognition follows); an exclusion
of the whole enterprise revokes both recognitions and its upheld appeal restores them (one notice each);
a revocation follows; then `/_local/clock` moves business time past the end of the recognition granted on
appeal, so the reminders go out and the expiry notice is issued.

Each notice PDF is downloaded from its `pdf_url` and read back with pdftotext and pdffonts; the checks
are the unit tier's (testkit.notices): the operative part, the DL reference, the remedy block exactly when
appealable, the Council of State on final acts, no uuid, no None, no code; fonts embedded. Reminders are
mails (no PDF): they are held to the same cleanliness.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from test_ledger_e2e import BUILDING, FINISHING, Company, decide, impose, staff
from testkit.notices import (
    FINAL,
    LAST_DAY,
    REFERENCE,
    assert_clean,
    assert_council,
    assert_fonts_embedded,
    assert_remedy,
    pdftotext,
    spelled_kind,
)

from notification.domain.model import APPEALABLE_KINDS
from notification.domain.texts import long_date

pytestmark = pytest.mark.e2e

BODY = "Sectoraal Partnerschap Bouw"
NAME = "Bouw en Elektro Peeters"
EVERY_KIND = {"acknowledgement", "refusal", "approval", "guidance", "mentor_ban", "revocation", "exclusion",
              "appeal_acknowledgement.inadmissible", "appeal_acknowledgement.admissible", "appeal_decision.upheld",
              "appeal_decision.dismissed", "recognition", "restoration", "expiry"}


def operative(kind: str, company: str) -> tuple[str, ...]:
    """The operative sentence's words per kind, for this story's company and partnership."""
    who = f"{NAME} (ondernemingsnummer {company})"
    return {
        "acknowledgement": (f"{BODY} bevestigt dat de aanvraag tot erkenning van {who}",),
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


def lodge(api, company: Company, subject_id: str, grounds: str) -> dict[str, Any]:
    lodged = api.post("/appeals", company.token, {"subject_id": subject_id, "grounds": grounds})
    assert lodged.status_code == 201, lodged.text
    api.settle()
    return lodged.json()


def admit(api, appeal_id: str) -> None:
    answered = api.post(f"/appeals/{appeal_id}/admissibility", api.token("appeals"),
                        {"admissible": True, "reasons": []})
    assert answered.status_code == 200, answered.text
    api.settle()


def rule(api, appeal_id: str, outcome: str, reasons: list[str]) -> None:
    ruled = api.post(f"/appeals/{appeal_id}/decision", api.token("appeals"), {"outcome": outcome, "reasons": reasons})
    assert ruled.status_code == 200, ruled.text
    api.settle()


def story(api) -> tuple[Company, dict[str, Any]]:
    """Drives the procedure to every notice kind; returns the company and what the steps answered."""
    company = Company(api)
    seen: dict[str, Any] = {}
    refused_app = company.submitted(FINISHING)
    refusal = api.post(f"/review/applications/{refused_app}/decision", staff(api, "construction"), {
        "outcome": "refused", "reasons": ["De werkplaats mist de machines van het opleidingsplan."],
        "conditions_not_met": ["organisation_and_equipment", "eligible_mentor"]})
    assert refusal.status_code == 201, refusal.text
    api.settle()
    named = ["organisation_and_equipment", "eligible_mentor"]
    assert refusal.json()["conditions_not_met"] == named
    # The employer's application and the partnership's file show them too (checked against the OpenAPI).
    assert api.get(f"/applications/{refused_app}", company.token).json()["decision"]["conditions_not_met"] == named
    file = api.get(f"/review/applications/{refused_app}", staff(api, "construction")).json()
    assert file["decision"]["conditions_not_met"] == named
    approved = decide(api, BUILDING, company.submitted(BUILDING))
    building = approved["recognition_id"]
    impose(api, BUILDING, building, {"type": "guidance", "plan": "Een begeleidingsplan opstellen met de mentor.",
                                     "due_date": (api.today() + timedelta(days=30)).isoformat()})
    ban = impose(api, BUILDING, building, {"type": "mentor_ban", "mentor_index": 0})
    assert lodge(api, company, ban["measure_id"], "")["status"] == "inadmissible"  # not motivated
    against_ban = lodge(api, company, ban["measure_id"], "De mentor begeleidt al tien jaar lerenden.")
    admit(api, against_ban["id"])
    rule(api, against_ban["id"], "dismissed", ["Het verslag van het plaatsbezoek bevestigt de tekortkomingen."])
    against_refusal = lodge(api, company, refusal.json()["decision_id"], "De machines staan er sinds maart.")
    admit(api, against_refusal["id"])
    rule(api, against_refusal["id"], "upheld", ["De facturen tonen de machines aan."])
    recognised = company.verify(FINISHING)
    assert recognised["recognized"] is True, recognised
    exclusion = impose(api, BUILDING, building, {"type": "exclusion", "scope": "enterprise"})
    assert sorted(exclusion["revoked_recognition_ids"]) == sorted([building, recognised["recognition_id"]])
    against_exclusion = lodge(api, company, exclusion["measure_id"], "De uitsluiting is onevenredig.")
    admit(api, against_exclusion["id"])
    rule(api, against_exclusion["id"], "upheld", ["Begeleiding volstaat."])
    impose(api, BUILDING, building, {"type": "revocation"})
    # Business time: past the last valid day of the recognition the appeal granted (reminders on the way).
    valid_until = date.fromisoformat(recognised["valid_until"])
    api.advance((valid_until - api.today()).days + 1)
    api.settle()
    company.token = api.token("employer", enterprise_number=company.enterprise, sub=f"emp-{company.enterprise}")
    seen["valid_until"] = valid_until
    return company, seen


@pytest.fixture(scope="module")
def produced(api, tmp_path_factory):
    """The story once; every notice of the company: (listing row, text, pdf bytes) by kind."""
    import time

    started = time.monotonic()
    company, seen = story(api)
    listed = api.get("/notices", company.token)
    assert listed.status_code == 200, listed.text
    found: dict[str, list[tuple[dict[str, Any], str, bytes]]] = {}
    for row in listed.json():
        pdf = api.session.get(row["pdf_url"], timeout=30)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), (row["kind"], pdf.status_code)
        text = pdftotext(pdf.content)
        found.setdefault(spelled_kind(row["kind"], text), []).append((row, text, pdf.content))
    seen["seconds"] = round(time.monotonic() - started, 1)
    out = os.environ.get("NOTICE_TEXTS_DIR")  # where to keep each notice's text, to read it as a person would
    if out:
        for kind, notices in found.items():
            for i, (_, text, _) in enumerate(notices):
                with open(os.path.join(out, f"{kind}-{i}.txt"), "w", encoding="utf-8") as f:
                    f.write(text)
        with open(os.path.join(out, "story-seconds.txt"), "w", encoding="utf-8") as f:
            f.write(f"{seen['seconds']}\n")
    return company, seen, found


def test_the_story_produces_every_kind_of_notice(produced):
    _, _, found = produced
    assert set(found) == EVERY_KIND
    assert len(found["restoration"]) == 2  # one per restored recognition


def test_every_notice_reads_as_an_act_with_its_reference_and_the_right_remedies(produced):
    company, _, found = produced
    dotted = f"{company.enterprise[:4]}.{company.enterprise[4:7]}.{company.enterprise[7:]}"
    for kind, notices in found.items():
        for row, text, pdf in notices:
            for words in operative(kind, dotted):
                assert words in text, (kind, words)
            reference = row.get("reference") or ""
            assert REFERENCE.fullmatch(reference), (kind, reference)
            assert f"Ons kenmerk: {reference}" in text, kind
            appealable = row["kind"] in APPEALABLE_KINDS
            assert_remedy(text, "nl", appealable, kind)
            assert ("appeal_deadline" in row) is appealable, kind
            if appealable:
                day = long_date("nl", date.fromisoformat(row["appeal_deadline"]))
                assert LAST_DAY["nl"].format(date=day) in text, kind
            assert_council(text, "nl", kind in FINAL, kind)
            assert_clean(text, kind, (company.enterprise,))
            assert_fonts_embedded(pdf, kind)


def test_the_refusal_names_each_condition_not_met_in_words_with_its_legal_basis(produced):
    _, _, found = produced
    ((_, text, _),) = found["refusal"]
    assert "Niet voldaan is aan de volgende erkenningsvoorwaarden:" in text
    assert "erkenningsvoorwaarde 1: de organisatie en de uitrusting van de onderneming maken de opleiding" in text
    assert "erkenningsvoorwaarde 4: de onderneming heeft minstens één mentor die aan de mentorvoorwaarden" in text
    assert "(rechtsgrond: decreet van 10 juni 2016" in text
    assert "De werkplaats mist de machines van het opleidingsplan." in text


def test_the_reminders_went_out_as_clean_mails_and_the_expiry_follows_them(api, produced):
    company, seen, found = produced
    # The address is test_ledger_e2e's for every company: the reminders are told apart by their day.
    reminders = [m for m in api.mail(to="jan@peeters.example") if m["subject"].startswith("Herinnering")]
    valid_until = long_date("nl", seen["valid_until"])
    renewal = [m for m in reminders if f"loopt af op {valid_until}" in m["subject"]]
    assert len(renewal) >= 3, [m["subject"] for m in reminders]  # the policy's 90, 30 and 7 days before
    assert any("mentoropleiding" in m["subject"] for m in reminders), [m["subject"] for m in reminders]
    for mail in reminders:
        assert_clean(mail["subject"] + "\n" + mail["body"], mail["subject"], (company.enterprise,))
    assert found["expiry"]
