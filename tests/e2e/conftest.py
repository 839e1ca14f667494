"""End-to-end tier: the whole system on the local runtime (moto + the template), over HTTP.

One runtime per pytest worker process (the session fixture ``runtime`` of tests/conftest.py, which
the browser tier shares). The runtime's clock only moves forward,
so tests read dates from `api.today()` instead of assuming today's date, and never depend on
the clock standing still between tests.
"""

from __future__ import annotations

import os
import uuid

import pytest
from testkit.client import Api


@pytest.fixture(scope="session")
def contract(runtime):
    """Checks every answer the e2e tests receive against the OpenAPI document (testkit.contract)."""
    from testkit.contract import ContractCheck

    check = ContractCheck.of_runtime(runtime.url)
    yield check
    report = os.environ.get("CONTRACT_REPORT")  # a file: the figures of this worker's checks, appended
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(f"{sum(check.checked.values())} responses, {len(check.checked)} operation statuses\n")


@pytest.fixture(scope="session")
def api(runtime, contract) -> Api:
    client = Api(runtime)
    client.response_hooks.append(contract)
    return client


def unique_suffix() -> str:
    return uuid.uuid4().hex[:8]
