"""The routes that exist only locally, never in the template: ``/_local/*``.

- ``POST /_local/token``  a JWT the gateway accepts: ``{"role", "enterprise_number", "partnership_id",
  "mandates", "sub", "ttl_seconds"}``. The claims must fit the role (else 422): employer needs a valid
  ``enterprise_number``, intermediary a non-empty ``mandates`` list of enterprise numbers, partnership a
  ``partnership_id`` of GET /partnerships, appeals none of the three; any other key is a 422.
- ``GET /_local/clock``  ``{"now", "offset_seconds"}``
- ``POST /_local/clock``  ``{"advance_days": int >= 0, "advance_seconds": int >= 0}`` (any other key: 422)
  moves the clock day by day, firing each day's due schedules and settling after each (504 when the system
  does not settle); answers ``{"now", "offset_seconds", "fired": [{"schedule", "due_at", "queue",
  "event": {"event_name", "event_id", ...}}]}``, what fired in order
- ``GET /_local/mail[?to=address][&subject=text][&raw=1]``  every e-mail SES accepted, oldest first, each
  once with each recipient once; ``to`` matches a recipient (to, cc or bcc), ``subject`` a part of the
  subject, both ignoring case; each attachment has a ``url``:
- ``GET /_local/mail/{id}/attachments/{n}``  the n-th (from 0) attachment's bytes, with its content type
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
from .mail import attachment
from .oidc import PREFIX as OIDC_PREFIX
from .responses import Response, json_response, problem

LOCAL_PREFIX = "/_local/"
MAIL_PREFIX = "/_local/mail/"
Handler = Callable[[str, bytes], Response]  # (query, body) -> response
TOKEN_KEYS = ("role", "enterprise_number", "partnership_id", "mandates", "sub", "ttl_seconds")
CLOCK_KEYS = ("advance_days", "advance_seconds")
MAIL_FILTERS = ("to", "subject", "raw")


class _BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response[0])
        self.response = response


class LocalRoutes:
    def __init__(self, *, clock: Clock, token: Callable[..., str], advance: Callable[..., list[dict]],
                 settle: Callable[..., bool], mail: Callable[..., list[dict]],
                 oidc: Callable[[str, str, str, bytes, dict[str, str]], Response]) -> None:
        """``token(role, **claims)``, ``advance(days=, seconds=)`` (what fired; raises TimeoutError when the
        system does not settle), ``settle(timeout=)`` (raises TimeoutError), ``mail(include_raw=)``, and the OpenID
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
        if path.startswith(MAIL_PREFIX):
            return self.attachment(method, path.removeprefix(MAIL_PREFIX))
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
        errors = _unknown_keys(data, TOKEN_KEYS) + _token_errors(data)
        if errors:
            return problem(422, "Unprocessable Content", "the token request is invalid", errors=errors)
        claims = {k: data[k] for k in ("enterprise_number", "partnership_id", "mandates", "sub", "ttl_seconds")
                  if data.get(k) is not None}
        return json_response(200, {"token": self._token(data["role"], **claims)})

    def read_clock(self, query: str, body: bytes) -> Response:
        return json_response(200, {"now": self.clock.iso_now(), "offset_seconds": self.clock.offset})

    def advance_clock(self, query: str, body: bytes) -> Response:
        data = _json_object(body) if body.strip() else {}
        errors = _unknown_keys(data, CLOCK_KEYS) + [
            {"field": k, "code": "invalid", "message": "must be an integer >= 0"}
            for k in CLOCK_KEYS if k in data and (type(data[k]) is not int or data[k] < 0)]
        if errors:
            return problem(422, "Unprocessable Content", "invalid clock advance", errors=errors)
        try:
            fired = self._advance(days=data.get("advance_days", 0), seconds=data.get("advance_seconds", 0))
        except TimeoutError as exc:
            return problem(504, "Gateway Timeout", f"the system did not settle: {exc}", now=self.clock.iso_now())
        return json_response(200, {"now": self.clock.iso_now(), "offset_seconds": self.clock.offset, "fired": fired})

    def mail(self, query: str, body: bytes) -> Response:
        asked = dict(parse_qsl(query))
        errors = _unknown_keys(asked, MAIL_FILTERS)
        if errors:
            return problem(422, "Unprocessable Content", "unknown mail filter", errors=errors)
        found = self._mail(include_raw=asked.get("raw", "") in ("1", "true"))
        to, subject = asked.get("to", "").strip().lower(), asked.get("subject", "").strip().lower()
        if to:
            found = [m for m in found if to in {a.lower() for k in ("to", "cc", "bcc") for a in m.get(k) or []}]
        if subject:
            found = [m for m in found if subject in (m.get("subject") or "").lower()]
        for message in found:
            for n, part in enumerate(message.get("attachments") or []):
                part["url"] = f"{MAIL_PREFIX}{message['id']}/attachments/{n}"
        return json_response(200, found)

    def attachment(self, method: str, rest: str) -> Response:
        """``{id}/attachments/{n}``: the attachment's bytes."""
        parts = rest.split("/")
        if len(parts) != 3 or parts[1] != "attachments" or not parts[2].isdigit():
            return problem(404, "Not Found", f"no local route {MAIL_PREFIX}{rest}")
        if method != "GET":
            return problem(405, "Method Not Allowed")
        message = next((m for m in self._mail(include_raw=True) if m.get("id") == parts[0]), None)
        found = attachment(message.get("raw") or "", int(parts[2])) if message else None
        if found is None:
            return problem(404, "Not Found", f"no attachment {parts[2]} of message {parts[0]}")
        filename, content_type, content = found
        return 200, {"Content-Type": content_type, "Content-Disposition": f'attachment; filename="{filename}"'}, content

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


def _unknown_keys(data: dict[str, Any], known: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"field": k, "code": "unknown_field", "message": f"unknown; known: {', '.join(known)}"}
            for k in data if k not in known]


def _claim(field: str, message: str) -> dict[str, str]:
    return {"field": field, "code": "does_not_fit_role", "message": message}


def _role_errors(data: dict[str, Any]) -> list[dict[str, str]]:
    """The claims a role's token must carry, and the ones it must not (kernel.auth reads them so)."""
    from kernel.identifiers import is_enterprise_number, normalise
    from reference.partnerships import partnership

    role, errors = data.get("role"), []
    enterprise, mandates = data.get("enterprise_number"), data.get("mandates")
    partnership_id = data.get("partnership_id")
    if role == "employer":
        if not isinstance(enterprise, str) or not is_enterprise_number(normalise(enterprise)):
            errors.append(_claim("enterprise_number", "an employer token needs a valid enterprise_number"))
    elif enterprise is not None:
        errors.append(_claim("enterprise_number", "only an employer token carries an enterprise_number"))
    if role == "intermediary":
        if not mandates or not isinstance(mandates, list) or not all(
                isinstance(m, str) and is_enterprise_number(normalise(m)) for m in mandates):
            errors.append(_claim("mandates", "an intermediary token needs mandates: valid enterprise numbers"))
    elif mandates is not None:
        errors.append(_claim("mandates", "only an intermediary token carries mandates"))
    if role == "partnership":
        if not isinstance(partnership_id, str) or partnership(partnership_id) is None:
            errors.append(_claim("partnership_id", "a partnership token needs the id of a partnership of "
                                                   "GET /partnerships"))
    elif partnership_id is not None:
        errors.append(_claim("partnership_id", "only a partnership token carries a partnership_id"))
    return errors


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
    if data.get("role") in tokens.ROLES:
        typed = {e["field"] for e in errors}
        errors += [e for e in _role_errors(data) if e["field"] not in typed]
    return errors
