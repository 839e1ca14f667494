"""Shared by every tier: in-process moto behaves as AWS does where moto is wrong (localrt.moto_fixes), and the
testkit's fixtures (tests/testkit) are offered to every test."""

import os
from pathlib import Path

import pytest
from hypothesis import settings
from testkit.clock import kernel_clock

from localrt.moto_fixes import item_level_rollback, serialise_dynamodb, share_botocore_loader

__all__ = ["kernel_clock"]

ROOT = Path(__file__).resolve().parents[1]

serialise_dynamodb()
item_level_rollback()
share_botocore_loader()

# Hypothesis fails an example that takes over 200 ms; on a loaded 2-core CI machine the first example of
# a test (loading Belgium's holiday calendar, say) can, and the test then fails on time, not on a property.
# Timing lives in make bench; the properties keep their example counts.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(scope="session")
def runtime(tmp_path_factory):
    """The whole system on the local runtime (moto + the template), one per pytest worker, for the e2e and
    the browser tiers alike: a second runtime in the same worker cost a moto, its provisioning and a cold
    start of every function again. Its teardown checks what all of them made it do: no national register
    number in its function logs, and every AWS call one the local stack holds against the caller's policy."""
    from testkit.aws_calls import assert_every_call_was_held_against_its_policy
    from testkit.leaks import assert_log_has_no_national_register_numbers, session_log_file

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
    assert_every_call_was_held_against_its_policy(calls)


# Tiers whose files start a local runtime, a browser or a subprocess: seconds of set-up per file.
SLOW_TIERS = ("tests/browser/", "tests/e2e/", "tests/runtime/")


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, arranged for the suite's shape (make test runs 2 workers).

    xdist hands out files with the most tests first; a file of few tests behind a runtime start then
    comes last and one worker waits for the other. Here the files of the slow tiers go first (so the
    many small unit files fill the tail evenly), and the browser files are one unit: one chromium and one
    browser runtime instead of one per worker. Every test still runs, each file still on one worker."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SlowFirst(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser/"
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not getattr(self, "ordered", False):  # the first hand-out: the whole queue is there
                self.ordered = True
                units = sorted(self.workqueue.items(), key=lambda unit: (not unit[0].startswith(SLOW_TIERS),
                                                                          -len(unit[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return SlowFirst(config, log)
