"""The portal in headless Chromium, as a person who never saw the API would use it (issue 14).

The employer logs in at the local OpenID provider, files an application step by step with the
keyboard (fields filled, forms sent with Enter), uploads a real PDF per mentor straight to S3,
submits, sees it routed, and after the partnership decides (through the API) reads the decision
and opens the notice's PDF. Another test lodges an appeal against a refusal; another checks the
register and "verify a workplace". axe-core runs on every page visited.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import requests
from testkit.client import Api
from testkit.identifiers import enterprise_number, establishment_number

pytestmark = pytest.mark.e2e


# ------------------------------------------------------------------ identities and files
def real_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text in Helvetica, as a scanner or a word processor makes it."""
    line = f"Uittreksel uit het strafregister (model 596.2): {text}".encode("latin-1")
    content = b"BT /F1 12 Tf 72 770 Td (" + line.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj ET"
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
              b"/Resources << /Font << /F1 5 0 R >> >> >>",
              b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


# ------------------------------------------------------------------ the API, for what the partnership does
def api(rt, method: str, path: str, token: str | None = None, body: Any = None) -> requests.Response:
    return Api(rt).request(method, path, token, body)


def decide(rt, application: dict, outcome: str) -> dict:
    partnership = rt.token("partnership", partnership_id=application["partnership_id"])
    body = {"outcome": outcome, "reasons": [] if outcome == "approved" else ["The mentor's experience is not shown."]}
    decided = api(rt, "POST", f"/review/applications/{application['id']}/decision", partnership, body)
    assert decided.status_code == 201, decided.text
    rt.settle(timeout=60)
    return decided.json()


def submitted_via_api(rt, enterprise: str, *, joint_committee: str = "200", company: str = "Garage Peeters") -> dict:
    """A complete application, submitted and routed, as an API client would file it (joint committee
    200 goes to the VPDL, 124 to the construction partnership)."""
    token = rt.token("employer", enterprise_number=enterprise)
    today = rt.now().date()
    draft = api(rt, "POST", "/applications", token, {
        "enterprise_number": enterprise, "establishment_number": establishment_number(),
        "training_code": api(rt, "GET", "/trainings").json()[0]["code"], "kind": "new",
        "company": {"name": company, "joint_committee": joint_committee,
                    "address": {"street": "Markt 3", "postal_code": "2000", "city": "Antwerpen"}},
        "contact": {"name": "Els Peeters", "email": "els@example.be"},
        "mentors": [{"first_name": "Jan", "last_name": "Janssens", "national_register_number": "80031512361",
                     "experience_years": 12, "extract_issued_on": (today - timedelta(days=20)).isoformat()}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True}})
    assert draft.status_code == 201, draft.text
    application = draft.json()
    pdf = real_pdf("Jan Janssens")
    ticket = api(rt, "POST", f"/applications/{application['id']}/documents", token, {
        "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
        "size_bytes": len(pdf), "mentor_index": 0}).json()
    put = requests.request(ticket.get("upload_method", "PUT"), ticket["upload_url"], data=pdf,
                           headers=ticket.get("upload_headers") or {}, timeout=30)
    assert put.status_code in (200, 204), put.text
    assert api(rt, "POST", f"/applications/{application['id']}/submit", token).status_code == 202
    rt.settle(timeout=60)
    return api(rt, "GET", f"/applications/{application['id']}", token).json()


# ------------------------------------------------------------------ the browser
def log_in(page, axe, *, enterprise: str, next_path: str = "/portal/applications") -> None:
    page.goto(f"/portal/login?next={next_path}")
    assert "/_local/oidc/authorize" in page.url
    axe(page)
    page.get_by_role("radio", name=re.compile("^Werkgever")).check()
    page.get_by_label("Ondernemingsnummer (werkgever)").fill(enterprise)
    page.get_by_label("Ondernemingsnummer (werkgever)").press("Enter")
    page.wait_for_url(re.compile(re.escape(next_path.split("?")[0])))


def wait_until(condition, seconds: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not change in time"
        time.sleep(0.05)


def save_with_enter(page, label: str) -> None:
    """Send the step's form from the keyboard: Enter in one of its fields."""
    page.get_by_label(label, exact=True).press("Enter")
    page.wait_for_load_state()


def test_an_employer_applies_uploads_submits_and_reads_the_decision_in_the_browser(page, axe, browser_runtime):
    rt = browser_runtime
    enterprise = enterprise_number()
    today = rt.now().date()

    page.goto("/")
    axe(page)
    page.keyboard.press("Tab")  # the first stop is the skip link, for keyboard users
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.get_by_role("link", name="Aanmelden en aanvragen").click()
    assert "/_local/oidc/authorize" in page.url
    page.get_by_label("Ondernemingsnummer (werkgever)").fill(enterprise)
    page.get_by_role("button", name="Aanmelden").press("Enter")
    page.wait_for_url("**/portal/applications")
    axe(page)
    assert page.get_by_text("U hebt nog geen aanvragen.").is_visible()

    # Step 1: enterprise and training, the training picked from the searchable catalogue (htmx)
    page.get_by_role("link", name="Nieuwe aanvraag").click()
    axe(page)
    page.get_by_label("Vestigingseenheidsnummer").fill(establishment_number())
    page.get_by_label("Zoek een opleiding").press_sequentially("bakker")
    wait_until(lambda: page.locator("#f-training_code option").count() < 10)
    options = page.locator("#f-training_code option").all_inner_texts()
    assert options[1:] and all("bakker" in o.lower() for o in options[1:]), options
    page.get_by_label("Opleiding", exact=True).select_option(label=options[1])
    page.get_by_label("Nieuwe erkenning").check()
    page.get_by_role("button", name="Opslaan en verder").press("Enter")
    page.wait_for_url("**/edit/company?msg=saved")
    assert page.get_by_role("status").get_by_text("Uw ontwerp is bewaard.").is_visible()
    axe(page)

    # Step 2: a wrong postal code is refused next to its field, then fixed
    page.get_by_label("Naam van de onderneming").fill("Bakkerij De Appel")
    page.get_by_label("Paritair comité").fill("200")
    page.get_by_label("Straat en nummer").fill("Kerkstraat 1")
    page.get_by_label("Postcode").fill("90")
    page.get_by_label("Gemeente").fill("Gent")
    save_with_enter(page, "Gemeente")
    postal = page.get_by_label("Postcode")
    assert postal.get_attribute("aria-invalid") == "true"
    described = postal.get_attribute("aria-describedby") or ""
    assert "f-company-address-postal_code-error" in described
    assert page.locator("#f-company-address-postal_code-error").inner_text().strip()
    axe(page)
    postal.fill("9000")
    save_with_enter(page, "Postcode")
    page.wait_for_url("**/edit/contact?msg=saved")

    # Step 3: contact
    page.get_by_label("Naam", exact=True).fill("An Peeters")
    page.get_by_label("E-mailadres").fill("an@example.be")
    save_with_enter(page, "E-mailadres")
    page.wait_for_url("**/edit/mentors?msg=saved")
    axe(page)

    # Step 4: two mentors, the second added with "save and add another"
    extract_date = (today - timedelta(days=30)).isoformat()
    for index, (first, last, number) in enumerate([("Jan", "Janssens", "80031512361"), ("Mia", "Maes", "80031512361")]):
        row = page.locator("fieldset.mentor").nth(index)
        row.get_by_label("Voornaam").fill(first)
        row.get_by_label("Familienaam").fill(last)
        row.get_by_label("Rijksregisternummer").fill(number)
        row.get_by_label("Jaren praktijkervaring in het beroep").fill("12")
        row.get_by_label("Nee").check()
        row.get_by_label("Datum van het uittreksel uit het strafregister (model 596.2)").fill(extract_date)
        if index == 0:
            page.get_by_role("button", name="Opslaan en nog een mentor toevoegen").press("Enter")
            page.wait_for_url("**/edit/mentors?msg=saved")
            # the saved number is masked: it must be typed again when the list is saved again
            page.locator("fieldset.mentor").nth(0).get_by_label("Rijksregisternummer").fill(number)
    page.get_by_role("button", name="Opslaan en verder").press("Enter")
    page.wait_for_url("**/edit/conditions?msg=saved")

    # Step 5: the four conditions and the sworn statement
    axe(page)  # the conditions page as it first shows, without errors
    for question in ("organisatie en de uitrusting", "financiële draagkracht", "vrij van veroordelingen"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("Ja").check()
    page.get_by_label("Ik verklaar op eer").check()
    page.get_by_label("Ik verklaar op eer").press("Enter")
    page.wait_for_url("**/edit/documents?msg=saved")
    axe(page)

    # Step 6: a wrong type is refused in the browser; then one real PDF per mentor, straight to S3
    slots = page.locator("section.upload-slot")
    first = slots.filter(has_text="Jan Janssens")
    first.locator("input[type=file]").set_input_files(
        files=[{"name": "cv.txt", "mimeType": "text/plain", "buffer": b"x"}]
    )
    assert "PDF, PNG of JPEG" in first.locator(".upload-status").inner_text()
    for name in ("Jan Janssens", "Mia Maes"):
        slot = page.locator("section.upload-slot").filter(has_text=name)
        slot.locator("input[type=file]").set_input_files(
            files=[
                {
                    "name": f"uittreksel-{name.split()[0].lower()}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": real_pdf(name),
                }
            ]
        )
        page.locator("section.upload-slot").filter(has_text=name).get_by_text(
            re.compile(r"Opgeladen: uittreksel-")
        ).wait_for()
    axe(page)

    # Step 7: check and submit
    page.get_by_role("link", name="Nakijken en indienen").first.click()
    axe(page)
    page.get_by_role("button", name="Aanvraag indienen").press("Enter")
    page.wait_for_url(re.compile(r"/portal/applications/[^/]+\?msg=submitted$"))
    assert page.get_by_text("Uw aanvraag is ingediend.").is_visible()
    application_id = page.url.split("/portal/applications/")[1].split("?")[0]

    rt.settle(timeout=60)
    page.reload()
    assert page.locator("#partnership").inner_text() != "Uw aanvraag wordt naar het bevoegde partnerschap gestuurd."
    assert page.get_by_text("In behandeling").first.is_visible()
    assert page.get_by_text("Doorgestuurd naar").is_visible()
    axe(page)

    # The partnership decides through the API; the employer reads the decision and opens the notice's PDF
    employer = rt.token("employer", enterprise_number=enterprise)
    application = api(rt, "GET", f"/applications/{application_id}", employer).json()
    decision = decide(rt, application, "approved")
    page.reload()
    assert page.get_by_role("heading", name="Beslissing: Erkend").is_visible()
    pdf_link = page.get_by_role("link", name=re.compile("PDF van de kennisgeving")).first
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF"), (pdf.status, pdf.body()[:40])
    page.get_by_role("link", name="Kennisgevingen").click()
    assert page.get_by_role("heading", name=re.compile("Erkenning")).first.is_visible()
    axe(page)

    # and the list shows it recognised, in English on the switch
    page.get_by_role("link", name="Mijn aanvragen").click()
    assert page.get_by_text("Erkend").first.is_visible()
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="My applications").is_visible()
    assert page.get_by_text("Recognised").first.is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)
    assert decision["recognition_id"]
    axe.assert_clean()


def test_an_employer_lodges_an_appeal_against_a_refusal_with_the_last_day_shown(page, axe, browser_runtime):
    rt = browser_runtime
    enterprise = enterprise_number()
    refused = decide(rt, submitted_via_api(rt, enterprise), "refused")

    log_in(page, axe, enterprise=enterprise, next_path="/portal/notices")
    axe(page)
    assert page.get_by_role("heading", name=re.compile("Weigering")).is_visible()
    page.get_by_role("link", name=re.compile("^Beroep instellen")).first.click()
    axe(page)
    deadline = page.locator("#appeal-deadline").inner_text()
    assert deadline.startswith("Laatste dag om beroep in te stellen:"), deadline
    page.get_by_role("button", name="Beroep indienen").press("Enter")  # no grounds: refused at the field
    assert page.get_by_label("Waarom gaat u in beroep?").get_attribute("aria-invalid") == "true"
    axe(page)
    page.get_by_label("Waarom gaat u in beroep?").fill(
        "De mentor heeft twaalf jaar ervaring; zie het cv in het dossier."
    )
    page.get_by_role("button", name="Beroep indienen").press("Enter")
    page.wait_for_url(re.compile(r"/portal/appeals/[^/]+\?msg=lodged$"))
    assert page.locator("#appeal-status").inner_text() == "Ingediend"
    assert page.get_by_text("Beroepstermijn tot en met").is_visible()
    axe(page)
    appeal_id = page.url.split("/portal/appeals/")[1].split("?")[0]
    seen = api(rt, "GET", f"/appeals/{appeal_id}", rt.token("employer", enterprise_number=enterprise)).json()
    assert seen["subject_id"] == refused["decision_id"] and seen["status"] == "lodged"

    # the rest of the employer's pages pass axe too: the appeals list, support, the mailbox, an error page
    page.get_by_role("link", name="Beroepen").click()
    page.get_by_role("heading", name="Mijn beroepen").wait_for()
    axe(page)
    page.get_by_role("link", name="Ondersteuning").click()
    page.get_by_role("heading", name="Ondersteuning vragen").wait_for()
    axe(page)
    page.get_by_role("link", name="Mailbox (lokaal)").click()
    page.get_by_role("heading", name="Mailbox van de lokale omgeving").wait_for()
    assert page.locator("article.mail").count() >= 1  # the notices sent so far
    axe(page)
    missing = page.goto("/portal/no-such-page")
    assert missing is not None and missing.status == 404
    axe(page)
    axe.assert_clean()


def test_an_intermediary_with_two_mandates_chooses_the_enterprise_it_acts_for(page, axe, browser_runtime):
    first, second = enterprise_number(), enterprise_number()
    page.goto("/portal/login?next=/portal/applications")
    page.get_by_role("radio", name=re.compile("^Intermediair")).check()
    page.get_by_label("Mandaten").fill(f"{first}, {second}")
    page.get_by_label("Mandaten").press("Enter")
    page.wait_for_url(re.compile(r"/portal/enterprise\?next="))
    axe(page)
    choice = page.get_by_role("radio", name=f"{second[:4]}.{second[4:7]}.{second[7:]}")
    choice.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Kiezen").press("Enter")
    page.wait_for_url("**/portal/applications")
    assert page.get_by_text(f"U handelt voor onderneming {second}.").is_visible()
    axe.assert_clean()


def test_an_education_provider_checks_the_register_and_verifies_a_workplace_without_logging_in(
    page, axe, browser_runtime
):
    rt = browser_runtime
    enterprise = enterprise_number()
    application = submitted_via_api(rt, enterprise)
    decision = decide(rt, application, "approved")

    page.goto("/portal/register")
    axe(page)
    page.get_by_label("Ondernemingsnummer").fill(enterprise)
    page.get_by_label("Ondernemingsnummer").press("Enter")
    page.locator("#register-results").get_by_text("Garage Peeters").wait_for()
    assert page.get_by_role("heading", name="1 erkende leerwerkplek").is_visible()
    assert "enterprise_number=" + enterprise in page.url  # htmx pushed the search into the address
    axe(page)

    page.get_by_role("link", name="Leerwerkplek controleren").click()
    page.get_by_label("Ondernemingsnummer").fill(enterprise)
    page.get_by_label("Vestigingseenheidsnummer").fill(application["establishment_number"])
    page.get_by_label("Opleiding", exact=True).select_option(application["training_code"])
    page.get_by_role("button", name="Controleren").press("Enter")
    sentence = page.locator("#verify-answer .answer-sentence").inner_text()
    assert sentence.startswith("Ja: vestiging " + application["establishment_number"]), sentence
    assert "tot en met" in sentence
    assert page.get_by_text(decision["recognition_id"]).is_visible()
    axe(page)

    page.get_by_label("Vestigingseenheidsnummer").fill(establishment_number())
    page.get_by_role("button", name="Controleren").press("Enter")
    assert page.locator("#verify-answer .answer-sentence").inner_text().startswith("Nee: vestiging")
    axe.assert_clean()
