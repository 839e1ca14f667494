"""End-to-end tier: the whole system on the local runtime (moto + the template), over HTTP.

One runtime per pytest worker process (session scope). The runtime's clock only moves forward,
so tests read dates from `api.today()` instead of assuming today's date, and never depend on
the clock standing still between tests.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from testkit.client import Api

ROOT = Path(__file__).resolve().parents[2]


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
