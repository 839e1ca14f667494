"""The local routes are strict and say what happened: unknown keys and claims that do not fit the role are
422 problems, the clock says which schedules fired and what they delivered, the mailbox lists each message
once with each recipient once, filters by recipient and subject, and hands out its attachments."""

from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Any

import pytest

from localrt.clock import Clock
from localrt.local_routes import LocalRoutes
from localrt.mail import describe

FIRED = [{"schedule": "timers/deadline-a1", "due_at": "2030-01-03T00:00:00Z", "queue": "ReviewQueue",
          "event": {"event_name": "DecisionDeadlineWarningDue", "event_id": "e1"}}]


def _raw(to: list[str], subject: str, attachment: bytes | None = None) -> str:
    message = EmailMessage()
    message["From"] = "noreply@example.be"
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content("Beste,\n")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="notice.pdf")
    return message.as_string()


CLOCK = Clock("2030-01-01")
MESSAGES = [
    {"id": "m1", "sent_epoch": 1.0, "raw_data": _raw(["a@x.be"], "Beslissing: goedgekeurd", b"%PDF-1.4 one"),
     "destinations": ["a@x.be", "a@x.be"]},
    {"id": "m2", "sent_epoch": 2.0, "raw_data": _raw(["a@x.be", "b@x.be"], "Vraag over uw aanvraag"),
     "destinations": ["a@x.be", "b@x.be", "a@x.be", "b@x.be"]},
]


@pytest.fixture
def routes() -> LocalRoutes:
    return LocalRoutes(
        clock=CLOCK,
        token=lambda role, **claims: f"{role}:{','.join(sorted(claims))}",
        advance=lambda days=0, seconds=0: FIRED,
        settle=lambda timeout=30: True,
        mail=lambda include_raw=False: [describe(m, CLOCK, include_raw) for m in MESSAGES],
        oidc=lambda method, path, query, body, headers: (204, {}, b""),
    )


def call(routes: LocalRoutes, method: str, path: str, body: Any = None, query: str = "") -> tuple[int, Any]:
    raw = b"" if body is None else json.dumps(body).encode()
    status, headers, content = routes.handle(method, path, query, raw, {})
    kind = dict(headers).get("Content-Type", "")
    return status, json.loads(content) if "json" in kind else content


def fields(body: dict) -> set[str]:
    return {e["field"] for e in body["errors"]}


@pytest.mark.parametrize("body", [{"now": "2030-02-01"}, {"advance_hours": 2}, {"advance_days": 1, "x": 1}])
def test_the_clock_refuses_unknown_keys(routes, body):
    status, answer = call(routes, "POST", "/_local/clock", body)
    assert status == 422 and fields(answer) == set(body) - {"advance_days"}


def test_the_clock_says_which_schedules_fired_and_what_they_delivered(routes):
    status, answer = call(routes, "POST", "/_local/clock", {"advance_seconds": 90})
    assert status == 200 and answer["fired"] == FIRED


def test_a_token_request_with_an_unknown_key_is_refused(routes):
    status, answer = call(routes, "POST", "/_local/token", {"role": "appeals", "scope": "admin"})
    assert status == 422 and fields(answer) == {"scope"}


@pytest.mark.parametrize(("body", "refused"), [
    ({"role": "partnership"}, {"partnership_id"}),
    ({"role": "partnership", "partnership_id": "p-1"}, {"partnership_id"}),
    ({"role": "employer"}, {"enterprise_number"}),
    ({"role": "employer", "enterprise_number": "0403170702"}, {"enterprise_number"}),
    ({"role": "employer", "enterprise_number": "0403170701", "mandates": ["0403170701"]}, {"mandates"}),
    ({"role": "intermediary"}, {"mandates"}),
    ({"role": "intermediary", "mandates": ["12"]}, {"mandates"}),
    ({"role": "appeals", "partnership_id": "mtech"}, {"partnership_id"}),
    ({"role": "employer", "enterprise_number": "0403170701", "partnership_id": "mtech"}, {"partnership_id"}),
])
def test_a_token_whose_claims_do_not_fit_the_role_is_refused(routes, body, refused):
    status, answer = call(routes, "POST", "/_local/token", body)
    assert status == 422 and fields(answer) == refused, answer


@pytest.mark.parametrize("body", [
    {"role": "partnership", "partnership_id": "mtech"},
    {"role": "employer", "enterprise_number": "0403.170.701"},
    {"role": "intermediary", "mandates": ["0403170701"], "sub": "acc-1", "ttl_seconds": 60},
    {"role": "appeals"},
])
def test_a_token_that_fits_its_role_is_minted(routes, body):
    status, answer = call(routes, "POST", "/_local/token", body)
    assert status == 200 and answer["token"].startswith(body["role"] + ":")


def test_the_mailbox_lists_each_message_once_with_each_recipient_once(routes):
    status, mail = call(routes, "GET", "/_local/mail")
    assert status == 200 and [m["id"] for m in mail] == ["m1", "m2"]
    assert mail[1]["to"] == ["a@x.be", "b@x.be"] and mail[1]["destinations"] == ["a@x.be", "b@x.be"]
    assert mail[0]["destinations"] == ["a@x.be"]


def test_the_mailbox_filters_by_recipient_and_subject(routes):
    assert [m["id"] for m in call(routes, "GET", "/_local/mail", query="to=B%40x.be")[1]] == ["m2"]
    assert [m["id"] for m in call(routes, "GET", "/_local/mail", query="subject=beslissing")[1]] == ["m1"]
    assert call(routes, "GET", "/_local/mail", query="to=a%40x.be&subject=vraag")[1][0]["id"] == "m2"
    status, answer = call(routes, "GET", "/_local/mail", query="from=a")
    assert status == 422 and fields(answer) == {"from"}


def test_an_attachment_is_downloadable(routes):
    mail = call(routes, "GET", "/_local/mail")[1]
    assert mail[0]["attachments"][0]["url"] == "/_local/mail/m1/attachments/0"
    status, headers, content = routes.handle("GET", "/_local/mail/m1/attachments/0", "", b"", {})
    assert status == 200 and content == b"%PDF-1.4 one" and headers["Content-Type"] == "application/pdf"
    assert 'filename="notice.pdf"' in headers["Content-Disposition"]
    assert routes.handle("GET", "/_local/mail/m1/attachments/1", "", b"", {})[0] == 404
    assert routes.handle("GET", "/_local/mail/nope/attachments/0", "", b"", {})[0] == 404
