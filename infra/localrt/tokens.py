"""HS256 JWTs for the local JWT authorizer, with the stdlib only.

The key is made at start-up with ``secrets.token_bytes`` and never leaves the process, so the
only valid tokens are those the runtime minted (``POST /_local/token``): a token signed with
any other key fails, as it would against the deployed issuer's JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

ROLES = ("employer", "intermediary", "partnership", "appeals")
DEFAULT_TTL_SECONDS = 12 * 3600
# API Gateway tolerates a little clock skew on nbf/iat; the same here.
LEEWAY_SECONDS = 60


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict, key: bytes) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


class InvalidToken(Exception):
    pass


class Signer:
    def __init__(self, issuer: str, audience: list[str], key: bytes | None = None):
        self.issuer = issuer
        self.audience = audience
        self.key = key or secrets.token_bytes(32)

    def mint(self, now: float, role: str, *, enterprise_number: str | None = None,
             partnership_id: str | None = None, mandates: list[str] | None = None,
             sub: str | None = None, ttl_seconds: int = DEFAULT_TTL_SECONDS, **extra: Any) -> str:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience[0] if len(self.audience) == 1 else self.audience,
            "sub": sub or "-".join(["local", role, *(x for x in (enterprise_number, partnership_id) if x)]),
            "iat": int(now),
            "exp": int(now) + int(ttl_seconds),
            "jti": str(uuid.uuid4()),
            "role": role,
        }
        if enterprise_number is not None:
            claims["enterprise_number"] = enterprise_number
        if partnership_id is not None:
            claims["partnership_id"] = partnership_id
        if mandates is not None:
            claims["mandates"] = list(mandates)
        claims.update(extra)
        return encode(claims, self.key)

    def verify(self, token: str, now: float) -> dict:
        """Checks what API Gateway's JWT authorizer checks; returns the claims."""
        try:
            header_b64, payload_b64, sig_b64 = token.split(".")
            header = json.loads(_unb64(header_b64))
            claims = json.loads(_unb64(payload_b64))
            signature = _unb64(sig_b64)
        except (ValueError, json.JSONDecodeError) as exc:
            raise InvalidToken("malformed token") from exc
        if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
            raise InvalidToken("unsupported token algorithm")
        expected = hmac.new(self.key, f"{header_b64}.{payload_b64}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            raise InvalidToken("invalid signature")
        if claims.get("iss") != self.issuer:
            raise InvalidToken("invalid issuer")
        aud = claims.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        if not any(a in self.audience for a in auds):
            raise InvalidToken("invalid audience")
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or exp <= now:
            raise InvalidToken("token expired")
        nbf = claims.get("nbf")
        if nbf is not None and (not isinstance(nbf, (int, float)) or nbf > now + LEEWAY_SECONDS):
            raise InvalidToken("token not yet valid")
        iat = claims.get("iat")
        if iat is not None and (not isinstance(iat, (int, float)) or iat > now + LEEWAY_SECONDS):
            raise InvalidToken("token issued in the future")
        return claims


def _go_string(value: Any) -> str:
    """How API Gateway (written in Go) prints a non-string claim: lists as "[a b]"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_go_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_string(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)


def claims_as_api_gateway_passes_them(claims: dict) -> dict[str, str]:
    return {k: v if isinstance(v, str) else _go_string(v) for k, v in claims.items()}


def scopes(claims: dict) -> list[str] | None:
    raw = claims.get("scope", claims.get("scp"))
    if isinstance(raw, str):
        return raw.split() or None
    if isinstance(raw, list):
        return [str(s) for s in raw] or None
    return None
