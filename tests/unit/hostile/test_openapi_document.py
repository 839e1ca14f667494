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
