"""OpenID Connect, authorization code flow with PKCE, the portal as a confidential client.

Discovery from the issuer (or OIDC_DISCOVERY_URL; a path there is read from the request's own
origin, which is how the local runtime's provider is found on whatever port it serves). The
client secret comes from Secrets Manager at the first login of a worker. The ID token is checked
with PyJWT: signature (RS/ES/PS keys from the issuer's JWKS, or HS256 with the client secret as
OIDC Core 10.1 defines), iss, aud, exp, iat and the nonce. PyJWT and its crypto backend are
imported here only, at the first login: no page without a login pays for them.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
import time
from typing import Any
from urllib.parse import quote, urlencode

from kernel import aws
from portal.adapters.api_client import _pool
from portal.usecases.ports import Identity, LoginFailed

_ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60
DISCOVERY_TTL_SECONDS = 3600


class OidcProvider:
    def __init__(self, issuer: str, client_id: str, client_secret_id: str, discovery_url: str = "") -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret_id = client_secret_id
        self.discovery_url = discovery_url or issuer.rstrip("/") + "/.well-known/openid-configuration"
        self._documents: dict[str, tuple[float, dict[str, Any]]] = {}
        self._jwks: dict[str, Any] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ discovery
    def _document(self, site: str) -> dict[str, Any]:
        url = site.rstrip("/") + self.discovery_url if self.discovery_url.startswith("/") else self.discovery_url
        cached = self._documents.get(url)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        status, document = _get_json(url)
        if status != 200 or not isinstance(document, dict):
            raise LoginFailed(f"discovery document unavailable ({status})")
        if document.get("issuer") != self.issuer:
            raise LoginFailed("the discovery document names another issuer")
        for name in ("authorization_endpoint", "token_endpoint"):
            if not str(document.get(name, "")).startswith(("https://", "http://")):
                raise LoginFailed(f"the discovery document has no {name}")
        with self._lock:
            self._documents[url] = (time.monotonic() + DISCOVERY_TTL_SECONDS, document)
        return document

    def authorization_url(self, site: str, *, redirect_uri: str, state: str, nonce: str, code_challenge: str) -> str:
        endpoint = self._document(site)["authorization_endpoint"]
        query = urlencode({"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                           "scope": "openid", "state": state, "nonce": nonce, "code_challenge": code_challenge,
                           "code_challenge_method": "S256"})
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    # ------------------------------------------------------------------ token
    def exchange(self, site: str, *, code: str, redirect_uri: str, code_verifier: str, nonce: str) -> Identity:
        document = self._document(site)
        secret = self._client_secret()
        basic = base64.b64encode(f"{quote(self.client_id, safe='')}:{quote(secret, safe='')}".encode()).decode()
        status, tokens = _post_form(document["token_endpoint"], {
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier}, {"authorization": f"Basic {basic}"})
        if (
            status != 200
            or not isinstance(tokens, dict)
            or not tokens.get("id_token")
            or not tokens.get("access_token")
        ):
            error = tokens.get("error") if isinstance(tokens, dict) else None
            raise LoginFailed(f"the issuer refused the code ({status} {error or ''})".strip())
        claims = self._verify(tokens["id_token"], document, secret)
        if claims.get("nonce") != nonce:
            raise LoginFailed("the ID token's nonce does not match")
        expires_in = tokens.get("expires_in")
        return Identity(
            claims=claims,
            access_token=str(tokens["access_token"]),
            expires_in=int(expires_in)
            if isinstance(expires_in, (int, float, str)) and str(expires_in).isdigit()
            else None,
        )

    def _verify(self, id_token: str, document: dict[str, Any], secret: str) -> dict[str, Any]:
        import jwt

        try:
            header = jwt.get_unverified_header(id_token)
            algorithm = header.get("alg")
            if algorithm == "HS256":
                key: Any = secret
            elif algorithm in _ASYMMETRIC and document.get("jwks_uri"):
                key = self._jwk_client(document["jwks_uri"]).get_signing_key_from_jwt(id_token).key
            else:
                raise LoginFailed(f"ID token algorithm {algorithm!r} is not accepted")
            return jwt.decode(id_token, key=key, algorithms=[algorithm], audience=self.client_id, issuer=self.issuer,
                              leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        except jwt.PyJWTError as exc:
            raise LoginFailed(f"the ID token does not verify: {exc}") from None

    def _jwk_client(self, uri: str) -> Any:
        import jwt

        with self._lock:
            if uri not in self._jwks:
                self._jwks[uri] = jwt.PyJWKClient(uri, cache_keys=True, lifespan=DISCOVERY_TTL_SECONDS)
            return self._jwks[uri]

    def _client_secret(self) -> str:
        return _secret_value(self.client_secret_id)


@functools.cache
def _secret_value(secret_id: str) -> str:
    """Read once per worker: the secret changes only when an operator rotates it (then redeploys)."""
    return str(aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])


def _get_json(url: str) -> tuple[int, Any]:
    return _call("GET", url, None, {"accept": "application/json"})


def _post_form(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, Any]:
    return _call("POST", url, urlencode(form).encode(), {
        "accept": "application/json", "content-type": "application/x-www-form-urlencoded", **headers})


def _call(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, Any]:
    import urllib3

    try:
        response = _pool().request(method, url, body=body, headers=headers, redirect=False)
    except urllib3.exceptions.HTTPError as exc:
        raise LoginFailed(f"the issuer cannot be reached ({exc.__class__.__name__})") from None
    try:
        return response.status, json.loads(response.data or b"null")
    except ValueError:
        return response.status, None
