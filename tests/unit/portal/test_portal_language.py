"""The company chooses the language it is written to in (issue 16 point 13): a labelled choice on the
application's contact step, Dutch unless it chooses English, sent to the API as contact.language and
shown on the application's pages."""

from __future__ import annotations

import re

import test_portal_pages
from test_portal_pages import call, csrf_of, event, signed_in

world = test_portal_pages.world  # the pages' fixture: fakes for the API, the sessions and the issuer

DRAFT = {"id": "a1", "status": "draft", "enterprise_number": "0403170701", "establishment_number": "2123456791",
         "training_code": "ruwbouw-duaal", "kind": "new", "contact": {"name": "An", "email": "an@example.be"}}


def radio(body: str, value: str) -> str:
    found = re.search(rf'<input type="radio" id="f-contact-language-{value}" name="contact.language" '
                      rf'value="{value}"[^>]*>', body)
    assert found, body
    return found.group(0)


def test_the_contact_step_offers_the_language_as_a_labelled_choice_with_dutch_chosen_by_default(world):
    cookies = signed_in(world)
    world["api"].answer("GET", "/applications/a1", 200, DRAFT)
    shown = call(event("GET", "/portal/applications/a1/edit/contact", cookies=cookies))
    assert shown["statusCode"] == 200
    body = shown["body"]
    assert "<legend>Taal van de kennisgevingen en e-mails</legend>" in body
    assert "checked" in radio(body, "nl") and "checked" not in radio(body, "en")
    assert '<label for="f-contact-language-nl">' in body and '<label for="f-contact-language-en">' in body
    world["api"].answer("GET", "/applications/a1", 200, {**DRAFT, "contact": {**DRAFT["contact"], "language": "en"}})
    again = call(event("GET", "/portal/applications/a1/edit/contact", cookies=cookies))["body"]
    assert "checked" in radio(again, "en") and "checked" not in radio(again, "nl")


def test_the_chosen_language_is_sent_with_the_contact_and_dutch_when_none_is_chosen(world):
    cookies = signed_in(world)
    world["api"].answer("GET", "/applications/a1", 200, DRAFT)
    world["api"].answer("PATCH", "/applications/a1", 200, DRAFT)
    for chosen, sent in (("en", "en"), (None, "nl")):
        form = {"csrf_token": csrf_of(world), "idempotency_key": f"k-{chosen}", "contact.name": "An",
                "contact.email": "an@example.be", **({"contact.language": chosen} if chosen else {})}
        moved = call(event("POST", "/portal/applications/a1/edit/contact", cookies=cookies, form=form))
        assert moved["statusCode"] == 303, moved["body"]
        method, path, body, _ = world["api"].calls[-1]
        assert (method, path) == ("PATCH", "/applications/a1") and body["contact"]["language"] == sent


def test_the_application_page_and_the_summary_show_the_language(world):
    cookies = signed_in(world)
    submitted = {**DRAFT, "status": "submitted", "submitted_at": "2027-03-01T09:00:00Z", "decision_due": "2027-04-01",
                 "contact": {**DRAFT["contact"], "language": "en"}}
    world["api"].answer("GET", "/applications/a1", 200, submitted)
    world["api"].answer("GET", "/applications/a1/history", 200, [])
    world["api"].answer("GET", "/notices", 200, [])
    shown = call(event("GET", "/portal/applications/a1", cookies=cookies))
    assert shown["statusCode"] == 200, shown["body"]
    assert re.search(r"<dt>Taal van de kennisgevingen en e-mails</dt><dd>Engels", shown["body"]), shown["body"]
    world["api"].answer("GET", "/applications/a1", 200, DRAFT)  # no language yet: Dutch, the procedure's
    summary = call(event("GET", "/portal/applications/a1/edit/review", cookies=cookies))["body"]
    assert re.search(r"<dt>Taal van de kennisgevingen en e-mails</dt>\s*<dd>Nederlands", summary), summary
