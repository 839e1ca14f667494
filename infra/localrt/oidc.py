"""A small OpenID Connect provider for the portal, locally only (never in the deployed template).

The portal logs in with the authorization code flow and PKCE as a confidential client, exactly
as it does against the deployed issuer; here the "login" is a page where a developer or a
browser test picks a role, an enterprise, mandates or a partnership. The access token is minted
by the runtime's signer, so the gateway's JWT authorizer accepts it like any other local token.

- ``GET  /_local/oidc/.well-known/openid-configuration``  discovery (endpoints on the caller's host)
- ``GET  /_local/oidc/authorize``  the login page; ``POST`` it to get the code on the redirect URI
- ``POST /_local/oidc/token``  code + PKCE verifier + client secret -> access, ID token
- ``GET  /_local/oidc/jwks``  no keys: ID tokens are HS256 with the client secret (OIDC Core 10.1)

Clients are the functions whose environment names ``OIDC_CLIENT_ID`` and ``OIDC_CLIENT_SECRET_ARN``;
the secret is read from moto's Secrets Manager, where provisioning put it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from . import tokens

PREFIX = "/_local/oidc"
CODE_TTL_SECONDS = 120
_DIGITS = re.compile(r"\D")

Response = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    claims: dict[str, Any]
    expires: float


class LocalOpenIdProvider:
    def __init__(self, issuer: str, clients: dict[str, str], client_secret: Callable[[str], str],
                 mint: Callable[..., str], partnership_ids: list[str] | None = None):
        """``clients``: client id -> secret id; ``client_secret(secret_id)`` reads the secret;
        ``mint(role, **claims)`` makes the access token the gateway accepts."""
        self.issuer = issuer
        self.clients = clients
        self._client_secret = client_secret
        self._mint = mint
        self.partnership_ids = partnership_ids or []
        self._codes: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def handle(self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Response:
        sub = path[len(PREFIX):]
        base = f"http://{headers.get('host', '127.0.0.1')}{PREFIX}"
        if sub == "/.well-known/openid-configuration" and method == "GET":
            return _json(200, self.discovery(base))
        if sub == "/jwks" and method == "GET":
            return _json(200, {"keys": []})
        if sub == "/authorize" and method == "GET":
            return self._authorize_page(dict(parse_qsl(query)))
        if sub == "/authorize" and method == "POST":
            return self._authorize(dict(parse_qsl(body.decode("utf-8", "replace"))))
        if sub == "/token" and method == "POST":
            return self._token(dict(parse_qsl(body.decode("utf-8", "replace"))), headers)
        return _json(404, {"error": "not_found"})

    def discovery(self, base: str) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid"],
        }

    # ------------------------------------------------------------------ authorize
    def _request_error(self, params: dict[str, str]) -> str | None:
        if params.get("client_id") not in self.clients:
            return "unknown client_id"
        redirect = urlsplit(params.get("redirect_uri", ""))
        if redirect.scheme not in ("http", "https") or not redirect.netloc:
            return "redirect_uri must be an absolute URL"
        if params.get("response_type") != "code":
            return "response_type must be code"
        if "openid" not in params.get("scope", "").split():
            return "scope must include openid"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE with code_challenge_method S256 is required"
        if not params.get("state"):
            return "state is required"
        return None

    def _authorize_page(self, params: dict[str, str], error: str | None = None, status: int = 200) -> Response:
        problem = self._request_error(params)
        if problem:
            return _page(400, "Aanmelden mislukt", f"<p>{html.escape(problem)}</p>")
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items() if k in _FORWARDED)
        chosen = params.get("role", "employer")
        roles = "".join(
            f'<div><input type="radio" id="role-{r}" name="role" value="{r}"{" checked" if r == chosen else ""}>'
            f'<label for="role-{r}">{label}</label></div>' for r, label in _ROLE_LABELS.items())
        options = "".join(f'<option value="{html.escape(p)}">{html.escape(p)}</option>' for p in self.partnership_ids)
        alert = f'<p role="alert" class="error">{html.escape(error)}</p>' if error else ""
        enterprise = html.escape(params.get("enterprise_number", ""))
        body = f"""{alert}
<p>Lokale aanmeldpagina van de ontwikkelomgeving: kies wie u bent. In productie meldt u aan bij de
overheid (OpenID Connect); deze pagina bestaat daar niet.</p>
<form method="post" action="{PREFIX}/authorize">{hidden}
<fieldset><legend>Rol</legend>{roles}</fieldset>
<p><label for="enterprise_number">Ondernemingsnummer (werkgever)</label><br>
<input id="enterprise_number" name="enterprise_number" value="{enterprise}" autocomplete="off"></p>
<p><label for="mandates">Mandaten: ondernemingsnummers, gescheiden door komma's (intermediair)</label><br>
<input id="mandates" name="mandates" value="{html.escape(params.get("mandates", ""))}" autocomplete="off"></p>
<p><label for="partnership_id">Welk partnerschap (partnerschap)</label><br>
<select id="partnership_id" name="partnership_id"><option value="">(geen)</option>{options}</select></p>
<p><label for="name">Naam (optioneel)</label><br><input id="name" name="name" autocomplete="name"></p>
<p><button type="submit">Aanmelden</button></p>
</form>"""
        return _page(status, "Aanmelden (lokaal)", body)

    def _authorize(self, form: dict[str, str]) -> Response:
        problem = self._request_error(form)
        if problem:
            return _page(400, "Aanmelden mislukt", f"<p>{html.escape(problem)}</p>")
        claims, error = _claims_from(form)
        if error:
            return self._authorize_page(form, error, 422)
        code = secrets.token_urlsafe(24)
        with self._lock:
            now = time.time()
            self._codes = {c: g for c, g in self._codes.items() if g.expires > now}
            self._codes[code] = _Grant(
                form["client_id"],
                form["redirect_uri"],
                form["code_challenge"],
                form.get("nonce"),
                claims,
                now + CODE_TTL_SECONDS,
            )
        separator = "&" if urlsplit(form["redirect_uri"]).query else "?"
        location = form["redirect_uri"] + separator + urlencode({"code": code, "state": form["state"]})
        return 303, {"Location": location, "Cache-Control": "no-store"}, b""

    # ------------------------------------------------------------------ token
    def _token(self, form: dict[str, str], headers: dict[str, str]) -> Response:
        client_id, secret = _client_credentials(form, headers.get("authorization", ""))
        if (
            client_id not in self.clients
            or not secret
            or not hmac.compare_digest(secret.encode(), self._client_secret(self.clients[client_id]).encode())
        ):
            return _json(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="localrt"'})
        if form.get("grant_type") != "authorization_code":
            return _json(400, {"error": "unsupported_grant_type"})
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            return _json(400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return _json(400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not hmac.compare_digest(challenge, grant.code_challenge):
            return _json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        claims = grant.claims
        access = self._mint(claims["role"], **{k: v for k, v in claims.items() if k in _ACCESS_CLAIMS})
        now = int(time.time())
        id_claims = {
            "iss": self.issuer,
            "aud": client_id,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + tokens.DEFAULT_TTL_SECONDS,
            "auth_time": now,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        if grant.nonce:
            id_claims["nonce"] = grant.nonce
        id_token = tokens.encode(id_claims, self._client_secret(self.clients[client_id]).encode())
        return _json(
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": tokens.DEFAULT_TTL_SECONDS,
                "id_token": id_token,
                "scope": "openid",
            },
            {"Cache-Control": "no-store", "Pragma": "no-cache"},
        )


_FORWARDED = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)
_ACCESS_CLAIMS = ("enterprise_number", "partnership_id", "mandates", "sub")
_ROLE_LABELS = {
    "employer": "Werkgever (HR van een onderneming)",
    "intermediary": "Intermediair met mandaat (trajectbegeleider, sectormedewerker)",
    "partnership": "Partnerschap",
    "appeals": "Beroepscommissie",
}


def _claims_from(form: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    role = form.get("role", "")
    if role not in tokens.ROLES:
        return {}, "Kies een rol."
    claims: dict[str, Any] = {"role": role}
    if form.get("name", "").strip():
        claims["name"] = form["name"].strip()[:100]
    if role == "employer":
        enterprise = _DIGITS.sub("", form.get("enterprise_number", ""))
        if len(enterprise) != 10:
            return {}, "Een werkgever heeft een ondernemingsnummer van 10 cijfers."
        claims["enterprise_number"] = enterprise
    elif role == "intermediary":
        mandates = [_DIGITS.sub("", m) for m in form.get("mandates", "").split(",") if m.strip()]
        if not mandates or any(len(m) != 10 for m in mandates):
            return {}, "Een intermediair heeft minstens één mandaat: ondernemingsnummers van 10 cijfers."
        claims["mandates"] = mandates
    elif role == "partnership":
        if not form.get("partnership_id"):
            return {}, "Kies het partnerschap."
        claims["partnership_id"] = form["partnership_id"]
    key = claims.get("enterprise_number") or claims.get("partnership_id") or "-".join(claims.get("mandates", []))
    claims["sub"] = f"local-{role}-{key}" if key else f"local-{role}"
    return claims, None


def _client_credentials(form: dict[str, str], authorization: str) -> tuple[str | None, str | None]:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return None, None
        return unquote_plus(client_id), unquote_plus(secret)
    return form.get("client_id"), form.get("client_secret")


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()


def _page(status: int, title: str, body: str) -> Response:
    document = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
input,select{{font:inherit;padding:.3rem;min-width:18rem}}button{{font:inherit;padding:.5rem 1rem;background:#ffe615;
border:2px solid #000;font-weight:700}}.error{{color:#b00020;font-weight:700}}</style></head>
<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
    return status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, document.encode()
