"""End-to-end tier: the whole system on the local runtime (moto + the template), over HTTP.

One runtime per pytest worker process (session scope). The runtime's clock only moves forward,
so tests read dates from `api.today()` instead of assuming today's date, and never depend on
the clock standing still between tests.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


class Api:
    """A small HTTP client for the local API, with tokens per role."""

    def __init__(self, runtime: Any) -> None:
        self.rt = runtime
        self.url = runtime.url
        self.session = requests.Session()

    def token(self, role: str, **claims: Any) -> str:
        return self.rt.token(role=role, **claims)

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        headers = {"content-type": "application/json", **extra}
        if token:
            headers["authorization"] = f"Bearer {token}"
        return headers

    def request(
        self, method: str, path: str, token: str | None = None, json: Any = None, **kw: Any
    ) -> requests.Response:
        headers = self.headers(token, **kw.pop("headers", {}))
        return self.session.request(method, self.url + path, headers=headers, json=json, timeout=30, **kw)

    def get(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.request("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> requests.Response:
        return self.request("POST", path, token, json=json, **kw)

    def patch(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, token, json=json, **kw)

    def settle(self) -> None:
        assert self.rt.settle(timeout=60) is not False, "the runtime did not settle"

    def advance(self, days: int) -> None:
        self.rt.advance(days=days)

    def now(self) -> datetime:
        return datetime.fromisoformat(self.get("/_local/clock").json()["now"].replace("Z", "+00:00"))

    def today(self) -> date:
        """The procedure's day on the runtime clock: the Brussels date, as kernel.clock.today()."""
        from kernel.calendar import local_date

        return local_date(self.now())

    def mail(self) -> list[dict[str, Any]]:
        return self.get("/_local/mail").json()


@pytest.fixture(scope="session")
def runtime(tmp_path_factory):
    from test_logs_have_no_national_register_numbers import (
        assert_log_has_no_national_register_numbers,
        session_log_file,
    )

    from localrt import LocalRuntime

    log_file = session_log_file()  # this worker's own, emptied: the default file is shared and kept
    # Every AWS call each function makes is counted (localrt/call_counter.py), to be checked below.
    calls = tmp_path_factory.mktemp("aws-calls")
    previous = os.environ.get("LOCALRT_CALL_COUNTS")
    os.environ["LOCALRT_CALL_COUNTS"] = str(calls)
    try:
        rt = LocalRuntime(template_path=str(ROOT / "infra" / "template.yaml"), port=0, quiet=True,
                          log_file=log_file).start()
    finally:  # the workers took their environment at start; other runtimes in this process count nothing
        if previous is None:
            os.environ.pop("LOCALRT_CALL_COUNTS", None)
        else:
            os.environ["LOCALRT_CALL_COUNTS"] = previous
    try:
        yield rt
    finally:
        rt.stop()
    # Everything this worker's runtime logged, now flushed: no national register number may be in it.
    assert_log_has_no_national_register_numbers(log_file)
    from aws_calls import assert_every_call_was_held_against_its_policy

    assert_every_call_was_held_against_its_policy(calls)


@pytest.fixture(scope="session")
def api(runtime) -> Api:
    return Api(runtime)


def unique_suffix() -> str:
    return uuid.uuid4().hex[:8]
