"""testkit.contract judges an answer by the OpenAPI document: an undocumented status, media type or body fails."""

from __future__ import annotations

import json

import pytest
import requests
from testkit.contract import ContractCheck, ContractViolation

from apidocs.openapi import merged_document

BASE = "http://127.0.0.1:3000"


@pytest.fixture(scope="module")
def check():
    return ContractCheck(merged_document(), BASE)


def answer(method: str, path: str, status: int, body=None, content_type="application/json", base=BASE):
    response = requests.Response()
    response.status_code = status
    response._content = b"" if body is None else json.dumps(body).encode()
    response.headers["content-type"] = content_type
    response.request = requests.Request(method, base + path).prepare()
    return response


PARTNERSHIP = {"id": "p1", "name": "Bouw", "joint_committees": ["124"], "status": "C"}
PROBLEM = {"type": "https://x/problems/not-found", "title": "Not Found", "status": 404, "detail": "No such."}


def test_a_documented_answer_passes_and_is_counted(check):
    check.check(answer("GET", "/partnerships", 200, [PARTNERSHIP]))
    check.check(answer("GET", "/applications/abc", 404, PROBLEM, "application/problem+json"))
    assert check.checked["GET /partnerships 200"] == 1
    assert check.checked["GET /applications/{application_id} 404"] == 1


def test_an_undocumented_status_fails(check):
    with pytest.raises(ContractViolation, match="status not documented"):
        check.check(answer("GET", "/partnerships", 404, PROBLEM, "application/problem+json"))


def test_a_body_off_its_schema_fails(check):
    with pytest.raises(ContractViolation, match="schema"):
        check.check(answer("GET", "/partnerships", 200, [{**PARTNERSHIP, "status": "X"}]))
    with pytest.raises(ContractViolation, match="schema"):
        check.check(answer("POST", "/applications", 422, {"title": "no type"}, "application/problem+json"))


def test_a_problem_as_plain_json_fails(check):
    with pytest.raises(ContractViolation, match="media type"):
        check.check(answer("GET", "/applications/abc", 404, PROBLEM))


def test_a_literal_path_is_not_taken_for_a_template(check):
    assert check.operation("GET", "/register/verify")[0] == "/register/verify"
    assert check.operation("GET", "/review/applications/x/y") is None


def test_local_routes_and_other_hosts_are_not_judged(check):
    check.check(answer("POST", "/_local/clock", 418, {}))
    check.check(answer("PUT", "/bucket/key", 403, None, "application/xml", base="http://127.0.0.1:4566"))
