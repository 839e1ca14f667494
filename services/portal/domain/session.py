"""A signed-in visit: who the user is (from the verified ID token), the access token the portal
calls the API with, the CSRF token of its forms, and when it ends.

The cookie holds only a random session id; the store keys the item by its SHA-256, so a read of
the table does not hand out live cookies. Times are real time (epoch seconds): a session is about
the user's security, not the procedure's business days.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

IDLE_SECONDS = 30 * 60  # a session nobody used for half an hour ends
MAX_SECONDS = 8 * 3600  # and every session ends after a working day, whatever the token says
TOUCH_EVERY_SECONDS = 5 * 60  # extending the idle limit costs a write: at most this often
LOGIN_SECONDS = 10 * 60  # a login started and not finished within this is forgotten
ROLES = ("employer", "intermediary", "partnership", "appeals")


def new_secret() -> str:
    """A random token for a cookie, a CSRF field, a state or a nonce."""
    return secrets.token_urlsafe(32)


def key_of(secret: str) -> str:
    """What the store keys an item by: never the cookie value itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: BASE64URL(SHA256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def same_secret(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


@dataclass(frozen=True)
class User:
    sub: str
    role: str
    name: str | None = None
    enterprise_number: str | None = None
    partnership_id: str | None = None
    mandates: tuple[str, ...] = ()

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> User:
        """Raises ValueError when the claims name no known role."""
        role = claims.get("role")
        if role not in ROLES or not claims.get("sub"):
            raise ValueError("the identity carries no known role")
        mandates = claims.get("mandates") or []
        if isinstance(mandates, str):  # as API Gateway flattens a list claim: "[a b]"
            mandates = mandates.strip("[]").replace(",", " ").split()
        return cls(sub=str(claims["sub"]), role=str(role), name=claims.get("name") or None,
                   enterprise_number=claims.get("enterprise_number") or None,
                   partnership_id=claims.get("partnership_id") or None,
                   mandates=tuple(sorted(str(m) for m in mandates)))

    @property
    def acts_for_companies(self) -> bool:
        return self.role in ("employer", "intermediary")


@dataclass(frozen=True)
class Session:
    key: str  # key_of(cookie value)
    user: User
    access_token: str
    csrf_token: str
    created_at: float
    expires_at: float  # absolute end
    idle_until: float
    acting_for: str | None = None  # the enterprise an intermediary works for now

    @classmethod
    def start(
        cls, cookie_value: str, user: User, access_token: str, token_expires_in: int | None, now: float
    ) -> Session:
        lifetime = min(MAX_SECONDS, int(token_expires_in) if token_expires_in else MAX_SECONDS)
        acting_for = user.enterprise_number if user.role == "employer" else (
            user.mandates[0] if len(user.mandates) == 1 else None)
        return cls(key=key_of(cookie_value), user=user, access_token=access_token, csrf_token=new_secret(),
                   created_at=now, expires_at=now + lifetime, idle_until=min(now + IDLE_SECONDS, now + lifetime),
                   acting_for=acting_for)

    def is_live(self, now: float) -> bool:
        return now < self.expires_at and now < self.idle_until

    def needs_touch(self, now: float) -> bool:
        return self.idle_until - now < IDLE_SECONDS - TOUCH_EVERY_SECONDS

    def touched(self, now: float) -> Session:
        return replace(self, idle_until=min(now + IDLE_SECONDS, self.expires_at))

    def acting(self, enterprise_number: str) -> Session:
        """Raises ValueError for an enterprise the user may not act for."""
        if self.user.role == "employer" and enterprise_number == self.user.enterprise_number:
            return replace(self, acting_for=enterprise_number)
        if self.user.role == "intermediary" and enterprise_number in self.user.mandates:
            return replace(self, acting_for=enterprise_number)
        raise ValueError("not an enterprise this user may act for")


@dataclass(frozen=True)
class LoginAttempt:
    """What the portal remembers between sending the browser to the issuer and its return."""

    key: str  # key_of(the login cookie)
    state: str
    nonce: str
    code_verifier: str
    return_to: str
    expires_at: float
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls, cookie_value: str, return_to: str, now: float) -> LoginAttempt:
        return cls(key=key_of(cookie_value), state=new_secret(), nonce=new_secret(),
                   code_verifier=secrets.token_urlsafe(64), return_to=safe_return_path(return_to),
                   expires_at=now + LOGIN_SECONDS)


START_PATHS = {"employer": "/portal/applications", "intermediary": "/portal/applications",
               "partnership": "/portal/review", "appeals": "/portal/committee"}


def home_path(user: User) -> str:
    """Where a user starts after logging in: the company's applications, the partnership's work
    queue, the appeal committee's queue."""
    return START_PATHS.get(user.role, "/")


def safe_return_path(path: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path or "\r" in path:
        return "/portal/applications"
    return path[:500]
