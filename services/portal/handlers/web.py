"""The HTTP edge's plumbing: the request as the pages need it (site, language, session, form),
and HTML responses with their security headers and cookies."""

from __future__ import annotations

import base64
import functools
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from portal import bootstrap
from portal.domain.session import Session, same_secret
from portal.domain.texts import language
from portal.usecases.ports import PortalError, Viewer
from portal.usecases.sessions import current_session

SESSION_COOKIE = "lwp_session"
LOGIN_COOKIE = "lwp_login"
LANGUAGE_COOKIE = "lwp_lang"
MAX_FORM_BYTES = 64 * 1024


class CsrfFailed(PortalError):
    """A form came without the session's CSRF token (or without a session)."""


class BadForm(PortalError):
    """A form body that is not a form, or too large."""


@dataclass
class Request:
    """One page request, read once from the API Gateway event."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes
    site: str  # scheme://host[:port] the browser used
    api_base: str
    _session: Any = field(default=None, repr=False)
    _loaded: bool = False

    @property
    def lang(self) -> str:
        return language(self.cookies.get(LANGUAGE_COOKIE))

    @property
    def is_htmx(self) -> bool:
        return self.headers.get("hx-request") == "true"

    @property
    def session(self) -> Session | None:
        if not self._loaded:
            self._session = current_session(bootstrap.ports(), self.cookies.get(SESSION_COOKIE))
            self._loaded = True
        return self._session

    def replace_session(self, session: Session | None) -> None:
        self._session, self._loaded = session, True

    @property
    def viewer(self) -> Viewer:
        session = self.session
        return Viewer(self.api_base, session.access_token if session else None)

    @property
    def public(self) -> Viewer:
        return Viewer(self.api_base)

    @functools.cached_property
    def form(self) -> dict[str, str]:
        """The url-encoded form (the last value of a repeated name). Raises BadForm."""
        if len(self.body) > MAX_FORM_BYTES:
            raise BadForm("form too large")
        content_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if self.body and content_type not in ("application/x-www-form-urlencoded", ""):
            raise BadForm("not a form")
        try:
            parsed = parse_qs(self.body.decode("utf-8"), keep_blank_values=True, max_num_fields=400)
        except (UnicodeDecodeError, ValueError):
            raise BadForm("not a form") from None
        return {k: v[-1] for k, v in parsed.items()}

    def checked_form(self) -> dict[str, str]:
        """The form of a signed-in user, after checking its CSRF token. Raises CsrfFailed, BadForm."""
        session = self.session
        form = self.form
        if session is None or not same_secret(form.get("csrf_token"), session.csrf_token):
            raise CsrfFailed("missing or wrong CSRF token")
        return form

    def json_body(self) -> dict[str, Any]:
        import json

        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            raise BadForm("not JSON") from None
        if not isinstance(data, dict):
            raise BadForm("not a JSON object")
        return data

    @property
    def full_path(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")


def read_request(app: APIGatewayHttpResolver) -> Request:
    event = app.current_event
    raw = event.raw_event
    headers = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
    cookies: dict[str, str] = {}
    for pair in raw.get("cookies") or []:
        name, _, value = pair.partition("=")
        cookies.setdefault(name.strip(), value.strip())
    body = raw.get("body") or ""
    data = base64.b64decode(body) if raw.get("isBase64Encoded") else body.encode("utf-8")
    site = _site(raw, headers)
    api_base = bootstrap.settings().api_base_url.rstrip("/") or site
    return Request(method=event.http_method.upper(), path=raw.get("rawPath") or "/",
                   query={k: v for k, v in (raw.get("queryStringParameters") or {}).items()},
                   headers=headers, cookies=cookies, body=data, site=site, api_base=api_base)


def _site(raw: dict[str, Any], headers: dict[str, str]) -> str:
    """The origin the browser used: the API Gateway domain of this request (requestContext.domainName,
    which the gateway sets, not the client), with the Host header's port when it names the same host."""
    domain = (raw.get("requestContext") or {}).get("domainName") or "localhost"
    host = headers.get("host", domain)
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip()
    if urlsplit(f"//{host}").hostname != domain.lower():
        host = domain
    return f"{'http' if scheme == 'http' else 'https'}://{host}"


# ---------------------------------------------------------------------- responses
def security_headers(req: Request | None, *, cache: bool = False) -> dict[str, str]:
    stylesheet = bootstrap.settings().stylesheet_url
    style_src = "'self'" + (f" {_origin(stylesheet)}" if stylesheet.startswith("https://") else "")
    # Uploads go straight to S3 (presigned PUT): the browser may connect there and nowhere else
    # (locally, moto's endpoint stands in for S3).
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    connect_src = "'self' https://*.amazonaws.com" + (f" {_origin(endpoint, port=True)}" if endpoint else "")
    headers = {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self'; style-src {style_src}; img-src 'self' data:; "
            f"connect-src {connect_src}; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if not cache:
        headers["Cache-Control"] = "no-store"
    if req is not None and req.site.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def _origin(url: str, port: bool = False) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc if port else parts.hostname}"


def html(req: Request, body: str, status: int = 200, cookies: list[Cookie] | None = None) -> Response:
    headers = security_headers(req)
    headers["Vary"] = "HX-Request, Cookie"
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body, headers=headers,
                    cookies=cookies or [])


def redirect(req: Request, location: str, cookies: list[Cookie] | None = None, status: int = 303) -> Response:
    headers = security_headers(req)
    headers["Location"] = location
    if req.is_htmx:  # htmx follows a plain redirect inside its target; send the whole page instead
        headers["HX-Redirect"] = location
    return Response(status_code=status, body="", headers=headers, cookies=cookies or [])


def cookie(req: Request, name: str, value: str, max_age: int, *, http_only: bool = True) -> Cookie:
    # Secure everywhere: browsers treat http://127.0.0.1 and localhost as secure contexts.
    return Cookie(name=name, value=value, path="/", secure=True, http_only=http_only, max_age=max_age,
                  same_site=SameSite.LAX_MODE)


def expired_cookie(req: Request, name: str) -> Cookie:
    return Cookie(name=name, value="", path="/", secure=True, http_only=True, max_age=0, same_site=SameSite.LAX_MODE)
