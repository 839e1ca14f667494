"""The routes that exist only locally, never in the template: ``/_local/*``.

- ``POST /_local/token``  a JWT the gateway accepts: ``{"role", "enterprise_number", "partnership_id",
  "mandates", "sub", "ttl_seconds"}``
- ``GET|POST /_local/clock``  the runtime clock; POST ``{"advance_days", "advance_seconds"}`` moves it, firing
  due schedules and settling (504 when the system does not settle)
- ``GET /_local/mail[?raw=1]``  every e-mail SES accepted, oldest first
- ``POST /_local/settle[?timeout=30]``  returns once queues are empty and nothing runs (504 otherwise)
- ``/_local/oidc/*``  the portal's OpenID provider (oidc.py)

Each route gets only the runtime's part it needs, as a callable, so nothing here knows the runtime.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from . import tokens
from .clock import Clock
from .oidc import PREFIX as OIDC_PREFIX
from .responses import Response, json_response, problem

LOCAL_PREFIX = "/_local/"
Handler = Callable[[str, bytes], Response]  # (query, body) -> response


class _BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response[0])
        self.response = response


class LocalRoutes:
    def __init__(self, *, clock: Clock, token: Callable[..., str], advance: Callable[..., int],
                 settle: Callable[..., bool], mail: Callable[..., list[dict]],
                 oidc: Callable[[str, str, str, bytes, dict[str, str]], Response]) -> None:
        """``token(role, **claims)``, ``advance(days=, seconds=)`` (raises TimeoutError when the system does
        not settle), ``settle(timeout=)`` (raises TimeoutError), ``mail(include_raw=)``, and the OpenID
        provider's ``handle(method, path, query, body, headers)``."""
        self.clock = clock
        self._token, self._advance, self._settle, self._mail, self._oidc = token, advance, settle, mail, oidc
        self._routes: dict[str, dict[str, Handler]] = {
            "/_local/token": {"POST": self.token},
            "/_local/clock": {"GET": self.read_clock, "POST": self.advance_clock},
            "/_local/mail": {"GET": self.mail},
            "/_local/settle": {"POST": self.settle},
        }

    def handle(self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Response:
        """The answer to a request on a local path; ``headers`` with lower-case names."""
        if path.startswith(OIDC_PREFIX + "/"):  # the portal's local login (oidc.py)
            return self._oidc(method, path, query, body, headers)
        methods = self._routes.get(path)
        if methods is None:
            return problem(404, "Not Found", f"no local route {path}")
        handler = methods.get(method)
        if handler is None:
            return problem(405, "Method Not Allowed")
        try:
            return handler(query, body)
        except _BadRequest as exc:
            return exc.response

    def token(self, query: str, body: bytes) -> Response:
        data = _json_object(body)
        errors = _token_errors(data)
        if errors:
            return problem(422, "Unprocessable Content", "the token request is invalid", errors=errors)
        claims = {k: data[k] for k in ("enterprise_number", "partnership_id", "mandates", "sub", "ttl_seconds")
                  if data.get(k) is not None}
        return json_response(200, {"token": self._token(data["role"], **claims)})

    def read_clock(self, query: str, body: bytes) -> Response:
        return json_response(200, {"now": self.clock.iso_now(), "offset_seconds": self.clock.offset})

    def advance_clock(self, query: str, body: bytes) -> Response:
        data = _json_object(body) if body.strip() else {}
        errors = [{"field": k, "code": "invalid", "message": "must be an integer >= 0"}
                  for k in ("advance_days", "advance_seconds")
                  if k in data and (type(data[k]) is not int or data[k] < 0)]
        if errors:
            return problem(422, "Unprocessable Content", "invalid clock advance", errors=errors)
        try:
            fired = self._advance(days=data.get("advance_days", 0), seconds=data.get("advance_seconds", 0))
        except TimeoutError as exc:
            return problem(504, "Gateway Timeout", f"the system did not settle: {exc}", now=self.clock.iso_now())
        return json_response(200, {"now": self.clock.iso_now(), "offset_seconds": self.clock.offset, "fired": fired})

    def mail(self, query: str, body: bytes) -> Response:
        include_raw = dict(parse_qsl(query)).get("raw", "") in ("1", "true")
        return json_response(200, self._mail(include_raw=include_raw))

    def settle(self, query: str, body: bytes) -> Response:
        try:
            self._settle(timeout=float(dict(parse_qsl(query)).get("timeout", 30)))
        except TimeoutError as exc:
            return problem(504, "Gateway Timeout", str(exc))
        return json_response(200, {"settled": True, "now": self.clock.iso_now()})


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise _BadRequest(problem(400, "Bad Request", "the body is not JSON")) from None
    if not isinstance(data, dict):
        raise _BadRequest(problem(400, "Bad Request", "the body is not a JSON object"))
    return data


def _token_errors(data: dict[str, Any]) -> list[dict[str, str]]:
    errors = []
    if data.get("role") not in tokens.ROLES:
        errors.append({"field": "role", "code": "invalid", "message": f"role must be one of {', '.join(tokens.ROLES)}"})
    for key in ("enterprise_number", "partnership_id", "sub"):
        if data.get(key) is not None and not isinstance(data[key], str):
            errors.append({"field": key, "code": "invalid", "message": "must be a string"})
    mandates = data.get("mandates")
    if mandates is not None and (not isinstance(mandates, list) or not all(isinstance(m, str) for m in mandates)):
        errors.append({"field": "mandates", "code": "invalid", "message": "must be a list of strings"})
    ttl = data.get("ttl_seconds")
    if ttl is not None and (type(ttl) is not int or ttl <= 0):
        errors.append({"field": "ttl_seconds", "code": "invalid", "message": "must be a positive integer"})
    return errors
