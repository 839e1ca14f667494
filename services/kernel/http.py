"""HTTP plumbing shared by the services' API handlers.

One mapping from exceptions to RFC 9457 problems, registered on every resolver; the caller's
identity from the JWT claims that the API Gateway authorizer verified; JSON responses.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from kernel import clock
from kernel.errors import DomainError, FieldError, Forbidden
from kernel.identifiers import normalise

PROBLEM_JSON = "application/problem+json"
# A problem lists at most this many field errors, with error_count telling how many there were:
# 200,000 unknown keys must not become an 18 MB answer (Lambda's response limit is 6 MB).
MAX_ERRORS = 50
PROBLEM_BASE = "https://duaal-leren.example.be/problems/"
ROLES = ("employer", "intermediary", "partnership", "appeals")
F = TypeVar("F", bound=Callable[..., Any])

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


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(body: Any) -> str:
    return json.dumps(body, default=_default, ensure_ascii=False)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type="application/json", body=dumps(body), headers=headers)


def problem(status: int, title: str, detail: str, type_suffix: str, errors: list[FieldError] | None = None,
            error_count: int | None = None) -> Response:
    body: dict[str, Any] = {"type": PROBLEM_BASE + type_suffix, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [e.as_dict() for e in errors[:MAX_ERRORS]]
        body["error_count"] = max(error_count or 0, len(errors))
    return Response(status_code=status, content_type=PROBLEM_JSON, body=dumps(body))


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
    return problem(422, "Unprocessable Content", "Some fields are missing or invalid.", "validation", fields, len(errors))


def _to_field_error(err: dict[str, Any]) -> FieldError:
    loc = tuple(err.get("loc", ("body",)))
    code = _CODES.get(err.get("type", ""), err.get("type", "invalid"))
    message = str(err.get("msg", "invalid"))
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return FieldError(field=_field_name(loc), code=code, message=message)


class GatedResolver(APIGatewayHttpResolver):
    """Powertools' resolver behind the request gate (kernel.gate): every event passes the gate
    first, however the handler calls it."""

    def __init__(self, logger: Logger, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gate_logger = logger

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        from kernel import gate

        refused = gate.check(event)
        if refused is not None:
            return _early_problem(refused.status, refused.title, refused.detail, refused.type_suffix,
                                  list(refused.errors))
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        given = headers.get("x-correlation-id")
        if given is not None and not gate.valid_correlation_id(given):
            # Every event of this request carries it; one the envelope would refuse is replaced.
            self._gate_logger.warning("X-Correlation-Id refused, the request id is used instead",
                                      extra={"correlation_id_length": len(given)})
            del headers["x-correlation-id"]
        # The gate accepted the media type (any case, merge patch on PATCH), or there is no body to
        # judge; Powertools reads only a lower-case application/json prefix as JSON (else a 500).
        headers["content-type"] = gate.JSON
        return super().resolve({**event, "headers": headers}, context)


def make_resolver(logger: Logger) -> APIGatewayHttpResolver:
    """A resolver behind the request gate, with request validation (which also yields the OpenAPI
    document) and the problem mapping. Routers are added with include_router."""
    app = GatedResolver(logger, enable_validation=True)
    # Routes that need a token say security=[{"bearer": []}]; the scheme is declared once here.
    # A plain dict: the HTTPBearer model would load Powertools' OpenAPI models (~100 ms) at import.
    app.configure_openapi(security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}})  # type: ignore[dict-item]

    @app.exception_handler(RequestValidationError)
    def _invalid(exc: RequestValidationError) -> Response:
        # Powertools validates before the route runs; the contract checks the role (403) before
        # the body (422), so a caller the route is not for learns nothing about its schema.
        forbidden = _forbidden_problem(app)
        return forbidden or validation_problem(list(exc.errors()))

    @app.exception_handler(DomainError)
    def _domain(exc: DomainError) -> Response:
        return problem(exc.status, exc.title, exc.detail, exc.type_suffix, exc.errors)

    @app.not_found
    def _not_found(_exc: Exception) -> Response:
        return problem(404, "Not Found", "No such resource.", "not-found")

    @app.exception_handler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Log for the operator; the client gets no stack trace and no internals.
        logger.exception("unhandled error in request")
        return problem(500, "Internal Server Error", "Something went wrong on our side.", "internal")

    return app


@dataclass(frozen=True)
class Caller:
    """Who is calling, from the verified JWT claims."""

    sub: str
    role: str
    enterprise_number: str | None = None
    partnership_id: str | None = None
    mandates: frozenset[str] = frozenset()

    def may_act_for(self, enterprise_number: str) -> bool:
        if self.role == "employer":
            return self.enterprise_number == enterprise_number
        if self.role == "intermediary":
            return enterprise_number in self.mandates
        return False

    def tenant(self) -> str:
        """The caller's whole identity as one string: role, sub, enterprise, partnership and a
        digest of the mandates. Two tokens that differ in any of them are different callers
        (idempotency keys are scoped by it)."""
        mandates = hashlib.sha256(",".join(sorted(self.mandates)).encode()).hexdigest()[:32] if self.mandates else "-"
        return "|".join((self.role, self.sub, self.enterprise_number or "-", self.partnership_id or "-", mandates))


def _claim_list(value: Any) -> list[str]:
    """API Gateway hands list claims to Lambda flattened as '[a b]'; tests may pass real lists."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
            if isinstance(loaded, list):
                return [str(v) for v in loaded]
        except ValueError:
            pass
        text = text.strip("[]")
    return [part for part in text.replace(",", " ").split() if part]


def caller_from_claims(claims: dict[str, Any] | None) -> Caller | None:
    if not claims or claims.get("role") not in ROLES or not claims.get("sub"):
        return None
    enterprise = claims.get("enterprise_number")
    return Caller(
        sub=str(claims["sub"]),
        role=str(claims["role"]),
        enterprise_number=normalise(str(enterprise)) if enterprise else None,
        partnership_id=str(claims["partnership_id"]) if claims.get("partnership_id") else None,
        mandates=frozenset(normalise(m) for m in _claim_list(claims.get("mandates"))),
    )


def current_caller(app: APIGatewayHttpResolver) -> Caller | None:
    authorizer = app.current_event.request_context.authorizer
    claims = authorizer.jwt_claim if authorizer else None
    return caller_from_claims(claims)


def for_roles(*roles: str) -> Callable[[F], F]:
    """Declare which roles a route is for; the route then calls authorized_caller(app)."""

    def mark(func: F) -> F:
        func.__allowed_roles__ = roles  # type: ignore[attr-defined]
        return func

    return mark


def _route_roles(app: APIGatewayHttpResolver) -> tuple[str, ...] | None:
    route = app.context.get("_route")
    return getattr(getattr(route, "func", None), "__allowed_roles__", None)


def _forbidden_problem(app: APIGatewayHttpResolver) -> Response | None:
    roles = _route_roles(app)
    if roles is None:
        return None
    caller = current_caller(app)
    if caller is None or caller.role not in roles:
        return problem(403, "Forbidden", f"This route is for: {', '.join(roles)}.", "forbidden")
    return None


def authorized_caller(app: APIGatewayHttpResolver) -> Caller:
    """The caller of a route declared with for_roles. Raises Forbidden when its role is not listed."""
    roles = _route_roles(app)
    if roles is None:
        raise RuntimeError("route has no for_roles declaration")
    return require_role(app, *roles)


def require_role(app: APIGatewayHttpResolver, *roles: str) -> Caller:
    """The caller, if it has one of the roles. Raises Forbidden (403) otherwise.

    The authorizer has already rejected missing or invalid tokens (401); a token without a
    known role is treated as one that may do nothing here.
    """
    caller = current_caller(app)
    if caller is None or caller.role not in roles:
        raise Forbidden(f"This route is for: {', '.join(roles)}.")
    return caller


def correlation_id(app: APIGatewayHttpResolver) -> str:
    """The client's X-Correlation-Id if it is one an event can carry, else the request id."""
    from kernel import gate

    headers = app.current_event.headers or {}
    given = headers.get("x-correlation-id")
    if given is not None and gate.valid_correlation_id(given):
        return given
    return app.current_event.request_context.request_id


def resolve(app: APIGatewayHttpResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What every API function's handler calls. The request gate runs inside app.resolve."""
    return app.resolve(event, context)


def _early_problem(status: int, title: str, detail: str, type_suffix: str,
                   errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A problem answered before the resolver runs, as a Lambda proxy response."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + type_suffix, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"], body["error_count"] = errors, len(errors)
    return {"statusCode": status, "headers": {"Content-Type": PROBLEM_JSON}, "body": dumps(body)}
