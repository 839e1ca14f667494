"""The company chooses the language it is written to in, on the portal's contact step (issue 16
point 13), with the keyboard alone; the choice reaches the API and shows on the summary. axe-core
runs on every page visited."""

from __future__ import annotations

import re

import pytest
from test_portal_browser import api, log_in
from testkit.identifiers import enterprise_number, establishment_number

pytestmark = pytest.mark.e2e


def test_an_employer_chooses_english_with_the_keyboard_and_sees_it_on_the_summary(page, axe, browser_runtime):
    rt = browser_runtime
    enterprise = enterprise_number()
    token = rt.token("employer", enterprise_number=enterprise)
    draft = api(rt, "POST", "/applications", token, {
        "enterprise_number": enterprise, "establishment_number": establishment_number(),
        "training_code": api(rt, "GET", "/trainings").json()[0]["code"], "kind": "new"})
    assert draft.status_code == 201, draft.text
    app_id = draft.json()["id"]

    log_in(page, axe, enterprise=enterprise, next_path=f"/portal/applications/{app_id}/edit/contact")
    axe(page)
    dutch = page.get_by_role("radio", name=re.compile("^Nederlands"))
    english = page.get_by_role("radio", name=re.compile("^Engels"))
    assert dutch.is_checked() and not english.is_checked()  # the procedure's language until one chooses
    assert page.get_by_role("group", name="Taal van de kennisgevingen en e-mails").is_visible()
    page.get_by_label("Naam", exact=True).fill("An Peeters")
    page.get_by_label("E-mailadres").fill("an@example.be")
    page.get_by_label("Telefoonnummer").focus()
    page.keyboard.press("Tab")  # the radio group is the next stop, on its checked choice
    assert page.evaluate("document.activeElement.value") == "nl"
    page.keyboard.press("ArrowDown")  # arrows move the choice within the group
    assert english.is_checked() and not dutch.is_checked()
    axe(page)
    page.get_by_label("E-mailadres").press("Enter")
    page.wait_for_url("**/edit/mentors?msg=saved")

    saved = api(rt, "GET", f"/applications/{app_id}", token).json()
    assert saved["contact"]["language"] == "en"
    page.goto(f"/portal/applications/{app_id}/edit/review")
    axe(page)
    summary = page.locator("section[aria-labelledby=sum-contact]")
    assert "Engels" in summary.inner_text()
    page.goto(f"/portal/applications/{app_id}/edit/contact")
    assert page.get_by_role("radio", name=re.compile("^Engels")).is_checked()  # the saved choice, shown again
    axe.assert_clean()
