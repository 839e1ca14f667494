"""The HTTP client of the local runtime's API, for the e2e tier, tools/ (chaos, fuzz) and bench/.

Tokens per role come from the runtime; bodies are JSON. Every request to the API is counted (each is an
API Gateway request on AWS), and presigned S3 requests separately (``s3``). A session per thread, since a
requests.Session is not shared between threads (the bench files applications from several).

With ``attempts`` > 1 the client is careful, as employer software would be under faults: a 5xx is
retried with the same Idempotency-Key on every attempt of a POST (so nothing is created twice), and the
retries are counted per route.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import date, datetime
from typing import Any

import requests

RETRIED_STATUSES = (500, 502, 503, 504)


class Api:
    def __init__(self, runtime: Any, *, attempts: int = 1, timeout: float = 30) -> None:
        self.rt, self.url = runtime, runtime.url
        self.attempts, self.timeout = max(1, attempts), timeout
        self.api_requests = 0  # billed as API Gateway requests
        self.s3_puts = self.s3_gets = 0  # presigned URLs: billed as S3 requests
        self.retries: Counter[str] = Counter()  # "POST /applications/{id}/submit" -> retried attempts
        # requests response hooks every session of this client runs (the e2e tier's testkit.contract check).
        self.response_hooks: list[Any] = []
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
            self._local.session.hooks["response"].extend(self.response_hooks)
        return self._local.session

    def token(self, role: str, **claims: Any) -> str:
        return self.rt.token(role=role, **claims)

    @staticmethod
    def headers(token: str | None = None, **extra: str) -> dict[str, str]:
        headers = {"content-type": "application/json", **extra}
        if token:
            headers["authorization"] = f"Bearer {token}"
        return headers

    # ---------------------------------------------------------------- the API
    def call_with_retries(self, method: str, path: str, token: str | None = None, json: Any = None,
                          **kw: Any) -> tuple[requests.Response, bool]:
        """The response, and whether an earlier attempt failed with 5xx (so its effect may have landed)."""
        headers = self.headers(token, **kw.pop("headers", {}))
        timeout = kw.pop("timeout", self.timeout)
        if self.attempts > 1 and method == "POST":
            headers.setdefault("idempotency-key", uuid.uuid4().hex)
        for attempt in range(self.attempts):
            with self._lock:
                self.api_requests += 1
            response = self.session.request(method, self.url + path, headers=headers, json=json,
                                            timeout=timeout, **kw)
            if response.status_code not in RETRIED_STATUSES or attempt == self.attempts - 1:
                return response, attempt > 0
            with self._lock:
                self.retries[f"{method} {route_of(path)}"] += 1
            time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, token: str | None = None, json: Any = None,
                **kw: Any) -> requests.Response:
        """The response (of the last attempt, when the client retries)."""
        return self.call_with_retries(method, path, token, json, **kw)[0]

    call = request  # the bench's name for it

    def get(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.request("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> requests.Response:
        return self.request("POST", path, token, json=json, **kw)

    def patch(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, token, json=json, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, token, **kw)

    def get_json(self, path: str, token: str | None = None, **params: Any) -> Any:
        """The body of a GET that must answer 200. Raises RuntimeError otherwise."""
        response = self.get(path, token, params=params or None)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def s3(self, method: str, url: str, **kw: Any) -> requests.Response:
        """A request to a presigned S3 URL (an upload or a download), not to the API."""
        with self._lock:
            if method == "PUT":
                self.s3_puts += 1
            else:
                self.s3_gets += 1
        return self.session.request(method, url, timeout=self.timeout, **kw)

    # ---------------------------------------------------------------- the runtime
    def settle(self, timeout: float = 60) -> None:
        assert self.rt.settle(timeout=timeout) is not False, "the runtime did not settle"

    def advance(self, days: int) -> None:
        self.rt.advance(days=days)

    def now(self) -> datetime:
        return datetime.fromisoformat(self.get("/_local/clock").json()["now"])

    def today(self) -> date:
        """The procedure's day on the runtime clock: the Brussels date, as kernel.clock.today()."""
        from kernel.calendar import local_date  # services/ is on the path of every user of the client

        return local_date(self.now())

    def mail(self, to: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
        """The runtime's mailbox, oldest first; ``to`` a recipient, ``subject`` a part of the subject."""
        params = {k: v for k, v in (("to", to), ("subject", subject)) if v}
        return self.get("/_local/mail", params=params or None).json()


def expect(response: requests.Response, *statuses: int) -> Any:
    """The body of a response that must have one of ``statuses``. Raises RuntimeError otherwise."""
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else {}


def route_of(path: str) -> str:
    """/applications/<uuid>/submit -> /applications/{id}/submit, to count per route."""
    return "/".join("{id}" if len(part) > 20 or part.isdigit() else part for part in path.split("/"))
