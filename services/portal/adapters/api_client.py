"""The JSON API over HTTP, with the user's own bearer token.

urllib3 (which botocore already ships) keeps connections alive per host, so a warm page costs no
new TCP or TLS handshake per API call.
"""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import urlencode

from portal.usecases.ports import ApiResponse, ApiUnavailable, Viewer

TIMEOUT_SECONDS = 10.0


@functools.cache
def _pool() -> Any:
    import urllib3

    return urllib3.PoolManager(num_pools=4, maxsize=4, retries=False,
                               timeout=urllib3.Timeout(connect=3.0, read=TIMEOUT_SECONDS))


class HttpJsonApi:
    def __init__(self, correlation_id: str | None = None) -> None:
        self.correlation_id = correlation_id

    def request(self, method: str, viewer: Viewer, path: str, *, query: dict[str, str] | None = None,
                body: Any = None, idempotency_key: str | None = None) -> ApiResponse:
        import urllib3

        url = viewer.api_base.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")
        headers = {"accept": "application/json"}
        if viewer.token:
            headers["authorization"] = f"Bearer {viewer.token}"
        if idempotency_key:
            headers["idempotency-key"] = idempotency_key
        data = None
        if body is not None:
            # PATCH bodies are merge patches (RFC 7396); intake takes them as application/json.
            headers["content-type"] = "application/json"
            data = json.dumps(body).encode()
        try:
            response = _pool().request(method, url, body=data, headers=headers, redirect=False)
        except urllib3.exceptions.HTTPError as exc:
            raise ApiUnavailable(f"{method} {path}: {exc.__class__.__name__}") from None
        if response.status >= 500:
            raise ApiUnavailable(f"{method} {path}: {response.status}")
        raw = response.data
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return ApiResponse(response.status, parsed, {k.lower(): v for k, v in response.headers.items()})
