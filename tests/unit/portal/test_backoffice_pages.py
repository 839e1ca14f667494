"""The back-office pages (issue 15) with fakes for the API, the sessions and the issuer: what each
page asks the API with the user's token, what it shows, and that 409 and 422 stay on the page."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from test_portal_pages import FakeApi, FakeIssuer, call, event

from kernel import clock
from kernel.calendar import local_date
from portal import bootstrap
from portal.adapters.sessions import InMemorySessionStore
from portal.bootstrap import PortalSettings
from portal.usecases.ports import Ports

NRN = "80031512361"


@pytest.fixture
def office():
    api, issuer, store = FakeApi(), FakeIssuer(), InMemorySessionStore()
    bootstrap.override(Ports(api=api, sessions=store, identity=issuer, now=lambda: 1_000_000.0),
                       PortalSettings(table_name="t", oidc_issuer="https://issuer.example", oidc_client_id="portal",
                                      oidc_client_secret_arn="arn"))
    yield {"api": api, "issuer": issuer, "store": store}
    bootstrap.reset()


def log_in(office, claims: dict) -> dict[str, str]:
    office["issuer"].claims = claims
    started = call(event("GET", "/portal/login"))
    state = parse_qs(urlsplit(started["headers"]["Location"]).query)["state"][0]
    back = call(event("GET", "/portal/auth/callback", query={"code": "good", "state": state},
                      cookies={"lwp_login": started["set_cookies"]["lwp_login"]}))
    office["landing"] = back["headers"]["Location"]
    return {"lwp_session": back["set_cookies"]["lwp_session"]}


def partnership(office, partnership_id: str = "horeca") -> dict[str, str]:
    return log_in(office, {"sub": f"p-{partnership_id}", "role": "partnership", "partnership_id": partnership_id})


def committee(office) -> dict[str, str]:
    return log_in(office, {"sub": "c1", "role": "appeals"})


def csrf(office) -> str:
    return next(iter(office["store"].sessions.values())).csrf_token


def today() -> date:
    return local_date(clock.now())


def queue_item(application_id: str, partnership_id: str = "horeca", *, status: str = "in_review", due: int = 5,
               training: str = "t1", overdue: bool = False) -> dict:
    return {"application_id": application_id, "partnership_id": partnership_id, "status": status, "kind": "new",
            "enterprise_number": "0403170701", "establishment_number": "2123456791", "training_code": training,
            "company_name": f"Company {application_id}", "submitted_at": "2030-01-01T09:00:00Z",
            "routed_at": "2030-01-01T09:00:05Z", "decision_due": (today() + timedelta(days=due)).isoformat(),
            "days_left": due, "overdue": overdue, "open_questions": 0}


def full_file(application_id: str = "a1", **extra) -> dict:
    return {**queue_item(application_id), "application": {
        "application_id": application_id, "enterprise_number": "0403170701", "establishment_number": "2123456791",
        "training_code": "t1", "kind": "new", "submitted_at": "2030-01-01T09:00:00Z",
        "company": {"name": "Hotel Zon", "joint_committee": "302",
                    "address": {"street": "Zeedijk 1", "postal_code": "8400", "city": "Oostende"}},
        "contact": {"name": "Els", "email": "els@example.be"},
        "mentors": [{"mentor_id": "m1", "first_name": "Jan", "last_name": "Janssens", "national_register_number": NRN,
                     "experience_years": 12, "derogation": False, "extract_issued_on": "2030-01-01"}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": False,
                         "no_disqualifying_convictions": True, "sworn_statement": True}},
        "documents": [{"id": "d1", "type": "criminal_record_extract", "filename": "extract.pdf",
                       "content_type": "application/pdf", "size_bytes": 2048, "mentor": {"first_name": "Jan",
                       "last_name": "Janssens"}, "download_url": "https://bucket.example/extract?sig=1"}],
        "questions": [], "answers": [], "site_visits": [], **extra}


# ---------------------------------------------------------------------- the work queue
def test_a_partnership_lands_on_its_queue_with_counts_filters_and_the_earliest_decision_first(office):
    cookies = partnership(office)
    assert office["landing"] == "/portal/review"
    office["api"].answer("GET", "/review/queue", 200, [
        queue_item("late", due=-2, overdue=True), queue_item("soon", due=3), queue_item("later", due=9, training="t2"),
        queue_item("done", status="approved", due=1), queue_item("theirs", "construction", due=-4, overdue=True)])
    page = call(event("GET", "/portal/review", cookies=cookies))
    body = page["body"]
    assert page["statusCode"] == 200
    assert ("GET", "/review/queue", None, "access-1") in office["api"].calls
    assert "Company theirs" not in body  # another partnership's file is not this one's work
    assert "Company done" not in body  # the queue opens on the open files; decided ones are a filter away
    assert "Company done" in call(event("GET", "/portal/review", query={"status": "all"}, cookies=cookies))["body"]
    assert body.index("Company late") < body.index("Company soon") < body.index("Company later")
    assert 'class="row-overdue"' in body and "Te laat:" in body and "2 dagen over de termijn" in body
    assert "In behandeling <span class=\"count\">3</span>" in body and "Erkend <span class=\"count\">1</span>" in body
    assert "Termijn overschreden <span class=\"count\">1</span>" in body
    only_t2 = call(event("GET", "/portal/review", query={"training": "t2"}, cookies=cookies))["body"]
    assert "Company later" in only_t2 and "Company soon" not in only_t2
    overdue = call(event("GET", "/portal/review", query={"status": "overdue"}, cookies=cookies))["body"]
    assert "Company late" in overdue and "Company soon" not in overdue


def test_vpdl_supervision_shows_every_overdue_file_with_dates_and_state_only(office):
    cookies = partnership(office, "vpdl")
    leaky = {**queue_item("theirs", "construction", due=-4, overdue=True),
             "application": {"mentors": [{"first_name": "Jan", "national_register_number": NRN}]}}
    office["api"].answer("GET", "/review/queue", 200, [leaky])
    page = call(event("GET", "/portal/review/supervision", cookies=cookies))
    assert page["statusCode"] == 200
    assert "Sectoraal Partnerschap Bouw" in page["body"] and "theirs" in page["body"]
    assert NRN not in page["body"] and "Jan" not in page["body"]
    opened = call(event("GET", "/portal/review/applications/theirs", cookies=cookies))
    assert opened["statusCode"] == 200 and NRN not in opened["body"] and "Dossier onder toezicht" in opened["body"]
    assert not [c for c in office["api"].calls if c[1].startswith("/review/applications/")]  # no links made or logged
    office["api"].answer("GET", "/review/applications/theirs", 200, full_file("theirs", partnership_id="construction"))
    assert call(event("GET", "/portal/review/applications/theirs/documents/d1", cookies=cookies))["statusCode"] == 404
    other = partnership(office, "horeca")
    assert call(event("GET", "/portal/review/supervision", cookies=other))["statusCode"] == 403


def test_the_file_shows_what_only_the_competent_partnership_sees_and_documents_open_through_fresh_links(office):
    cookies = partnership(office)
    office["api"].answer("GET", "/review/applications/a1", 200, full_file())
    page = call(event("GET", "/portal/review/applications/a1", cookies=cookies))
    body = page["body"]
    assert page["statusCode"] == 200
    assert NRN in body and "Hotel Zon" in body and "Zeedijk 1" in body
    assert "te beoordelen door het partnerschap" in body  # the condition answered "no"
    assert 'href="/portal/review/applications/a1/documents/d1"' in body and "bucket.example" not in body
    opened = call(event("GET", "/portal/review/applications/a1/documents/d1", cookies=cookies))
    assert opened["statusCode"] == 303 and opened["headers"]["Location"] == "https://bucket.example/extract?sig=1"


def test_a_question_goes_to_the_api_with_the_forms_key_and_an_empty_one_is_refused_at_its_field(office):
    cookies = partnership(office)
    office["api"].answer("GET", "/review/applications/a1", 200, full_file())
    empty = call(event("POST", "/portal/review/applications/a1/questions", cookies=cookies,
                       form={"csrf_token": csrf(office), "idempotency_key": "k1", "message": "  "}))
    assert empty["statusCode"] == 422 and 'id="f-message-error"' in empty["body"]
    assert not [c for c in office["api"].calls if c[0] == "POST"]
    office["api"].answer("POST", "/review/applications/a1/questions", 201, {"question_id": "q1"})
    sent = call(event("POST", "/portal/review/applications/a1/questions", cookies=cookies,
                      form={"csrf_token": csrf(office), "idempotency_key": "k1", "message": "Welk diploma?"}))
    assert sent["statusCode"] == 303 and "msg=asked" in sent["headers"]["Location"]
    assert office["api"].calls[-1][2] == {"message": "Welk diploma?"}


def test_a_decision_shows_the_rules_outcome_before_it_is_confirmed(office):
    cookies = partnership(office)
    office["api"].answer("GET", "/review/applications/a1", 200, full_file())
    form = {"csrf_token": csrf(office), "outcome": "refused", "reasons": "", "action": "preview"}
    refused_bare = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies, form=form))
    assert refused_bare["statusCode"] == 422 and 'id="f-reasons-error"' in refused_bare["body"]

    approve = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                         form={**form, "outcome": "approved"}))
    until = today().replace(year=today().year + 5) - timedelta(days=1)
    assert approve["statusCode"] == 200
    assert f"tot en met {until.day} " in approve["body"] and str(until.year) in approve["body"]
    refuse = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                        form={**form, "reasons": "Geen mentor met ervaring.\nGeen uitrusting."}))
    assert "beroep mogelijk tot en met" in refuse["body"] and "<li>Geen uitrusting.</li>" in refuse["body"]
    assert not [c for c in office["api"].calls if c[0] == "POST"]  # nothing sent before the confirmation

    office["api"].answer("POST", "/review/applications/a1/decision", 201, {"decision_id": "dec1"})
    confirmed = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                           form={**form, "reasons": "Geen mentor met ervaring.\nGeen uitrusting.", "action": "confirm",
                                 "idempotency_key": "key-of-the-preview"}))
    assert confirmed["statusCode"] == 303
    method, path, body, token = office["api"].calls[-1]
    assert (method, path, token) == ("POST", "/review/applications/a1/decision", "access-1")
    assert body == {"outcome": "refused", "reasons": ["Geen mentor met ervaring.", "Geen uitrusting."]}

    office["api"].answer("POST", "/review/applications/a1/decision", 409,
                         {"title": "Conflict", "detail": "The application has already been decided."})
    again = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                       form={**form, "outcome": "approved", "action": "confirm", "idempotency_key": "other"}))
    assert again["statusCode"] == 409
    assert "The application has already been decided." in again["body"] and "Vragen en antwoorden" in again["body"]


def test_a_renewal_decided_in_time_starts_the_day_after_the_old_recognition(office):
    cookies = partnership(office)
    old_until = today() + timedelta(days=20)
    renewal = full_file()
    renewal["application"] |= {"kind": "renewal", "renews_recognition_id": "r-old"}
    office["api"].answer("GET", "/review/applications/a1", 200, renewal)
    office["api"].answer("GET", "/review/recognitions/r-old", 200, {"recognition_id": "r-old", "status": "active",
                                                                    "valid_from": "2026-01-01",
                                                                    "valid_until": old_until.isoformat()})
    shown = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                       form={"csrf_token": csrf(office), "outcome": "approved", "action": "preview"}))
    start = old_until + timedelta(days=1)
    assert f"van {start.day} " in shown["body"] and "zonder onderbreking" in shown["body"]


# ---------------------------------------------------------------------- measures
def recognition(rid: str, establishment: str = "2123456791", status: str = "active", training: str = "t1") -> dict:
    return {"recognition_id": rid, "enterprise_number": "0403170701", "establishment_number": establishment,
            "training_code": training, "company_name": f"Company {rid}", "partnership_id": "horeca",
            "valid_from": "2030-01-01", "valid_until": "2034-12-31", "status": status,
            "mentors": [{"index": 0, "first_name": "Jan", "last_name": "Janssens",
                         "national_register_number": "800315*****", "banned": False}]}


def test_a_measure_lists_its_effects_before_it_is_imposed(office):
    cookies = partnership(office)
    mine = [recognition("r1"), recognition("r2", establishment="2987654321"), recognition("r3", status="expired")]
    office["api"].answer("GET", "/review/recognitions", 200, {"items": mine, "next_cursor": None})
    office["api"].answer("GET", "/review/recognitions/r1", 200, mine[0])
    base = {"csrf_token": csrf(office), "reason": "Geen begeleiding.", "action": "preview"}
    no_plan = call(event("POST", "/portal/review/recognitions/r1/measure", cookies=cookies,
                         form={**base, "type": "guidance"}))
    assert no_plan["statusCode"] == 422 and 'id="f-plan-error"' in no_plan["body"]

    revocation = call(
        event("POST", "/portal/review/recognitions/r1/measure", cookies=cookies, form={**base, "type": "revocation"})
    )["body"]
    assert "Eindigt: de erkenning van Company r1" in revocation and "Company r2" not in revocation
    assert "Beroep mogelijk tot en met" in revocation
    exclusion = call(
        event(
            "POST",
            "/portal/review/recognitions/r1/measure",
            cookies=cookies,
            form={**base, "type": "exclusion", "scope": "enterprise"},
        )
    )["body"]
    assert "Eindigt: de erkenning van Company r1" in exclusion and "Eindigt: de erkenning van Company r2" in exclusion
    assert "Company r3" not in exclusion.split('id="measure-effects"')[1].split("</section>")[0]
    guidance = call(
        event(
            "POST",
            "/portal/review/recognitions/r1/measure",
            cookies=cookies,
            form={
                **base,
                "type": "guidance",
                "plan": "Mentoropleiding volgen.",
                "due_date": (today() + timedelta(days=30)).isoformat(),
            },
        )
    )["body"]
    assert "Er eindigt geen erkenning" in guidance and "geen beroep" in guidance
    assert not [c for c in office["api"].calls if c[0] == "POST"]

    office["api"].answer(
        "POST",
        "/review/recognitions/r1/measures",
        422,
        {
            "title": "Unprocessable",
            "errors": [{"field": "effective_on", "code": "after_validity", "message": "must not be after valid_until"}],
        },
    )
    refused = call(
        event(
            "POST",
            "/portal/review/recognitions/r1/measure",
            cookies=cookies,
            form={
                **base,
                "type": "revocation",
                "effective_on": "2040-01-01",
                "action": "confirm",
                "idempotency_key": "m1",
            },
        )
    )
    assert refused["statusCode"] == 422 and "De erkenning eindigt vóór deze datum." in refused["body"]
    (sent,) = [c for c in office["api"].calls if c[0] == "POST"]
    assert sent[1:3] == (
        "/review/recognitions/r1/measures",
        {"type": "revocation", "reason": "Geen begeleiding.", "effective_on": "2040-01-01"},
    )


# ---------------------------------------------------------------------- the appeal committee
def appeal(status: str = "lodged", **extra) -> dict:
    return {
        "id": "ap1",
        "subject_id": "dec1",
        "subject_kind": "decision",
        "subject_type": "refused",
        "enterprise_number": "0403170701",
        "partnership_id": "horeca",
        "status": status,
        "grounds": "Wel ervaring.",
        "lodged_at": "2030-01-03T10:00:00Z",
        "appeal_deadline": "2030-01-11",
        "appeal_deadline_basis": "notice",
        "acknowledgement_due": "2030-01-13",
        "acknowledgement_overdue": False,
        "decision_due": None,
        **extra,
    }


def test_the_committee_queue_shows_the_acknowledgement_terms_and_a_count_per_state(office):
    cookies = committee(office)
    assert office["landing"] == "/portal/committee"
    office["api"].answer("GET", "/appeals", 200, [appeal(), appeal("upheld", id="ap2")])
    page = call(event("GET", "/portal/committee", cookies=cookies))
    assert page["statusCode"] == 200
    assert "13 januari 2030" in page["body"] and "Weigering van de erkenning" in page["body"]
    assert (
        'Ingediend <span class="count">1</span>' in page["body"]
        and 'Gegrond <span class="count">1</span>' in page["body"]
    )


def test_admissibility_needs_reasons_when_refused_and_a_double_click_lands_on_the_recorded_result(office):
    cookies = committee(office)
    office["api"].answer("GET", "/appeals/ap1", 200, appeal())
    office["api"].answer("GET", "/notices", 403, {"title": "Forbidden"})
    shown = call(event("GET", "/portal/committee/appeals/ap1", cookies=cookies))
    assert shown["statusCode"] == 200 and "Het beroep kwam binnen de termijn." in shown["body"]
    assert "nog niet via de API" in shown["body"]  # the notice is not the committee's to read yet
    form = {"csrf_token": csrf(office), "idempotency_key": "k", "admissible": "no"}
    bare = call(event("POST", "/portal/committee/appeals/ap1/admissibility", cookies=cookies, form=form))
    assert bare["statusCode"] == 422 and "f-reasons-error" in bare["body"]
    assert not [c for c in office["api"].calls if c[0] == "POST"]

    office["api"].answer("POST", "/appeals/ap1/admissibility", 409, {"title": "Conflict", "detail": "Not lodged."})
    office["api"].answer(
        "GET",
        "/appeals/ap1",
        200,
        appeal(
            "admissible",
            admissibility={
                "admissible": True,
                "reasons": [],
                "decided_at": "2030-01-04T09:00:00Z",
                "decided_by": "coordinator",
            },
        ),
    )
    twice = call(
        event(
            "POST", "/portal/committee/appeals/ap1/admissibility", cookies=cookies, form={**form, "admissible": "yes"}
        )
    )
    assert twice["statusCode"] == 303 and twice["headers"]["Location"].endswith("msg=admissibility")
    conflict = call(
        event(
            "POST",
            "/portal/committee/appeals/ap1/admissibility",
            cookies=cookies,
            form={**form, "admissible": "no", "reason.deadline_passed": "1"},
        )
    )
    assert conflict["statusCode"] == 409 and "Not lodged." in conflict["body"]
    last_post = [c for c in office["api"].calls if c[0] == "POST"][-1]
    assert last_post[2] == {"admissible": False, "reasons": ["deadline_passed"]}


def test_a_ruling_needs_an_outcome_and_reasons(office):
    cookies = committee(office)
    office["api"].answer("GET", "/appeals/ap1", 200, appeal("admissible"))
    form = {"csrf_token": csrf(office), "idempotency_key": "k", "outcome": "upheld", "reasons": ""}
    bare = call(event("POST", "/portal/committee/appeals/ap1/ruling", cookies=cookies, form=form))
    assert bare["statusCode"] == 422 and 'id="f-reasons-error"' in bare["body"]
    office["api"].answer("POST", "/appeals/ap1/decision", 200, appeal("upheld"))
    done = call(
        event(
            "POST",
            "/portal/committee/appeals/ap1/ruling",
            cookies=cookies,
            form={**form, "reasons": "De mentor heeft voldoende ervaring."},
        )
    )
    assert done["statusCode"] == 303
    assert office["api"].calls[-1][2] == {"outcome": "upheld", "reasons": ["De mentor heeft voldoende ervaring."]}


def test_staff_on_a_company_page_go_to_their_own_start_page(office):
    cookies = committee(office)
    moved = call(event("GET", "/portal/applications", cookies=cookies))
    assert moved["statusCode"] == 303 and moved["headers"]["Location"] == "/portal/committee"
    employer = log_in(office, {"sub": "e", "role": "employer", "enterprise_number": "0403170701"})
    assert call(event("GET", "/portal/review", cookies=employer))["headers"]["Location"] == "/portal/applications"


def test_the_second_click_on_a_confirmed_decision_lands_on_it_instead_of_a_conflict(office):
    cookies = partnership(office)
    decided = full_file(
        status="refused",
        decision={
            "decision_id": "dec1",
            "outcome": "refused",
            "reasons": ["Geen mentor."],
            "decided_at": "2030-01-05T10:00:00Z",
        },
    )
    office["api"].answer("GET", "/review/applications/a1", 200, decided)
    form = {
        "csrf_token": csrf(office),
        "idempotency_key": "k",
        "outcome": "refused",
        "reasons": "Geen mentor.",
        "action": "confirm",
    }
    again = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies, form=form))
    assert again["statusCode"] == 303 and again["headers"]["Location"].endswith("msg=decided#decision")
    other = call(
        event(
            "POST",
            "/portal/review/applications/a1/decision",
            cookies=cookies,
            form={**form, "outcome": "approved", "reasons": ""},
        )
    )
    assert other["statusCode"] == 409 and "Dit kan niet meer" in other["body"]
    assert not [c for c in office["api"].calls if c[0] == "POST"]


def test_a_forms_address_opened_with_get_goes_back_to_its_page(office):
    """E.g. the language switch on a page that answered a POST (a preview, a refused form)."""
    cookies = partnership(office)
    back = call(event("GET", "/portal/review/applications/a1/decision", cookies=cookies))
    assert back["statusCode"] == 303 and back["headers"]["Location"] == "/portal/review/applications/a1"
    assert call(event("GET", "/portal/review/applications/a1/nonsense", cookies=cookies))["statusCode"] == 404
    board = committee(office)
    back = call(event("GET", "/portal/committee/appeals/ap1/ruling", cookies=board))
    assert back["statusCode"] == 303 and back["headers"]["Location"] == "/portal/committee/appeals/ap1"


def test_a_refusal_names_the_conditions_not_met_by_checkbox_in_words(office):
    """Issue 16: a checkbox per condition of recognition (labels in words); the preview names the
    chosen ones and carries them, the confirmation sends their codes; the file shows them in words."""
    cookies = partnership(office)
    office["api"].answer("GET", "/review/applications/a1", 200, full_file())
    page = call(event("GET", "/portal/review/applications/a1", cookies=cookies))["body"]
    assert page.count('type="checkbox" name="conditions_not_met.') == 7
    assert '<label for="f-conditions_not_met-financial_capacity">' in page
    assert "voldoende financiële draagkracht" in page and "<legend>" in page
    form = {"csrf_token": csrf(office), "outcome": "refused", "reasons": "Geen buffer.", "action": "preview",
            "conditions_not_met.financial_capacity": "on", "conditions_not_met.mentor_age": "on"}
    preview = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies, form=form))
    assert preview["statusCode"] == 200
    assert "voldoende financiële draagkracht" in preview["body"] and "minstens 25 jaar" in preview["body"]
    assert 'type="hidden" name="conditions_not_met.financial_capacity" value="on"' in preview["body"]
    assert "financial_capacity<" not in preview["body"]  # a code is never shown as text

    office["api"].answer("POST", "/review/applications/a1/decision", 201, {"decision_id": "dec1"})
    call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
               form={**form, "action": "confirm", "idempotency_key": "k1"}))
    assert office["api"].calls[-1][2] == {"outcome": "refused", "reasons": ["Geen buffer."],
                                          "conditions_not_met": ["financial_capacity", "mentor_age"]}

    approve = call(event("POST", "/portal/review/applications/a1/decision", cookies=cookies,
                         form={**form, "outcome": "approved"}))
    assert approve["statusCode"] == 422 and 'id="f-conditions_not_met-error"' in approve["body"]

    decided = full_file(status="refused", decision={
        "decision_id": "dec1", "outcome": "refused", "reasons": ["Geen buffer."], "decided_at": "2030-01-02T10:00:00Z",
        "conditions_not_met": ["financial_capacity"]})
    office["api"].answer("GET", "/review/applications/a1", 200, decided)
    shown = call(event("GET", "/portal/review/applications/a1", cookies=cookies))["body"]
    assert "voldoende financiële draagkracht" in shown and "financial_capacity" not in shown
