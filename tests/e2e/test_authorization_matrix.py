"""Every route of the OpenAPI document × every role × own and foreign resource (CONTRACT.md).

The table below says, per route, which roles may call it and which resource each path parameter
names. Expected: no token on a protected route → 401; a role the route is not for → 403; an
allowed role on another company's resource → 404 (403 when creating something for an enterprise
the caller may not act for); an allowed role on its own resource → anything but 401/403/404, and
never 5xx. No response to a caller acting for company A may carry company B's identifiers, names
or resource ids, unless the caller sent that value itself (a 404 may echo the id it was asked for).

The operations are read from the merged OpenAPI document; a route without a table entry fails
`test_every_route_of_the_openapi_document_has_an_expectation`, so the matrix stays complete.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from testkit.identifiers import establishment_number
from testkit.world import Company, World

from apidocs.openapi import merged_document

pytestmark = pytest.mark.e2e

ROLES = ("none", "employer", "intermediary", "partnership", "appeals")
COMPANY = ("employer", "intermediary")
# The appeal coordinator handles every company's appeals: no resource is foreign to it.
OWNS_EVERYTHING = {"appeals"}

Body = Callable[[World, Company], Any]


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...] | None  # None: public
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> key of Company.ids; "+key": a fresh one
    body: Body | None = None
    query: Body | None = None
    foreign: int | None = 404  # an allowed role on B's resource; None: nothing to be foreign (a plain list)


PUBLIC = Rule(None)
_APPROVED = {"application_id": "approved"}
_DRAFT = {"application_id": "draft"}


def _text(message: str) -> Body:
    return lambda w, c: {"message": message}


EXPECTATIONS: dict[str, Rule] = {
    "GET /health": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /openapi.json": PUBLIC,
    "GET /partnerships": PUBLIC,
    "GET /trainings": PUBLIC,
    "GET /register": Rule(None, query=lambda w, c: {"enterprise_number": c.enterprise}),
    "GET /register/verify": Rule(None, query=lambda w, c: {
        "enterprise_number": c.enterprise, "establishment_number": establishment_number(),
        "training_code": w.training}),
    # intake
    "GET /applications": Rule(COMPANY, foreign=None),
    "POST /applications": Rule(COMPANY, body=lambda w, c: w.draft_body(c), foreign=403),
    "GET /applications/{application_id}": Rule(COMPANY, _APPROVED),
    "PATCH /applications/{application_id}": Rule(COMPANY, _DRAFT, body=lambda w, c: {"contact": {"name": "Els"}}),
    "POST /applications/{application_id}/documents": Rule(COMPANY, _DRAFT, body=lambda w, c: {
        "type": "other", "filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10}),
    "DELETE /applications/{application_id}/documents/{document_id}": Rule(
        COMPANY, {"application_id": "draft", "document_id": "+document"}),
    "GET /applications/{application_id}/history": Rule(COMPANY, _APPROVED),
    "POST /applications/{application_id}/messages": Rule(COMPANY, _APPROVED, body=lambda w, c: {
        "message": "Two test benches.", "question_id": "q-1"}),
    "POST /applications/{application_id}/submit": Rule(COMPANY, _APPROVED),
    "POST /applications/{application_id}/withdraw": Rule(COMPANY, _APPROVED),
    "POST /support-requests": Rule(COMPANY, body=lambda w, c: {
        "enterprise_number": c.enterprise, "topic": "exploratory", "message": "Where to start?",
        "contact": {"name": "An", "email": "an@example.be"}}, foreign=403),
    # review
    "GET /review/queue": Rule(("partnership",), foreign=None),
    "GET /review/applications/{application_id}": Rule(("partnership",), _APPROVED),
    "POST /review/applications/{application_id}/questions": Rule(
        ("partnership",), _APPROVED, body=_text("Which tools?")),
    "POST /review/applications/{application_id}/site-visits": Rule(
        ("partnership",), _APPROVED, body=lambda w, c: {"planned_for": w.api.today().isoformat()}),
    "POST /review/applications/{application_id}/site-visits/{visit_id}/report": Rule(
        ("partnership",), {"application_id": "approved", "visit_id": "visit"},
        body=lambda w, c: {"findings": "In order.", "satisfactory": True}),
    "POST /review/applications/{application_id}/decision": Rule(
        ("partnership",), _APPROVED, body=lambda w, c: {"outcome": "approved", "reasons": []}),
    "GET /review/recognitions": Rule(("partnership",), foreign=None),
    "GET /review/recognitions/{recognition_id}": Rule(("partnership",), {"recognition_id": "recognition"}),
    "POST /review/recognitions/{recognition_id}/measures": Rule(
        ("partnership",), {"recognition_id": "recognition"},
        body=lambda w, c: {"type": "guidance", "reason": "Coaching.", "plan": "A monthly visit."}),
    "GET /review/support-requests": Rule(("partnership",), foreign=None),
    # notification: a list filtered to what the caller may see, so B's notice is simply absent
    "GET /notices": Rule(("employer", "intermediary", "partnership"),
                         query=lambda w, c: {"subject_id": c.ids["refusal"]}, foreign=200),
    # appeal
    # the coordinator's queue; an employer its own company's appeals (CONTRACT.md); intermediaries 403
    "GET /appeals": Rule(("employer", "appeals"), foreign=None),
    "POST /appeals": Rule(
        ("employer",), body=lambda w, c: {"subject_id": c.ids["refusal"], "grounds": "Twelve years."}),
    "GET /appeals/{appeal_id}": Rule(("employer", "appeals"), {"appeal_id": "appeal"}),
    "POST /appeals/{appeal_id}/admissibility": Rule(
        ("appeals",), {"appeal_id": "appeal"}, body=lambda w, c: {"admissible": True, "reasons": []}),
    "POST /appeals/{appeal_id}/decision": Rule(
        ("appeals",), {"appeal_id": "appeal"}, body=lambda w, c: {"outcome": "dismissed", "reasons": ["Not shown."]}),
}


def _operations() -> list[str]:
    return [f"{method.upper()} {path}" for path, ops in merged_document()["paths"].items() for method in ops]


OPERATIONS = _operations()


def _cases() -> list[Any]:
    cases = []
    for operation in OPERATIONS:
        rule = EXPECTATIONS.get(operation)
        sides = ("own", "foreign") if rule and rule.roles and rule.foreign is not None else ("own",)
        for role in ROLES:
            for side in sides:
                cases.append(pytest.param(operation, role, side, id=f"{operation}|{role}|{side}"))
    return cases


@pytest.fixture(scope="module")
def world(api) -> World:
    return World(api).build()


def test_every_route_of_the_openapi_document_has_an_expectation(api):
    served = {f"{m.upper()} {p}" for p, ops in api.get("/openapi.json").json()["paths"].items() for m in ops}
    assert served == set(OPERATIONS), "the runtime serves another document than the working tree builds"
    assert sorted(served - EXPECTATIONS.keys()) == [], "add these routes to EXPECTATIONS"
    assert sorted(EXPECTATIONS.keys() - served) == [], "these EXPECTATIONS name routes that no longer exist"


def _value(world: World, company: Company, key: str) -> str:
    if key == "+document":  # deleting must not use up the one document the other callers need
        return world.document(company, company.ids["draft"])
    return company.ids[key]


def _request(world: World, rule: Rule, operation: str, role: str, company: Company) -> tuple[Any, str]:
    method, path = operation.split(" ", 1)
    for name, key in rule.params.items():
        path = path.replace("{" + name + "}", _value(world, company, key))
    body = rule.body(world, company) if rule.body else None
    query = rule.query(world, company) if rule.query else None
    token = None if role == "none" else world.token(role)
    response = world.api.request(method, path, token, json=body, params=query)
    sent = path + json.dumps(body) + json.dumps(query)
    return response, sent


def _expected(rule: Rule, role: str, side: str) -> int | str:
    if rule.roles is None:
        return "ok"
    if role == "none":
        return 401
    if role not in rule.roles:
        return 403
    if side == "foreign" and role not in OWNS_EVERYTHING:
        return rule.foreign if rule.foreign is not None else "ok"
    return "allowed"


@pytest.mark.parametrize("operation, role, side", _cases())
def test_route_answers_each_role_as_the_contract_says(world, operation, role, side):
    rule = EXPECTATIONS.get(operation)
    assert rule is not None, f"{operation} has no entry in EXPECTATIONS"
    company = world.b if side == "foreign" else world.a
    response, sent = _request(world, rule, operation, role, company)
    expected = _expected(rule, role, side)
    status = response.status_code
    where = f"{operation} as {role} on {side} resource: {status} {response.text[:300]}"

    assert status < 500, where
    if expected == "ok":
        assert status < 400, where
    elif expected == "allowed":
        assert status not in (401, 403, 404), where
    else:
        assert status == expected, where
    if status >= 400:
        assert response.headers.get("content-type", "").startswith("application/problem+json"), where
    if rule.roles is not None and role not in OWNS_EVERYTHING:
        leaked = sorted(s for s in world.b.secrets if s in response.text and s not in sent)
        assert leaked == [], f"{where}\nleaks company B's {leaked}"
