"""Who is calling: the caller's identity from the JWT claims that the API Gateway authorizer
verified, and the roles each route is for.

Nothing here loads Powertools, so use cases can name ``Caller`` without the resolver.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kernel.errors import Forbidden
from kernel.identifiers import normalise

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

ROLES = ("employer", "intermediary", "partnership", "appeals")
F = TypeVar("F", bound=Callable[..., Any])


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


def route_roles(app: APIGatewayHttpResolver) -> tuple[str, ...] | None:
    """The roles the current route was declared for, or None for a route open to all."""
    route = app.context.get("_route")
    return getattr(getattr(route, "func", None), "__allowed_roles__", None)


def authorized_caller(app: APIGatewayHttpResolver) -> Caller:
    """The caller of a route declared with for_roles. Raises Forbidden (403) when its role is not
    listed.

    The authorizer has already rejected missing or invalid tokens (401); a token without a
    known role is treated as one that may do nothing here.
    """
    roles = route_roles(app)
    if roles is None:
        raise RuntimeError("route has no for_roles declaration")
    caller = current_caller(app)
    if caller is None or caller.role not in roles:
        raise Forbidden(f"This route is for: {', '.join(roles)}.")
    return caller
