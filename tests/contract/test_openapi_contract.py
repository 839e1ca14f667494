"""The OpenAPI document is the API's contract: it validates, every operation says what it answers (its real
success status, the body's schema, the problems it can give) and every reference resolves. That every e2e
answer matches it is checked by testkit.contract, installed on the e2e tier's client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from apidocs.openapi import API_MODULES, PUBLISHED, merged_document, published_text

ROOT = Path(__file__).resolve().parents[2]
PROBLEM_STATUSES = ("400", "401", "403", "404", "409", "413", "415", "422")


@pytest.fixture(scope="module")
def document():
    return merged_document()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_reference_resolves(document):
    names = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert names and names <= set(document["components"]["schemas"])
    assert not {"ValidationError", "HTTPValidationError", "ResponseValidationError"} & set(
        document["components"]["schemas"])


def test_every_operation_has_a_summary_a_success_with_a_schema_and_problem_errors(document):
    count = 0
    for path, method, operation in operations(document):
        count += 1
        assert operation.get("summary") and operation["summary"] != path, (method, path)
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert len(successes) == 1, (method, path, successes)
        status, success = next(iter(successes.items()))
        assert success["description"] != "Successful Response", (method, path)
        if status == "204":
            assert "content" not in success
        else:
            media = next(iter(success["content"].values()))
            assert media["schema"], (method, path)
        for status, response in operation["responses"].items():
            if status in PROBLEM_STATUSES:
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, (path, status)
    assert count >= 33


@pytest.mark.parametrize(("method", "path", "status"), [
    ("post", "/applications", "201"),
    ("post", "/applications/{application_id}/submit", "202"),
    ("post", "/applications/{application_id}/documents", "201"),
    ("delete", "/applications/{application_id}/documents/{document_id}", "204"),
    ("post", "/review/applications/{application_id}/decision", "201"),
    ("post", "/review/applications/{application_id}/questions", "201"),
    ("post", "/appeals", "201"),
    ("post", "/appeals/{appeal_id}/decision", "200"),
    ("get", "/register/verify", "200"),
])
def test_the_real_success_status_is_documented(document, method, path, status):
    assert [s for s in document["paths"][path][method]["responses"] if s.startswith("2")] == [status]


def test_the_errors_a_route_can_give_are_listed(document):
    paths = document["paths"]
    assert {"401", "403", "404", "409", "413", "415", "422"} <= set(
        paths["/applications/{application_id}/documents"]["post"]["responses"])
    assert "409" in paths["/review/applications/{application_id}/decision"]["post"]["responses"]
    assert "404" in paths["/applications/{application_id}"]["get"]["responses"]
    assert "401" not in paths["/register"]["get"]["responses"]  # public


def test_the_problem_schema_lists_the_field_errors(document):
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldProblem"}


def test_enums_are_explained(document):
    schemas = document["components"]["schemas"]
    status = schemas["Partnership"]["properties"]["status"]
    assert status["enum"] == ["C", "S", "U", "NF"] and "confirmed" in status["description"]
    outcome = schemas["AppealDecision"]["properties"]["outcome"]
    assert "company wins" in outcome["description"]
    assert "company wins" in schemas["Appeal"]["properties"]["status"]["description"]


def test_response_bodies_are_described(document):
    ok = document["paths"]["/applications"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Application"}
    listing = document["paths"]["/partnerships"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing == {"type": "array", "items": {"$ref": "#/components/schemas/Partnership"}}


def test_a_handler_builds_no_response_schema_at_import():
    """The response models are only for the document: importing a handler loads none of them."""
    code = (
        "import sys, importlib\n"
        f"for m in {list(m for m in API_MODULES if m.endswith('.handlers.api'))!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.endswith('.handlers.schemas')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": "services:infra", "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip() == "[]"


def test_the_published_document_is_the_one_the_routes_build(document):
    """GET /openapi.json serves apidocs/openapi.json as it is: it must be what the routes build now."""
    assert PUBLISHED.read_text(encoding="utf-8") == published_text(document), (
        "services/apidocs/openapi.json is not the document the routes build: run `make openapi`")
