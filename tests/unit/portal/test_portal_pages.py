"""The portal's pages with fakes for the API, the sessions and the issuer (bootstrap.override)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from testkit.apigw import http_event

from portal import bootstrap
from portal.adapters.sessions import InMemorySessionStore
from portal.bootstrap import PortalSettings
from portal.handlers import api as pages
from portal.usecases.ports import ApiResponse, Identity, LoginFailed, Ports, Viewer

ENTERPRISE = "0403170701"


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any, str | None]] = []
        self.answers: dict[tuple[str, str], ApiResponse] = {}

    def answer(self, method: str, path: str, status: int, body: Any) -> None:
        self.answers[(method, path)] = ApiResponse(status, body)

    def request(
        self, method: str, viewer: Viewer, path: str, *, query=None, body=None, idempotency_key=None
    ) -> ApiResponse:
        self.calls.append((method, path, body, viewer.token))
        return self.answers.get((method, path), ApiResponse(404, {"title": "Not Found"}))


class FakeIssuer:
    def __init__(self) -> None:
        self.claims = {"sub": "s1", "role": "employer", "enterprise_number": ENTERPRISE}
        self.seen: dict[str, str] = {}

    def authorization_url(self, site, *, redirect_uri, state, nonce, code_challenge):
        self.seen.update(state=state, nonce=nonce, challenge=code_challenge, redirect_uri=redirect_uri)
        return "https://issuer.example/authorize?" + urlencode({"state": state})

    def exchange(self, site, *, code, redirect_uri, code_verifier, nonce):
        if code != "good" or nonce != self.seen["nonce"]:
            raise LoginFailed("bad code")
        return Identity(claims={**self.claims, "nonce": nonce}, access_token="access-1", expires_in=3600)


@pytest.fixture
def world():
    api, issuer, store = FakeApi(), FakeIssuer(), InMemorySessionStore()
    clock = {"now": 1_000_000.0}
    bootstrap.override(
        Ports(api=api, sessions=store, identity=issuer, now=lambda: clock["now"]),
        PortalSettings(
            table_name="t", oidc_issuer="https://issuer.example", oidc_client_id="portal", oidc_client_secret_arn="arn"
        ),
    )
    yield {"api": api, "issuer": issuer, "store": store, "clock": clock}
    bootstrap.reset()


def event(
    method: str,
    path: str,
    *,
    query: dict | None = None,
    form: dict | None = None,
    cookies: dict | None = None,
    headers: dict | None = None,
) -> dict:
    return http_event(
        method,
        path,
        query=query,
        form=form,
        cookies=cookies,
        content_type=None,
        headers={"host": "portal.example", "x-forwarded-proto": "https", **(headers or {})},
        route_key=f"{method} /portal/{{proxy+}}",
        request_id="r1",
    )


def call(e: dict) -> dict:
    response = pages.app.resolve(e, None)
    response["set_cookies"] = dict(c.split(";")[0].split("=", 1) for c in response.get("cookies") or [])
    return response


def signed_in(world) -> dict[str, str]:
    started = call(event("GET", "/portal/login", query={"next": "/portal/applications"}))
    assert started["statusCode"] == 303
    state = parse_qs(urlsplit(started["headers"]["Location"]).query)["state"][0]
    back = call(
        event(
            "GET",
            "/portal/auth/callback",
            query={"code": "good", "state": state},
            cookies={"lwp_login": started["set_cookies"]["lwp_login"]},
        )
    )
    assert back["statusCode"] == 303 and back["headers"]["Location"] == "/portal/applications"
    return {"lwp_session": back["set_cookies"]["lwp_session"]}


def csrf_of(world) -> str:
    return next(iter(world["store"].sessions.values())).csrf_token


def test_logging_in_starts_a_server_side_session_behind_an_httponly_secure_lax_cookie(world):
    started = call(event("GET", "/portal/login", query={"next": "/portal/applications"}))
    assert world["issuer"].seen["challenge"] and started["headers"]["Location"].startswith("https://issuer.example/")
    assert world["issuer"].seen["redirect_uri"] == "https://portal.example/portal/auth/callback"
    state = world["issuer"].seen["state"]
    back = call(
        event(
            "GET",
            "/portal/auth/callback",
            query={"code": "good", "state": state},
            cookies={"lwp_login": started["set_cookies"]["lwp_login"]},
        )
    )
    session_cookie = next(c for c in back["cookies"] if c.startswith("lwp_session="))
    assert all(flag in session_cookie for flag in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/"))
    value = back["set_cookies"]["lwp_session"]
    (session,) = world["store"].sessions.values()
    assert session.access_token == "access-1" and value not in world["store"].sessions  # keyed by its hash
    assert not world["store"].logins  # the login attempt is used up


def test_a_callback_with_another_state_or_a_replayed_login_starts_no_session(world):
    started = call(event("GET", "/portal/login"))
    login_cookie = {"lwp_login": started["set_cookies"]["lwp_login"]}
    wrong = call(event("GET", "/portal/auth/callback", query={"code": "good", "state": "forged"}, cookies=login_cookie))
    assert wrong["statusCode"] == 400 and not world["store"].sessions
    again = call(
        event(
            "GET",
            "/portal/auth/callback",
            query={"code": "good", "state": world["issuer"].seen["state"]},
            cookies=login_cookie,
        )
    )
    assert again["statusCode"] == 400 and not world["store"].sessions


def test_pages_call_the_api_with_the_users_own_token(world):
    cookies = signed_in(world)
    world["api"].answer(
        "GET",
        "/applications",
        200,
        [
            {
                "id": "a1",
                "status": "in_review",
                "training_code": "x",
                "enterprise_number": ENTERPRISE,
                "decision_due": "2030-01-10",
                "partnership_id": "vpdl",
                "establishment_number": "2123456791",
            }
        ],
    )
    world["api"].answer("GET", "/register", 200, {"items": [], "next_cursor": None})
    page = call(event("GET", "/portal/applications", cookies=cookies))
    assert page["statusCode"] == 200, page["body"][:500]
    assert ("GET", "/applications", None, "access-1") in world["api"].calls
    assert "Vlaams Partnerschap Duaal Leren" in page["body"] or "vpdl" in page["body"]
    assert page["headers"]["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page["headers"]["Content-Security-Policy"]


def test_a_form_without_the_sessions_csrf_token_changes_nothing(world):
    cookies = signed_in(world)
    refused = call(
        event(
            "POST",
            "/portal/applications/new",
            cookies=cookies,
            form={"establishment_number": "2123456791", "training_code": "x", "kind": "new"},
        )
    )
    assert refused["statusCode"] == 403
    assert not [c for c in world["api"].calls if c[0] == "POST"]


def test_a_rule_violation_shows_next_to_its_field_and_a_valid_step_moves_on(world):
    cookies = signed_in(world)
    world["api"].answer(
        "POST",
        "/applications",
        422,
        {
            "title": "Unprocessable Content",
            "errors": [
                {
                    "field": "establishment_number",
                    "code": "invalid_establishment_number",
                    "message": "Not an establishment.",
                }
            ],
        },
    )
    form = {"csrf_token": csrf_of(world), "idempotency_key": "k1", "establishment_number": "1", "kind": "new"}
    shown = call(event("POST", "/portal/applications/new", cookies=cookies, form=form))
    assert shown["statusCode"] == 422
    assert 'id="f-establishment_number-error"' in shown["body"] and 'aria-invalid="true"' in shown["body"]
    assert "Dit is geen geldig vestigingseenheidsnummer" in shown["body"]
    world["api"].answer("POST", "/applications", 201, {"id": "a9"})
    moved = call(event("POST", "/portal/applications/new", cookies=cookies, form=form))
    assert (
        moved["statusCode"] == 303 and moved["headers"]["Location"] == "/portal/applications/a9/edit/company?msg=saved"
    )
    assert world["api"].calls[-1][2]["enterprise_number"] == ENTERPRISE  # the session's enterprise, not the form's


def test_an_api_that_no_longer_accepts_the_token_sends_the_user_to_log_in_again(world):
    cookies = signed_in(world)
    world["api"].answer("GET", "/applications", 401, {"title": "Unauthorized"})
    page = call(event("GET", "/portal/applications", cookies=cookies))
    assert page["statusCode"] == 303 and page["headers"]["Location"].startswith("/portal/login?next=")


def test_an_expired_session_is_ended_and_counts_as_no_session(world):
    cookies = signed_in(world)
    world["clock"]["now"] += 31 * 60
    page = call(event("GET", "/portal/applications", cookies=cookies))
    assert page["statusCode"] == 303 and "/portal/login" in page["headers"]["Location"]
    assert not world["store"].sessions


def test_the_public_pages_need_no_login_and_answer_in_one_sentence(world):
    world["api"].answer(
        "GET",
        "/register/verify",
        200,
        {
            "recognized": True,
            "recognition_id": "r1",
            "valid_from": "2030-01-01",
            "valid_until": "2034-12-31",
            "status": "active",
            "on": "2030-06-01",
            "enterprise_number": ENTERPRISE,
            "establishment_number": "2123456791",
            "training_code": "x",
        },
    )
    page = call(
        event(
            "GET",
            "/portal/verify",
            query={
                "check": "1",
                "enterprise_number": ENTERPRISE,
                "establishment_number": "2123456791",
                "training_code": "x",
            },
        )
    )
    assert page["statusCode"] == 200
    assert "Ja: vestiging 2123456791 van onderneming 0403170701 is op 1 juni 2030 erkend" in page["body"]
    assert world["api"].calls[-1][3] is None  # no token on a public call
    english = call(event("GET", "/portal/verify", query={"check": "1"}, cookies={"lwp_lang": "en"}))
    assert english["statusCode"] == 422 and "Fill this in." in english["body"] and 'lang="en"' in english["body"]


def test_the_upload_ticket_is_handed_to_the_browser_exactly_as_the_api_gave_it(world):
    cookies = signed_in(world)
    ticket = {
        "id": "d1",
        "upload_url": "https://bucket.s3.eu-west-1.amazonaws.com/k?X-Amz-Signature=s",
        "upload_method": "PUT",
        "upload_headers": {"Content-Type": "application/pdf", "Content-Length": "5", "If-None-Match": "*"},
        "expires_at": "2030-01-01T00:15:00Z",
    }
    world["api"].answer("POST", "/applications/a1/documents", 201, ticket)
    body = {
        "type": "criminal_record_extract",
        "filename": "x.pdf",
        "content_type": "application/pdf",
        "size_bytes": 5,
        "mentor_index": 0,
    }
    e = event(
        "POST",
        "/portal/applications/a1/documents",
        cookies=cookies,
        headers={"content-type": "application/json", "x-csrf-token": csrf_of(world)},
    )
    e["body"] = json.dumps(body)
    answered = call(e)
    assert answered["statusCode"] == 201 and json.loads(answered["body"]) == ticket
    e["headers"]["x-csrf-token"] = "wrong"
    assert call(e)["statusCode"] == 403
    too_big = dict(e, body=json.dumps({**body, "size_bytes": 11 * 1024 * 1024}))
    too_big["headers"] = {**e["headers"], "x-csrf-token": csrf_of(world)}
    refused = call(too_big)
    assert refused["statusCode"] == 413 and "10 MB" in json.loads(refused["body"])["error"]


def test_static_assets_are_served_by_the_portal_itself_with_a_long_cache(world):
    css = call(event("GET", "/portal/static/portal.css"))
    assert css["statusCode"] == 200 and "--yellow" in css["body"]
    assert "immutable" in css["headers"]["Cache-Control"]
    assert call(event("GET", "/portal/static/..%2Fbootstrap.py"))["statusCode"] == 404
    home = call(event("GET", "/"))
    assert "https://" not in home["body"].split("<body>")[0]  # no external asset in the head


def test_a_configured_stylesheet_replaces_the_portals_own(world):
    bootstrap.override(
        bootstrap.ports(),
        PortalSettings(
            table_name="t",
            oidc_issuer="i",
            oidc_client_id="c",
            oidc_client_secret_arn="a",
            stylesheet_url="https://cdn.vlaanderen.example/ui.css",
        ),
    )
    home = call(event("GET", "/"))
    assert 'href="https://cdn.vlaanderen.example/ui.css"' in home["body"]
    assert "style-src 'self' https://cdn.vlaanderen.example" in home["headers"]["Content-Security-Policy"]


def test_an_intermediary_with_several_mandates_first_picks_the_enterprise_it_acts_for(world):
    world["issuer"].claims = {"sub": "s2", "role": "intermediary", "mandates": [ENTERPRISE, "0202239951"]}
    started = call(event("GET", "/portal/login", query={"next": "/portal/applications"}))
    back = call(
        event(
            "GET",
            "/portal/auth/callback",
            query={"code": "good", "state": world["issuer"].seen["state"]},
            cookies={"lwp_login": started["set_cookies"]["lwp_login"]},
        )
    )
    assert back["headers"]["Location"].startswith("/portal/enterprise?next=")
    cookies = {"lwp_session": back["set_cookies"]["lwp_session"]}
    assert call(event("GET", "/portal/applications", cookies=cookies))["headers"]["Location"].startswith(
        "/portal/enterprise"
    )
    form = {"csrf_token": csrf_of(world), "enterprise_number": "0999999999", "next": "/portal/applications"}
    assert call(event("POST", "/portal/enterprise", cookies=cookies, form=form))["statusCode"] == 422
    chosen = call(
        event("POST", "/portal/enterprise", cookies=cookies, form={**form, "enterprise_number": "0202239951"})
    )
    assert chosen["statusCode"] == 303 and chosen["headers"]["Location"] == "/portal/applications"
    assert next(iter(world["store"].sessions.values())).acting_for == "0202239951"


def test_a_support_request_goes_to_the_api_for_the_enterprise_acted_for(world):
    cookies = signed_in(world)
    world["api"].answer("POST", "/support-requests", 201, {"id": "sr1"})
    form = {
        "csrf_token": csrf_of(world),
        "idempotency_key": "k",
        "topic": "find_learner",
        "message": "Een lerende graag.",
        "contact.name": "An",
        "contact.email": "an@example.be",
    }
    sent = call(event("POST", "/portal/support", cookies=cookies, form=form))
    assert sent["statusCode"] == 303 and sent["headers"]["Location"] == "/portal/support?msg=sent"
    assert world["api"].calls[-1][2] == {
        "enterprise_number": ENTERPRISE,
        "topic": "find_learner",
        "message": "Een lerende graag.",
        "contact": {"name": "An", "email": "an@example.be"},
    }


def test_the_mailbox_page_shows_the_local_mail_and_does_not_exist_where_the_api_has_no_local_routes(world):
    world["api"].answer(
        "GET",
        "/_local/mail",
        200,
        [
            {
                "to": ["an@example.be"],
                "subject": "Beslissing",
                "body": "Erkend.",
                "sent_at": "2030-01-01T09:00:00Z",
                "attachments": [{"filename": "notice.pdf", "content_type": "application/pdf", "size": 1200}],
            }
        ],
    )
    page = call(event("GET", "/portal/mailbox"))
    assert page["statusCode"] == 200 and "an@example.be" in page["body"] and "notice.pdf" in page["body"]
    del world["api"].answers[("GET", "/_local/mail")]
    assert call(event("GET", "/portal/mailbox"))["statusCode"] == 404


def test_an_issuer_that_answers_with_an_error_shows_the_login_error_page(world):
    refused = call(event("GET", "/portal/auth/callback", query={"error": "access_denied", "state": "s"}))
    assert refused["statusCode"] == 400 and "Aanmelden is niet gelukt" in refused["body"]
    assert not world["store"].sessions
