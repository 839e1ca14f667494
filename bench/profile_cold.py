"""Where a cold start spends its time: one warm-up round and one profiled round of bench/cold_start.py.

``python bench/profile_cold.py [Function ...]``) runs the runtime with
LOCALRT_PROFILE set, so every fresh worker profiles its INIT and first invocation into
.local/profiles/<function>.prof (infra/localrt/_child.py), then prints per function the calls that
take the most cumulative time. Read with ``python -m pstats .local/profiles/<function>.prof`` too.
"""

from __future__ import annotations

import pstats
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in ("bench", "tests", "infra", "services"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

import cold_start  # noqa: E402
from client import Api  # noqa: E402
from run import quiet_runtime  # noqa: E402

PROFILES = ROOT / ".local" / "profiles"


def main(names: list[str]) -> int:
    with quiet_runtime() as rt:
        api = Api(rt)
        cold_start.Round(rt, api, cold_start.Figures()).run()  # warm-up: file cache and tables
        shutil.rmtree(PROFILES, ignore_errors=True)
        PROFILES.mkdir(parents=True)
        for pool in rt.workers.pools.values():
            pool.env["LOCALRT_PROFILE"] = str(PROFILES)
        figures = cold_start.Figures()
        cold_start.Round(rt, api, figures).run()
    for logical_id in sorted(figures.function_ms):
        if names and logical_id not in names:
            continue
        path = PROFILES / f"{rt.template.function(logical_id).name.replace('/', '_')}.prof"
        print(f"\n=== {logical_id}: {figures.median(logical_id):.0f} ms cold ({figures.events[logical_id]})")
        if not path.exists():
            print("  (no profile)")
            continue
        pstats.Stats(str(path)).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
