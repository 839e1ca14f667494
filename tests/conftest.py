"""Shared by every tier: in-process moto behaves as AWS does where moto is wrong (localrt.moto_fixes), and the
testkit's fixtures (tests/testkit) are offered to every test."""

from hypothesis import settings
from testkit.clock import kernel_clock

from localrt.moto_fixes import item_level_rollback, serialise_dynamodb, share_botocore_loader

__all__ = ["kernel_clock"]

serialise_dynamodb()
item_level_rollback()
share_botocore_loader()

# Hypothesis fails an example that takes over 200 ms; on a loaded 2-core CI machine the first example of
# a test (loading Belgium's holiday calendar, say) can, and the test then fails on time, not on a property.
# Timing lives in make bench; the properties keep their example counts.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


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
