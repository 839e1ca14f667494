"""The OpenAPI document says what the request gate and the idempotency keys do."""

from __future__ import annotations

import pytest

from apidocs.openapi import merged_document


@pytest.fixture(scope="module")
def document():
    return merged_document()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_idempotent_operation_documents_the_key_and_the_replay_header(document):
    keyed = 0
    for path, method, operation in operations(document):
        params = [p for p in operation.get("parameters", []) if p.get("name", "").lower() == "idempotency-key"]
        if not params:
            continue
        keyed += 1
        assert params[0]["name"] == "Idempotency-Key" and "Idempotency-Replayed" in params[0]["description"], path
        assert params[0]["schema"]["maxLength"] == 255
        successes = [r for status, r in operation["responses"].items() if status.startswith("2")]
        assert successes and all("Idempotency-Replayed" in r.get("headers", {}) for r in successes), (method, path)
    assert keyed >= 11  # every creating POST of intake, review and appeal


def test_a_patch_takes_a_merge_patch_and_every_body_route_documents_413_and_415(document):
    patch = document["paths"]["/applications/{application_id}"]["patch"]["requestBody"]["content"]
    assert set(patch) == {"application/json", "application/merge-patch+json"}
    bodies = [(path, op) for path, method, op in operations(document) if op.get("requestBody")]
    assert len(bodies) >= 13
    for path, operation in bodies:
        assert {"400", "413", "415", "422"} <= set(operation["responses"]), path
        assert operation["responses"]["415"]["content"]["application/problem+json"]


def test_the_problem_schema_says_errors_are_capped_with_a_count(document):
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert problem["errors"]["maxItems"] == 50 and problem["error_count"]["type"] == "integer"
