"""Merge the services' OpenAPI documents (Powertools builds one per resolver from the validated
routes) into the single document the API publishes.

The published document is built here ahead of the request: ``make openapi`` (``python -m
apidocs.openapi``) writes it to apidocs/openapi.json, which is deployed with the code and which
GET /openapi.json serves as it is. Building it at a cold start (every API module, every request and
response schema) took a fresh ApiDocs worker more than twice the cold-start budget.
tests/contract fails when the file is not what the routes build now.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

# The API modules whose routes the HTTP API exposes; tests/contract checks that this list and
# the template's HttpApi functions agree.
API_MODULES = (
    "apidocs.handler",
    "intake.handlers.api",
    "routing.handlers.api",
    "review.handlers.api",
    "notification.handlers.api",
    "appeal.handlers.api",
)

TITLE = "Leerwerkplek back office API"
VERSION = "1.0.0"
DESCRIPTION = (
    "Recognition of companies as workplace learning sites (leerwerkplekken) for dual learning in "
    "Flanders. Errors are application/problem+json (RFC 9457). Authenticated routes take "
    "`Authorization: Bearer <jwt>` with a `role` claim (employer, intermediary, partnership, appeals)."
)


PROBLEM_SCHEMAS: dict[str, Any] = {
    "FieldProblem": {
        "type": "object",
        "required": ["field", "code", "message"],
        "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
    },
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "maxItems": 50,
                "items": {"$ref": "#/components/schemas/FieldProblem"},
                "description": "The failing fields, at most 50.",
            },
            "error_count": {
                "type": "integer",
                "description": "How many fields failed (more than listed when over 50).",
            },
        },
    },
}
_PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_PROBLEM_STATUSES = {"400": "Malformed request: not JSON, not an object, a bad query parameter or header",
                     "422": "A field or rule is violated (`errors[]` names each field)"}
_POWERTOOLS_422 = "Validation Error"


def _problem_responses(operation: dict[str, Any]) -> None:
    """Powertools documents validation errors in its own shape; ours are problem+json."""
    responses = operation.setdefault("responses", {})
    takes_input = bool(operation.get("requestBody") or operation.get("parameters"))
    # A bad parameter is a 400 (kernel.problems); a 422 is about a body, or a rule the route names.
    may_give = {"400": takes_input, "422": bool(operation.get("requestBody"))}
    for status, description in _PROBLEM_STATUSES.items():
        declared = responses.get(status, {}).get("description")
        if declared == _POWERTOOLS_422:  # Powertools adds it to every route
            declared = None
        if may_give[status] or declared:
            responses[status] = {"description": declared or description, "content": _PROBLEM_CONTENT}
        else:
            responses.pop(status, None)
    if operation.get("security"):
        responses.setdefault("401", {"description": "No or invalid token", "content": _PROBLEM_CONTENT})
        responses.setdefault("403", {"description": "Role not allowed", "content": _PROBLEM_CONTENT})


IDEMPOTENCY_KEY_DESCRIPTION = (
    "Makes a creating POST safe to retry (1 to 255 visible ASCII characters; else 400). The same key "
    "and body from the same caller within 24 hours give the first response again, with "
    "`Idempotency-Replayed: true`, and create nothing twice; the same key with another body is a 422, "
    "and a 409 while the first request is still running. A key belongs to the caller's whole identity "
    "(role, sub, enterprise or partnership, mandates) and a replay is authorised like a first request: "
    "a caller who may no longer act gets 403 or 404, never the stored response."
)
REPLAYED_HEADER = {
    "description": "`true` when this response is the stored answer to an earlier request with the same "
                   "Idempotency-Key (nothing was created now); absent on a first response.",
    "schema": {"type": "string", "enum": ["true"]},
}


GATE_STATUSES = {
    "413": "The body is larger than 6 MB",
    "415": "The body is not application/json in UTF-8 (on PATCH also application/merge-patch+json), "
           "or has a Content-Encoding",
}
GATE_DESCRIPTION = (
    "\n\nA body is a JSON object in UTF-8 of at most 6 MB, nested at most 16 levels, with at most 1,000 "
    "members per object and items per array, numbers of at most 32 characters and no member named twice; "
    "else 400. Path identifiers have at most 100 characters of A-Z a-z 0-9 . _ ~ : - (else 404)."
)


def _request_gate(method: str, operation: dict[str, Any]) -> None:
    """What kernel.gate refuses before the route runs, and the merge patch media type of PATCH."""
    body = operation.get("requestBody")
    if not body:
        return
    content = body.setdefault("content", {})
    if method == "patch" and "application/json" in content:
        content["application/merge-patch+json"] = content["application/json"]
    responses = operation.setdefault("responses", {})
    for status, description in GATE_STATUSES.items():
        responses.setdefault(status, {"description": description, "content": _PROBLEM_CONTENT})
    if GATE_DESCRIPTION.strip() not in operation.get("description", ""):
        operation["description"] = (operation.get("description", "") + GATE_DESCRIPTION).strip()


def _idempotency(operation: dict[str, Any]) -> None:
    """Document the Idempotency-Key parameter and the replay header its responses may carry."""
    parameters = operation.get("parameters") or []
    key = next(
        (p for p in parameters if p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key"), None
    )
    if key is None:
        return
    key["name"] = "Idempotency-Key"
    key["description"] = IDEMPOTENCY_KEY_DESCRIPTION
    key["schema"] = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"}
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            response.setdefault("headers", {})["Idempotency-Replayed"] = REPLAYED_HEADER


# Each API module's response models: <svc>.handlers.schemas.MODELS (kernel.documented names them).
def _schemas_module(api_module: str) -> str | None:
    package = api_module.split(".")[0]
    return f"{package}.handlers.schemas" if api_module.endswith(".handlers.api") else None


def response_schemas() -> dict[str, Any]:
    """The services' response models as JSON Schema components (serialization mode: what is sent)."""
    from pydantic.json_schema import models_json_schema

    models = []
    for module_name in API_MODULES:
        schemas_module = _schemas_module(module_name)
        if schemas_module is not None:
            models.extend(importlib.import_module(schemas_module).MODELS)
    _, top = models_json_schema([(m, "serialization") for m in models], ref_template=REF_TEMPLATE)
    return dict(top.get("$defs", {}))


REF_TEMPLATE = "#/components/schemas/{model}"
# Powertools' own validation error shapes: ours are problems (the Problem schema).
_POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


def _path_problems(path: str, operation: dict[str, Any]) -> None:
    """A path identifier the gate refuses, or one that names nothing (of the caller's), is a 404."""
    if "{" in path:
        operation["responses"].setdefault("404", {"description": "No such resource (or not the caller's)",
                                                  "content": _PROBLEM_CONTENT})


def _no_body(operation: dict[str, Any]) -> None:
    """A 204 has no body; Powertools gives every response a content."""
    for status, response in operation.get("responses", {}).items():
        if status == "204":
            response.pop("content", None)
        elif status.startswith(("4", "5")):
            response["content"] = _PROBLEM_CONTENT


def merged_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for module_name in API_MODULES:
        app = importlib.import_module(module_name).app
        document = app.get_openapi_schema(title=TITLE, version=VERSION).model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
        for path, operations in document.get("paths", {}).items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(document.get("components", {}).get("schemas", {}))
    for name in _POWERTOOLS_SCHEMAS:
        schemas.pop(name, None)
    responses = response_schemas()
    clash = set(responses) & set(schemas)
    if clash:  # a response model named like a request body would silently replace it
        raise ValueError(f"response and request schemas share names: {sorted(clash)}")
    schemas.update(responses)
    schemas.update(PROBLEM_SCHEMAS)
    for path, operations in paths.items():
        for method, operation in operations.items():
            _problem_responses(operation)
            _request_gate(method, operation)
            _path_problems(path, operation)
            _idempotency(operation)
            _no_body(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


# What GET /openapi.json serves (apidocs.handler reads it; nothing else may differ from merged_document()).
PUBLISHED = Path(__file__).with_name("openapi.json")


def published_text(document: dict[str, Any]) -> str:
    """The published file's text: the document as JSON, indented so that a change reads as a diff."""
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write(target: Path = PUBLISHED) -> Path:
    target.write_text(published_text(merged_document()), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else PUBLISHED))
