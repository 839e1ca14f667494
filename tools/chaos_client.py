"""The HTTP client of the fault run: a careful API client, as employer software would be.

Under injected faults a handler whose AWS calls still fail after botocore's retries answers 5xx.
A real client retries such a call with the same Idempotency-Key (so nothing is created twice);
this one does too, counts the retries, and remembers which calls needed them.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from typing import Any

import requests

RETRIED_STATUSES = (500, 502, 503, 504)


class Api:
    def __init__(self, rt: Any, attempts: int = 6) -> None:
        self.rt, self.url, self.attempts = rt, rt.url, attempts
        self.session = requests.Session()
        self.retries: Counter = Counter()  # "POST /applications" -> retried attempts

    def token(self, role: str, **claims: Any) -> str:
        return self.rt.token(role=role, **claims)

    def call(self, method: str, path: str, token: str | None = None, body: Any = None,
             params: dict | None = None) -> tuple[requests.Response, bool]:
        """The response, and whether an earlier attempt failed with 5xx (its effect may have landed).
        Every POST carries one Idempotency-Key for all its attempts."""
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if method == "POST":
            headers["idempotency-key"] = uuid.uuid4().hex
        route = f"{method} {_route(path)}"
        for attempt in range(self.attempts):
            response = self.session.request(method, self.url + path, headers=headers, json=body, params=params,
                                            timeout=60)
            if response.status_code not in RETRIED_STATUSES or attempt == self.attempts - 1:
                return response, attempt > 0
            self.retries[route] += 1
            time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        response, _ = self.call("GET", path, token, params=params or None)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
        return response.json()


def _route(path: str) -> str:
    """/applications/<uuid>/submit -> /applications/{id}/submit, to count retries per route."""
    return "/".join("{id}" if len(part) > 20 or part.isdigit() else part for part in path.split("/"))
