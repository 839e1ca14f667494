"""The hostile corpus (issue 19): every case against every route that takes a body, as every role.

Whatever a request holds, the answer is never a 5xx, an error is always problem+json with its
status, and a refused request changes nothing and publishes nothing; a request that succeeds on
a route that announces its change has published its event (no stored change without its event).
Cases are tables: the request gate's (media type, charset, coding, size, depth, numbers, shape,
headers, path ids) whoever calls, and the field rules' (control characters, blank text, loose
types, unknown members, filenames) for the roles a route is for; the others get 403.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from hostile_support import COMPANY, QUESTION, ROLES, Reply, Stack, application_body
from testkit.identifiers import with_check

from kernel import clock

MB = 1024 * 1024
COMPANY_ROLES = ("employer", "intermediary")


@dataclass(frozen=True)
class BodyRoute:
    method: str
    path: str  # {name} is one of the world's ids
    roles: tuple[str, ...]
    body: Callable[[], dict[str, Any]]
    publishes: bool  # a success announces itself on the bus

    def url(self, stack: Stack, **override: str) -> str:
        return self.path.format(**{**stack.ids, **override})

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _today(days: int) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


ROUTES = [
    BodyRoute("POST", "/applications", COMPANY_ROLES,
              lambda: application_body(establishment_number=with_check("21234599")), publishes=False),
    BodyRoute("PATCH", "/applications/{draft}", COMPANY_ROLES,
              lambda: {"contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
                       "company": {"name": "Elektro Peeters bv"}}, publishes=False),
    BodyRoute("POST", "/applications/{draft}/documents", COMPANY_ROLES,
              lambda: {"type": "other", "filename": "scan.pdf", "content_type": "application/pdf",
                       "size_bytes": 1000}, publishes=False),
    BodyRoute("POST", "/applications/{routed}/messages", COMPANY_ROLES,
              lambda: {"message": "Two lathes and a drill press.", "question_id": QUESTION}, publishes=True),
    BodyRoute("POST", "/support-requests", COMPANY_ROLES,
              lambda: {"enterprise_number": COMPANY, "topic": "exploratory", "message": "Can we talk?",
                       "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"}}, publishes=True),
    BodyRoute("POST", "/review/applications/{routed}/questions", ("partnership",),
              lambda: {"message": "Which machines do you have?"}, publishes=True),
    BodyRoute("POST", "/review/applications/{routed}/site-visits", ("partnership",),
              lambda: {"planned_for": _today(5)}, publishes=True),
    BodyRoute("POST", "/review/applications/{routed}/site-visits/{visit}/report", ("partnership",),
              lambda: {"findings": "Workshop and mentor as described.", "satisfactory": True}, publishes=True),
    BodyRoute("POST", "/review/applications/{routed}/decision", ("partnership",),
              lambda: {"outcome": "refused", "reasons": ["No criminal record extract for the mentor."]},
              publishes=True),
    BodyRoute("POST", "/review/recognitions/{recognition}/measures", ("partnership",),
              lambda: {"type": "guidance", "reason": "Mentor hours too low.", "plan": "Weekly check-ins.",
                       "due_date": _today(60)}, publishes=True),
    BodyRoute("POST", "/appeals", ("employer",),
              lambda: {"subject_id": "dec-refused", "grounds": "The extract was uploaded in time."}, publishes=True),
    BodyRoute("POST", "/appeals/{appeal}/admissibility", ("appeals",),
              lambda: {"admissible": False, "reasons": ["Lodged by someone without a mandate."]}, publishes=True),
    BodyRoute("POST", "/appeals/{admissible_appeal}/decision", ("appeals",),
              lambda: {"outcome": "dismissed", "reasons": ["The refusal was well founded."]}, publishes=True),
]
# The path parameter that names the resource, for the long-id probes.
PATH_IDS = {"draft", "routed", "visit", "recognition", "appeal", "admissible_appeal"}


# ------------------------------------------------------------------------------------ probes
@dataclass(frozen=True)
class Probe:
    """One request to send, and what it must get: ``status`` for the route's roles (None: 2xx)."""

    name: str
    request: dict[str, Any]
    status: int | None
    gate: bool = False  # refused before the route: the same answer whoever calls


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _replaced(body: Any, path: tuple[Any, ...], new: Any) -> Any:
    body = json.loads(json.dumps(body))
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return body


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-" and value[:4].isdigit()


# Enumerations and numbers written as text are not free text: a blank one is wrong for another reason.
BLANK_ALLOWED = {("grounds",)}  # empty grounds make an appeal inadmissible (not_motivated), still 201


def gate_probes(route: BodyRoute, body: dict[str, Any]) -> list[Probe]:
    text = json.dumps(body)
    accepted = {"application/json", "application/merge-patch+json"} if route.method == "PATCH" else {"application/json"}
    probes = [
        Probe(f"content-type {media}", {"body": body, "headers": {"content-type": media}}, 415, gate=True)
        for media in ("application/merge-patch+json", "application/json-patch+json", "application/problem+json",
                      "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x", "application/jsonx")
        if media not in accepted
    ]
    probes += [
        Probe(
            "charset latin-1",
            {"body": body, "headers": {"content-type": "application/json; charset=latin-1"}},
            415,
            gate=True,
        ),
        Probe(
            "charset utf-16",
            {"body": body, "headers": {"content-type": 'application/json;charset="UTF-16"'}},
            415,
            gate=True,
        ),
        Probe(
            "gzip content-encoding",
            {"raw": gzip.compress(text.encode()), "headers": {"content-encoding": "gzip"}},
            415,
            gate=True,
        ),
        Probe(
            "br content-encoding on a plain body", {"body": body, "headers": {"content-encoding": "br"}}, 415, gate=True
        ),
        Probe(
            "nested 1,000 deep",
            {"raw": text[:-1] + ', "deep": ' + '{"a": ' * 1000 + '"x"' + "}" * 1001},
            400,
            gate=True,
        ),
        Probe("nested 100,000 deep", {"raw": "[" * 100_000 + "]" * 100_000}, 400, gate=True),
        Probe("nested 17 deep", {"body": {**body, "deep": _nested(17)}}, 400, gate=True),
        Probe("a 5,000-digit integer", {"raw": text[:-1] + ', "n": ' + "9" * 5000 + "}"}, 400, gate=True),
        Probe("a 40-digit integer", {"raw": text[:-1] + ', "n": ' + "9" * 40 + "}"}, 400, gate=True),
        Probe("a float out of range", {"raw": text[:-1] + ', "n": 1e999}'}, 400, gate=True),
        Probe("NaN", {"raw": text[:-1] + ', "n": NaN}'}, 400, gate=True),
        Probe("a JSON array of the body", {"raw": json.dumps([body, body])}, 400, gate=True),
        Probe("a JSON string", {"raw": '"hello"'}, 400, gate=True),
        Probe("JSON null", {"raw": "null"}, 400, gate=True),
        Probe("a number", {"raw": "42"}, 400, gate=True),
        Probe("not JSON", {"raw": "{nope"}, 400, gate=True),
        Probe("whitespace", {"raw": "   "}, 400, gate=True),
        Probe("a member named twice", {"raw": text[:-1] + ", " + text[1:]}, 400, gate=True),
        Probe("bytes that are not UTF-8", {"raw": text.encode()[:-1] + b', "x": "\xff\xfe"}'}, 400, gate=True),
        Probe("a lone surrogate", {"raw": text[:-1] + ', "x": "\\ud800"}'}, 400, gate=True),
        Probe("a UTF-8 byte order mark", {"raw": b"\xef\xbb\xbf" + text.encode()}, 400, gate=True),
        Probe("2,000 unknown members", {"body": {**body, **{f"k{i}": 1 for i in range(2000)}}}, 400, gate=True),
        Probe("an array of 100,000 items", {"body": {**body, "reasons": ["r"] * 100_000}}, 400, gate=True),
        Probe("a body over 6 MB", {"body": {**body, "pad": "x" * (6 * MB)}}, 413, gate=True),
        Probe("a body over 6 MB in UTF-8 bytes", {"body": {**body, "pad": "\u00e9" * (3 * MB + 10)}}, 413, gate=True),
        Probe(
            "an Idempotency-Key of 300 characters",
            {"body": body, "headers": {"idempotency-key": "k" * 300}},
            400,
            gate=True,
        ),
        Probe(
            "an Idempotency-Key with a newline", {"body": body, "headers": {"idempotency-key": "a\nb"}}, 400, gate=True
        ),
        Probe(
            "an Idempotency-Key that is not ASCII",
            {"body": body, "headers": {"idempotency-key": "cl\u00e9"}},
            400,
            gate=True,
        ),
    ]
    for name in PATH_IDS & set(_fields(route.path)):
        for label, value in (("of 3,000 characters", "a" * 3000), ("with a quote", "x'\"<>"),
                             ("percent-encoded", "%2e%2e"), ("with a space", "a%20b")):
            probes.append(Probe(f"path {name} {label}", {"path": {name: value}, "body": body,
                                                         "headers": {"idempotency-key": "k-long"}}, 404, gate=True))
    return probes


def _fields(template: str) -> list[str]:
    return [part[1:-1] for part in template.split("/") if part.startswith("{")]


def accepted_probes(route: BodyRoute, body: dict[str, Any]) -> list[Probe]:
    """Requests a route must take: each is sent to a fresh world."""
    probes = [
        Probe("the valid body", {"body": body}, None),
        Probe("content-type APPLICATION/JSON", {"body": body, "headers": {"content-type": "APPLICATION/JSON"}}, None),
        Probe("charset UTF-8", {"body": body, "headers": {"content-type": "application/json; charset=UTF-8"}}, None),
        Probe("X-Correlation-Id of 300 characters", {"body": body, "headers": {"x-correlation-id": "c" * 300}}, None),
        Probe(
            "X-Correlation-Id with control characters", {"body": body, "headers": {"x-correlation-id": "a\x1bb"}}, None
        ),
        Probe("an Idempotency-Key", {"body": body, "headers": {"idempotency-key": "k" * 255}}, None),
        # What ends up in an event must survive every step to it: text beyond Latin-1 included.
        Probe("free text in other scripts", {"body": _in_other_scripts(body)}, None),
    ]
    if route.method == "PATCH":
        probes.append(Probe("content-type application/merge-patch+json",
                            {"body": body, "headers": {"content-type": "application/merge-patch+json"}}, None))
    return probes


def _in_other_scripts(body: dict[str, Any]) -> dict[str, Any]:
    changed = body
    for path, value in _leaves(body):
        if isinstance(value, str) and _free_text(path):
            changed = _replaced(changed, path, "Zoë — 证书 🙂 " + value)
    return changed


def field_probes(route: BodyRoute, body: dict[str, Any]) -> list[Probe]:
    """One wrong field at a time: 422 for the route's roles."""
    probes = [
        Probe("900 unknown members", {"body": {**body, **{f"k{i}": 1 for i in range(900)}}}, 422),
        # No body: nothing for the gate to judge, the route finds its body missing (after the role check).
        Probe("no body, content-type text/plain", {"headers": {"content-type": "text/plain"}}, 400),
        Probe("an empty body, content-type text/plain", {"raw": "", "headers": {"content-type": "text/plain"}}, 400),
        Probe("an empty body", {"raw": ""}, 400),
        Probe("no body and no content-type", {"headers": {"content-type": None}}, 400),
    ]
    for path, value in _leaves(body):
        where = ".".join(map(str, path))
        if isinstance(value, bool):
            for wrong in (1, 1.0, "yes", "true", 0, None if path[-1] != "admissible" else "no"):
                if wrong is not None:
                    probes.append(Probe(f"{where} = {wrong!r}", {"body": _replaced(body, path, wrong)}, 422))
        elif isinstance(value, int):
            for wrong in (str(value), float(value), True):
                probes.append(Probe(f"{where} = {wrong!r}", {"body": _replaced(body, path, wrong)}, 422))
        elif isinstance(value, str):
            for label, wrong in (("NUL", "a\x00b"), ("ESC", "a\x1b[31mb"), ("BEL", "\x07"), ("DEL", "a\x7fb"),
                                 ("bidi override", "a\u202eb"), ("a list", [value]), ("a number", 7)):
                if label == "bidi override" and not _free_text(path):
                    continue
                probes.append(Probe(f"{where} with {label}", {"body": _replaced(body, path, wrong)}, 422))
            if path not in BLANK_ALLOWED:
                for label, wrong in (("blank", "   "), ("empty", ""), ("tabs and newlines", "\t\n")):
                    probes.append(Probe(f"{where} {label}", {"body": _replaced(body, path, wrong)}, 422))
            if _is_date(value):
                for wrong in (value + "T00:00:00Z", value + " 00:00", "2026-02-30", "20260101", 20260101):
                    probes.append(Probe(f"{where} = {wrong!r}", {"body": _replaced(body, path, wrong)}, 422))
    if "reasons" in body:
        probes.append(Probe("999 reasons", {"body": {**body, "reasons": ["r"] * 999}}, 422))
        probes.append(Probe("999 reasons that are not text", {"body": {**body, "reasons": [1] * 999}}, 422))
    if "filename" in body:
        for bad in ("report.pdf.exe", "..", ".", "CON", "con.pdf", "NUL.pdf", ".htaccess", "inv\u202efdp.exe",
                    "a/b.pdf", "a\\b.pdf", "file.PDF ", " file.pdf", "file.png", "file", "file.", "a" * 252 + ".pdf",
                    "file\u200b.pdf", "file\ufeff.pdf", "file:stream.pdf", "<script>.pdf", "file?.pdf", "file*.pdf"):
            probes.append(Probe(f"filename {bad!r}", {"body": {**body, "filename": bad}}, 422))
    return probes


def _free_text(path: tuple[Any, ...]) -> bool:
    return path[-1] in ("message", "findings", "reason", "plan", "grounds", "name", "street", "city") or \
        path[0] == "reasons"


# ------------------------------------------------------------------------------------ checks
def send(stack: Stack, route: BodyRoute, role: str, probe: Probe) -> Reply:
    request = dict(probe.request)
    path = route.url(stack, **request.pop("path", {}))
    return stack.call(route.method, path, role, **request)


def check(stack: Stack, route: BodyRoute, role: str, probe: Probe, failures: list[str]) -> Reply:
    before, mark = stack.stored(), stack.published()
    reply = send(stack, route, role, probe)
    allowed = role in route.roles
    expected = probe.status if (allowed or probe.gate) else 403
    where = f"{route.label} as {role}: {probe.name}"
    if reply.status >= 500:
        failures.append(f"{where}: {reply.status} {reply.text[:200]}")
        return reply
    if len(reply.text.encode()) > 6 * MB:
        failures.append(f"{where}: a {len(reply.text) // MB} MB answer (Lambda's limit is 6 MB)")
    stack.known_events.update(e.event_id for e in stack.events_since(mark))
    if expected is None:
        if not 200 <= reply.status < 300:
            failures.append(f"{where}: {reply.status}, expected success: {reply.text[:300]}")
        elif route.publishes:
            events = stack.events_since(mark)
            if not events:
                failures.append(f"{where}: stored but announced nothing")
            for envelope in events:
                if envelope.correlation_id in ("c" * 300, "a\x1bb"):
                    failures.append(f"{where}: event carries the refused correlation id")
        return reply
    if reply.status != expected:
        failures.append(f"{where}: {reply.status}, expected {expected}: {reply.text[:300]}")
    if reply.status >= 400:
        if not reply.content_type.startswith("application/problem+json") or reply.body.get("status") != reply.status:
            failures.append(f"{where}: error is not a problem+json with its status: {reply.content_type}")
        if stack.stored() != before:
            failures.append(f"{where}: refused ({reply.status}) but the stores changed")
        # A refused retry may announce again what was already done (the same event id), nothing new.
        new = [e for e in stack.events_since(mark) if e.event_id not in stack.known_events]
        if new:
            failures.append(f"{where}: refused ({reply.status}) but published {new}")
        errors = reply.body.get("errors") or []
        if len(errors) > 50:
            failures.append(f"{where}: {len(errors)} errors listed (at most 50)")
    return reply


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_the_request_gate_refuses_the_same_way_whoever_calls(route, stack):
    failures: list[str] = []
    for probe in gate_probes(route, route.body()):
        for role in ROLES:
            check(stack, route, role, probe, failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_every_wrong_field_is_a_422_for_the_routes_roles_and_a_403_for_the_others(route, stack):
    failures: list[str] = []
    for probe in field_probes(route, route.body()):
        for role in ROLES:
            check(stack, route, role, probe, failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_what_a_route_takes_succeeds_for_its_roles_with_its_event(route, new_stack):
    failures: list[str] = []
    for probe in accepted_probes(route, route.body()):
        for role in route.roles:
            check(new_stack(), route, role, probe, failures)
    others = new_stack()
    for role in set(ROLES) - set(route.roles):
        check(others, route, role, Probe("the valid body", {"body": route.body()}, None), failures)
    assert not failures, "\n".join(failures)


def test_900_unknown_members_are_listed_50_at_a_time_with_their_count(stack):
    reply = stack.call("POST", "/applications", body={**application_body(), **{f"k{i}": 1 for i in range(900)}})
    assert reply.status == 422
    assert len(reply.body["errors"]) == 50 and reply.body["error_count"] == 900
