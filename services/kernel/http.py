"""HTTP plumbing shared by the services' API handlers: the resolver every API function uses
(behind the request gate, with the one mapping from exceptions to problems), JSON responses and
the request's correlation id.

Problems are in kernel.problems, the caller's identity and roles in kernel.auth. The handlers take
Powertools' Response from here (and Body, Header, Query from kernel.params), so that kernel.powertools
runs before anything of Powertools' event handler is imported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# First: Powertools' event_handler and data_classes packages without their __init__ (kernel.powertools).
from kernel import powertools  # noqa: F401

# isort: split
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from kernel import clock, gate
from kernel.auth import current_caller, route_roles
from kernel.errors import DomainError
from kernel.problems import early_problem, problem, validation_problem

__all__ = ["APIGatewayHttpResolver", "Response", "correlation_id", "dumps", "json_response", "make_resolver", "resolve"]


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(body: Any) -> str:
    """JSON of a response body: instants as ISO 8601 UTC, dates as ISO dates, sets sorted."""
    return json.dumps(body, default=_default, ensure_ascii=False)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type="application/json", body=dumps(body), headers=headers)


class GatedResolver(APIGatewayHttpResolver):
    """Powertools' resolver behind the request gate (kernel.gate): every event passes the gate
    first, however the handler calls it."""

    def __init__(self, logger: Logger, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gate_logger = logger

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        refused = gate.check(dict(event))
        if refused is not None:
            return early_problem(refused.status, refused.title, refused.detail, refused.type_suffix,
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


def _forbidden_problem(app: APIGatewayHttpResolver) -> Response | None:
    roles = route_roles(app)
    if roles is None:
        return None
    caller = current_caller(app)
    if caller is None or caller.role not in roles:
        return problem(403, "Forbidden", f"This route is for: {', '.join(roles)}.", "forbidden")
    return None


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


def correlation_id(app: APIGatewayHttpResolver) -> str:
    """The client's X-Correlation-Id if it is one an event can carry, else the request id."""
    headers = app.current_event.headers or {}
    given = headers.get("x-correlation-id")
    if given is not None and gate.valid_correlation_id(given):
        return given
    return app.current_event.request_context.request_id


def resolve(app: APIGatewayHttpResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What every API function's handler calls. The request gate runs inside app.resolve."""
    return app.resolve(event, context)
