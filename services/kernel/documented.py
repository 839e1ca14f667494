"""What a route answers, for the OpenAPI document: ``responses=answers(...)`` in the route decorator.

Plain dicts that name response schemas by reference (``#/components/schemas/<Name>``): the pydantic
models behind the names live in each service's ``handlers/schemas.py`` and are turned into JSON Schema
only when services/apidocs builds the document, so a handler's cold start builds no schema.

The problems every route of a kind can give (400/413/415/422 for a body, 401/403 for a token, 404 for a
path identifier) are added by apidocs; a route names here the ones its own rules add (404, 409, 422).
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def problem(description: str) -> dict[str, Any]:
    """A problem response (RFC 9457, the shared Problem schema)."""
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


def answers(status: int, description: str, schema: str | None = None, *, many: bool = False,
            problems: dict[int, str] | None = None) -> dict[int, Any]:
    """The success response (``schema`` names a component; ``many``: a JSON array of it; no schema and
    204: no body) and the route's own problem responses, status -> when it happens."""
    success: dict[str, Any] = {"description": description}
    if schema is not None:
        body = {"type": "array", "items": ref(schema)} if many else ref(schema)
        success["content"] = {JSON: {"schema": body}}
    elif status != 204:
        success["content"] = {JSON: {"schema": {"type": "object"}}}
    documented: dict[int, Any] = {status: success}
    for code, when in (problems or {}).items():
        documented[code] = problem(when)
    return documented
