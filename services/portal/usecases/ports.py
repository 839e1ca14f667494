"""What the portal's use cases need from the outside world, as Protocols, and the errors they raise.

The portal owns no business data: the JSON API (called with the user's own token) is the one
truth, so the authorizer, the roles and the authorisation matrix are the API's. The portal keeps
only its sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from portal.domain.session import LoginAttempt, Session


@dataclass(frozen=True)
class Viewer:
    """Who is looking and where the API is: the API base of this request, and the user's token."""

    api_base: str
    token: str | None = None


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class JsonApi(Protocol):
    def request(self, method: str, viewer: Viewer, path: str, *, query: dict[str, str] | None = None,
                body: Any = None, idempotency_key: str | None = None) -> ApiResponse:
        """Raises ApiUnavailable when the API cannot be reached or answers with a server error."""


class SessionStore(Protocol):
    def load(self, key: str) -> Session | None: ...
    def save(self, session: Session) -> None: ...
    def end(self, key: str) -> None: ...
    def load_login(self, key: str) -> LoginAttempt | None: ...
    def save_login(self, attempt: LoginAttempt) -> None: ...
    def end_login(self, key: str) -> None: ...


@dataclass(frozen=True)
class Identity:
    claims: dict[str, Any]  # of the verified ID token
    access_token: str
    expires_in: int | None


class IdentityProvider(Protocol):
    def authorization_url(self, site: str, *, redirect_uri: str, state: str, nonce: str, code_challenge: str) -> str:
        """``site``: the origin of this request (a relative discovery URL is read from it)."""

    def exchange(self, site: str, *, code: str, redirect_uri: str, code_verifier: str, nonce: str) -> Identity:
        """Raises LoginFailed when the issuer refuses the code or the ID token does not verify."""


@dataclass
class Ports:
    api: JsonApi
    sessions: SessionStore
    identity: IdentityProvider
    now: Callable[[], float]  # real time, epoch seconds (sessions)


# ---------------------------------------------------------------------- errors
class PortalError(Exception):
    """Something the page tells the user, never a stack trace."""


class ApiUnavailable(PortalError):
    """The API could not be reached or failed (5xx)."""


class SignInRequired(PortalError):
    """No session, or the API no longer accepts its token (401)."""


class LoginFailed(PortalError):
    pass


class ApiProblem(PortalError):
    """The API answered with a problem (4xx): status, detail and the field errors to show."""

    def __init__(self, status: int, body: Any):
        body = body if isinstance(body, dict) else {}
        self.status = status
        self.title = str(body.get("title") or "")
        self.detail = str(body.get("detail") or "")
        self.errors: list[dict[str, str]] = [e for e in body.get("errors") or [] if isinstance(e, dict)]
        super().__init__(f"{status} {self.title}: {self.detail}")

    def by_field(self) -> dict[str, list[dict[str, str]]]:
        found: dict[str, list[dict[str, str]]] = {}
        for error in self.errors:
            found.setdefault(str(error.get("field", "")), []).append(error)
        return found


def expect(response: ApiResponse) -> Any:
    """The body of a successful response. Raises SignInRequired on 401, ApiProblem on another 4xx."""
    if response.ok:
        return response.body
    if response.status == 401:
        raise SignInRequired("the API refused the session's token")
    raise ApiProblem(response.status, response.body)
