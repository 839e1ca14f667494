"""The back office in headless Chromium (issue 15), as partnership staff and the appeal committee
would use it without the API documentation, driven by the keyboard alone: Tab to reach a
control, Space to choose, typing to fill, Enter to follow or send.

1. The construction partnership takes a file from its queue, asks a question that the employer
   answers in the portal, plans and reports a site visit, approves after seeing the validity dates,
   and revokes the recognition after seeing which recognitions the measure ends.
2. The VPDL refuses a file after seeing the appeal deadline; the employer appeals in the portal;
   the committee declares the appeal admissible and upholds it; the register then verifies the
   workplace. A file another partnership lets pass its deadline shows in the VPDL's supervision
   with its dates and state only.
axe-core runs on every back-office page and must find nothing serious or critical.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from test_portal_browser import api, log_in, submitted_via_api
from testkit.identifiers import enterprise_number

from kernel.calendar import local_date
from portal.domain.texts import long_date

pytestmark = pytest.mark.e2e


# ------------------------------------------------------------------ the keyboard
def key_to(page: Any, target: Any, max_tabs: int = 80) -> None:
    """Press Tab until ``target`` has the focus: it is reachable by keyboard, in the page's order.
    A radio group is one Tab stop: within it, the arrow keys move (as a keyboard user does)."""
    handle = target.element_handle()
    radio_group = page.evaluate("e => e.type === 'radio' ? e.name : null", handle)
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("e => e === document.activeElement", handle):
            return
        if radio_group and page.evaluate(
            "n => document.activeElement.type === 'radio' && document.activeElement.name === n", radio_group
        ):
            for _ in range(10):
                page.keyboard.press("ArrowDown")
                if page.evaluate("e => e === document.activeElement", handle):
                    return
    raise AssertionError(f"{target} is not reachable with Tab")


def key_type(page: Any, target: Any, text: str) -> None:
    key_to(page, target)
    page.keyboard.insert_text(text)


def key_choose(page: Any, target: Any) -> None:
    """A radio button or checkbox, chosen with Space."""
    key_to(page, target)
    if not target.is_checked():  # an arrow key in a radio group already chose it
        page.keyboard.press("Space")
    assert target.is_checked()


def key_press(page: Any, target: Any) -> None:
    """A link or a button, followed or pressed with Enter; waits for the next page."""
    key_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def key_date(page: Any, target: Any, day: Any) -> None:
    """A date field, typed in the order the browser shows its parts (day first in Belgium; headless
    Chromium may show month first whatever the page's locale): the user types what they see."""
    key_to(page, target)
    for order in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(day.strftime(order))
        if target.input_value() == day.isoformat():
            return
        for _ in range(2):  # each part is a Tab stop of its own: back from the year to the first part
            page.keyboard.press("Shift+Tab")
    raise AssertionError(f"the date field holds {target.input_value()!r}, not {day.isoformat()}")


def staff_log_in(page: Any, role: str, partnership: str | None = None) -> None:
    """The local login page (axe checks it in test_portal_browser.py), by keyboard."""
    page.goto("/portal/login")
    key_choose(page, page.get_by_role("radio", name=role))
    if partnership:
        choice = page.get_by_label("Welk partnerschap")
        key_to(page, choice)
        page.keyboard.type(partnership)  # a closed select picks the option whose text is typed
        assert choice.input_value() == partnership
    key_press(page, page.get_by_role("button", name="Aanmelden"))


def settle(rt: Any) -> None:
    assert rt.settle(timeout=60)


# ------------------------------------------------------------------ 1. a file approved, a recognition revoked
def test_a_partnership_handles_a_file_from_its_queue_to_a_recognition_and_a_measure(new_page, axe, browser_runtime):
    rt = browser_runtime
    enterprise = enterprise_number()
    application = submitted_via_api(rt, enterprise, joint_committee="124", company="Bouwbedrijf Claes")
    assert application["partnership_id"] == "construction"
    today = local_date(rt.now())
    employer = rt.token("employer", enterprise_number=enterprise)
    support = api(
        rt,
        "POST",
        "/support-requests",
        employer,
        {
            "enterprise_number": enterprise,
            "joint_committee": "124",
            "topic": "find_learner",
            "message": "Wij zoeken een lerende metselaar.",
            "contact": {"name": "Kris Claes", "email": "kris@example.be"},
        },
    )
    assert support.status_code == 201, support.text

    partner = new_page()
    staff_log_in(partner, "Partnerschap", "construction")
    partner.wait_for_url("**/portal/review")
    axe(partner)
    row = partner.locator("table.queue tr", has_text="Bouwbedrijf Claes")
    assert "nog 14 dagen" in row.inner_text()
    assert partner.locator(".counts a", has_text="In behandeling").locator(".count").inner_text() != "0"

    # the file: mentors with their full national register number, documents through fresh links
    key_press(partner, row.get_by_role("link", name="Bouwbedrijf Claes"))
    axe(partner)
    assert partner.get_by_role("cell", name="80031512361").is_visible()
    document = partner.get_by_role("link", name="extract.pdf openen")
    pdf = partner.request.get(document.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # a question, answered by the employer in the portal
    key_type(partner, partner.get_by_label("Een vraag aan de onderneming"), "Welk diploma heeft de mentor?")
    key_press(partner, partner.get_by_role("button", name="Vraag versturen"))
    assert partner.get_by_role("status").inner_text() == "Uw vraag is verstuurd."
    settle(rt)
    company = new_page()
    log_in(company, axe, enterprise=enterprise, next_path=f"/portal/applications/{application['id']}")
    company.get_by_text("Welk diploma heeft de mentor?").wait_for()
    company.get_by_label("Uw antwoord").fill("Een diploma metselaar en twaalf jaar ervaring.")
    company.get_by_role("button", name="Antwoord versturen").press("Enter")
    company.wait_for_url(re.compile(r"msg=answered"))
    settle(rt)
    partner.reload()
    assert partner.locator(".conversation__answer").get_by_text("twaalf jaar ervaring").is_visible()

    # a site visit, planned and reported
    key_date(partner, partner.get_by_label("Datum van een nieuw plaatsbezoek"), today + timedelta(days=2))
    key_press(partner, partner.get_by_role("button", name="Plaatsbezoek plannen"))
    key_type(partner, partner.get_by_label("Bevindingen van het plaatsbezoek"), "Werkplaats en materiaal in orde.")
    key_choose(partner, partner.get_by_role("group", name="Voldoet de werkplek?").get_by_label("Ja"))
    key_press(partner, partner.get_by_role("button", name="Verslag bewaren"))
    assert partner.get_by_text("Werkplaats en materiaal in orde.").is_visible()
    axe(partner)

    # approve: the validity dates before confirming
    key_choose(partner, partner.get_by_role("radio", name="Erkennen"))
    key_press(partner, partner.get_by_role("button", name="Naar bevestiging"))
    until = today.replace(year=today.year + 5) - timedelta(days=1)
    assert partner.locator("#validity").inner_text() == (
        f"De erkenning geldt van {long_date('nl', today)} tot en met {long_date('nl', until)}."
    )
    axe(partner)
    key_press(partner, partner.get_by_role("button", name="Erkenning bevestigen"))
    assert partner.get_by_role("status").inner_text().startswith("Uw beslissing is genomen.")
    settle(rt)

    # the recognition, revoked after seeing what the measure ends and what the notice says
    key_press(partner, partner.get_by_role("link", name="Erkenningen"))
    axe(partner)
    key_press(
        partner,
        partner.locator("tr", has_text="Bouwbedrijf Claes").get_by_role("link", name=re.compile("Maatregel opleggen")),
    )
    axe(partner)
    key_choose(partner, partner.get_by_role("radio", name=re.compile("^Opheffing van de erkenning")))
    key_type(partner, partner.get_by_label("Reden", exact=True), "De mentor is vertrokken en niet vervangen.")
    key_press(partner, partner.get_by_role("button", name="Naar bevestiging"))
    effects = partner.locator("#measure-effects").inner_text()
    assert f"Eindigt: de erkenning van Bouwbedrijf Claes, vestiging {application['establishment_number']}" in effects
    assert "Beroep mogelijk tot en met" in effects
    axe(partner)
    key_press(partner, partner.get_by_role("button", name="Opheffing van de erkenning bevestigen"))
    assert "is opgelegd" in partner.get_by_role("status").inner_text()
    settle(rt)
    partner.reload()
    assert "Opgeheven" in partner.locator("tr", has_text="Bouwbedrijf Claes").inner_text()

    key_press(partner, partner.get_by_role("link", name="Ondersteuningsvragen"))
    assert partner.get_by_text("Wij zoeken een lerende metselaar.").is_visible()
    assert partner.get_by_role("link", name="kris@example.be").is_visible()
    axe(partner)
    axe.assert_clean()


# ------------------------------------------------------------------ 2. a refusal appealed and upheld
def test_a_refusal_is_appealed_in_the_portal_and_upheld_by_the_committee_after_which_the_register_verifies_it(
    new_page, axe, browser_runtime
):
    rt = browser_runtime
    enterprise = enterprise_number()
    application = submitted_via_api(rt, enterprise, company="Drukkerij Wouters")
    assert application["partnership_id"] == "vpdl"
    today = local_date(rt.now())

    vpdl = new_page()
    staff_log_in(vpdl, "Partnerschap", "vpdl")
    key_press(vpdl, vpdl.locator("table.queue tr", has_text="Drukkerij Wouters").get_by_role("link"))
    key_choose(vpdl, vpdl.get_by_role("radio", name="Weigeren"))
    key_press(vpdl, vpdl.get_by_role("button", name="Naar bevestiging"))  # no reasons: refused at the field
    reasons = vpdl.get_by_label("Motivering")
    assert reasons.get_attribute("aria-invalid") == "true"
    axe(vpdl)
    key_type(vpdl, reasons, "Geen mentor met vijf jaar ervaring.")
    # Issue 16: the condition not met, ticked by keyboard by its words.
    key_choose(vpdl, vpdl.get_by_role("checkbox", name="Mentorvoorwaarde: minstens 5 jaar praktijkervaring",
                                      exact=False))
    key_press(vpdl, vpdl.get_by_role("button", name="Naar bevestiging"))
    assert (
        vpdl.locator("#appeal-deadline").inner_text().startswith("De kennisgeving vermeldt: beroep mogelijk tot en met")
    )
    assert "minstens 5 jaar praktijkervaring" in vpdl.locator("#conditions-not-met").inner_text()
    axe(vpdl)
    key_press(vpdl, vpdl.get_by_role("button", name="Weigering bevestigen"))
    assert vpdl.get_by_role("status").is_visible()
    key_press(vpdl, vpdl.get_by_role("link", name="Toezicht"))
    assert vpdl.get_by_role("heading", name="Toezicht op de termijnen").is_visible()
    axe(vpdl)
    settle(rt)

    company = new_page()
    log_in(company, axe, enterprise=enterprise, next_path="/portal/notices")
    company.get_by_role("link", name=re.compile("^Beroep instellen")).first.click()
    company.get_by_label("Waarom gaat u in beroep?").fill("De mentor heeft twaalf jaar ervaring als drukker.")
    company.get_by_role("button", name="Beroep indienen").press("Enter")
    company.wait_for_url(re.compile(r"/portal/appeals/[^/]+\?msg=lodged$"))
    appeal_id = company.url.split("/portal/appeals/")[1].split("?")[0]
    settle(rt)

    board = new_page()
    staff_log_in(board, "Beroepscommissie")
    board.wait_for_url("**/portal/committee")
    axe(board)
    row = board.locator("tr", has_text=f"Beroep van {enterprise}")
    assert "Weigering van de erkenning" in row.inner_text() and "Ingediend" in row.inner_text()
    key_press(board, row.get_by_role("link"))
    assert board.get_by_text("De mentor heeft twaalf jaar ervaring als drukker.").is_visible()
    assert board.get_by_text("Het beroep kwam binnen de termijn.").is_visible()
    axe(board)
    key_choose(board, board.get_by_role("radio", name="Ontvankelijk", exact=True))
    key_press(board, board.get_by_role("button", name="Ontvankelijkheid vastleggen"))
    assert board.locator("#appeal-status").inner_text() == "Ontvankelijk"
    key_choose(board, board.get_by_role("radio", name=re.compile("^Gegrond")))
    key_type(board, board.get_by_label("Motivering van de uitspraak"), "De ervaring van de mentor is aangetoond.")
    key_press(board, board.get_by_role("button", name="Uitspraak vastleggen"))
    assert board.locator("#appeal-status").inner_text() == "Gegrond"
    axe(board)
    settle(rt)

    seen = api(rt, "GET", f"/appeals/{appeal_id}", rt.token("employer", enterprise_number=enterprise)).json()
    assert seen["status"] == "upheld"
    board.goto(
        f"/portal/verify?check=1&enterprise_number={enterprise}"
        f"&establishment_number={application['establishment_number']}&training_code={application['training_code']}"
    )
    sentence = board.locator("#verify-answer .answer-sentence").inner_text()
    assert sentence.startswith(f"Ja: vestiging {application['establishment_number']}"), sentence
    assert long_date("nl", today) in sentence  # recognised from the ruling's date

    # VPDL supervision: another partnership lets a file pass its deadline; the VPDL sees its dates and
    # state, never its mentors. (Last in this file: the clock of this worker's runtime moves on.)
    late = submitted_via_api(rt, enterprise_number(), joint_committee="124", company="Schrijnwerkerij Maes")
    rt.advance(days=15)
    vpdl.goto("/portal/review/supervision")
    row = vpdl.locator("tr", has_text=late["id"])
    assert "Sectoraal Partnerschap Bouw" in row.inner_text() and "Te laat:" in row.inner_text()
    axe(vpdl)
    key_press(vpdl, row.get_by_role("link"))
    assert vpdl.get_by_role("heading", name="Dossier onder toezicht").is_visible()
    assert "80031512361" not in vpdl.content() and "Schrijnwerkerij Maes" not in vpdl.content()
    axe(vpdl)
    axe.assert_clean()
