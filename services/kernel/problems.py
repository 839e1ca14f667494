"""RFC 9457 problem responses: the one shape every refusal of every API takes.

A domain error, a request validation error and a refusal of the request gate all end here, so a
client reads one kind of answer whatever went wrong.
"""

from __future__ import annotations

import json
from typing import Any

from kernel import powertools  # noqa: F401  (first: see kernel.powertools)

# isort: split
from aws_lambda_powertools.event_handler.api_gateway import Response

from kernel.errors import FieldError

PROBLEM_JSON = "application/problem+json"
# A problem lists at most this many field errors, with error_count telling how many there were:
# 200,000 unknown keys must not become an 18 MB answer (Lambda's response limit is 6 MB).
MAX_ERRORS = 50
PROBLEM_BASE = "https://duaal-leren.example.be/problems/"

# pydantic error types -> the codes clients see in errors[].code
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "too_long": "too_many",
    "too_short": "too_few",
    "literal_error": "not_allowed",
    "enum": "not_allowed",
    "string_pattern_mismatch": "invalid_format",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "bool_parsing": "not_boolean",
    "bool_type": "not_boolean",
    "int_parsing": "not_integer",
    "int_type": "not_integer",
    "string_type": "not_string",
    "model_attributes_type": "not_object",
    "list_type": "not_list",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "value_error": "invalid",
}


def _body(status: int, title: str, detail: str, type_suffix: str) -> dict[str, Any]:
    return {"type": PROBLEM_BASE + type_suffix, "title": title, "status": status, "detail": detail}


def _text(body: dict[str, Any]) -> str:
    # A problem holds strings and numbers only: no date needs encoding.
    return json.dumps(body, ensure_ascii=False)


def problem(status: int, title: str, detail: str, type_suffix: str, errors: list[FieldError] | None = None,
            error_count: int | None = None) -> Response:
    body = _body(status, title, detail, type_suffix)
    if errors:
        body["errors"] = [e.as_dict() for e in errors[:MAX_ERRORS]]
        body["error_count"] = max(error_count or 0, len(errors))
    return Response(status_code=status, content_type=PROBLEM_JSON, body=_text(body))


def early_problem(status: int, title: str, detail: str, type_suffix: str,
                  errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A problem answered before the resolver runs, as a Lambda proxy response."""
    body = _body(status, title, detail, type_suffix)
    if errors:
        body["errors"], body["error_count"] = errors, len(errors)
    return {"statusCode": status, "headers": {"Content-Type": PROBLEM_JSON}, "body": _text(body)}


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc[1:]:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or str(loc[0])


def validation_problem(errors: list[dict[str, Any]]) -> Response:
    """400 when the request itself is malformed (not JSON, not an object, a bad query or header
    parameter); 422 listing every field when a well-formed body breaks the schema."""
    for err in errors:
        loc = tuple(err.get("loc", ()))
        where = loc[0] if loc else "body"
        if err.get("type") == "json_invalid":
            return problem(400, "Bad Request", "The body is not valid JSON.", "malformed-body")
        if where == "body" and len(loc) <= 1:
            return problem(400, "Bad Request", "The body must be a JSON object.", "malformed-body")
    malformed = [e for e in errors if tuple(e.get("loc", ("body",)))[0] in ("query", "header", "path", "cookie")]
    if malformed:
        fields = [_to_field_error(e) for e in malformed[:MAX_ERRORS]]
        return problem(400, "Bad Request", "A request parameter is missing or invalid.", "bad-parameter", fields,
                       len(malformed))
    fields = [_to_field_error(e) for e in errors[:MAX_ERRORS]]
    return problem(
        422, "Unprocessable Content", "Some fields are missing or invalid.", "validation", fields, len(errors)
    )


def _to_field_error(err: dict[str, Any]) -> FieldError:
    loc = tuple(err.get("loc", ("body",)))
    code = _CODES.get(err.get("type", ""), err.get("type", "invalid"))
    message = str(err.get("msg", "invalid"))
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return FieldError(field=_field_name(loc), code=code, message=message)
