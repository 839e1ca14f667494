"""What a function's cold start imports, and what each import costs: one round of bench/cold_start.py
with ``-X importtime`` in every fresh worker, the trees written to .local/importtime/<function>.txt.

``python bench/import_tree.py [Function ...]`` prints, per function, the imports above a threshold
(IMPORT_TREE_MS, default 3 ms, cumulative). The first invocation's imports (botocore's, at the first
AWS client) are in the tree too: they are part of the cold start.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in ("bench", "tests", "infra", "services"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

import cold_start  # noqa: E402
from client import Api  # noqa: E402
from run import quiet_runtime  # noqa: E402

OUT = ROOT / ".local" / "importtime"
WORKER_LINE = re.compile(r"^\[(?P<label>[^\]]+)\] (?P<line>import time: .*)$")
IMPORT = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(.*)")


def main(names: list[str]) -> int:
    threshold = float(os.environ.get("IMPORT_TREE_MS", "3"))
    captured = io.StringIO()
    with quiet_runtime() as rt:
        api = Api(rt)
        cold_start.Round(rt, api, cold_start.Figures()).run()  # warm-up: file cache and tables
        for pool in rt.workers.pools.values():  # the workers it starts copy their stderr here
            pool.sink = lambda: captured
            pool.env["PYTHONPROFILEIMPORTTIME"] = "1"
        cold_start.Round(rt, api, cold_start.Figures()).run()
    trees: dict[str, list[str]] = {}
    for line in captured.getvalue().splitlines():
        m = WORKER_LINE.match(line)
        if m:
            trees.setdefault(m["label"], []).append(m["line"])
    OUT.mkdir(parents=True, exist_ok=True)
    for label, lines in sorted(trees.items()):
        if names and not any(n in label for n in names):
            continue
        (OUT / f"{label.replace('/', '_')}.txt").write_text("\n".join(lines) + "\n")
        total = 0
        print(f"\n=== {label}")
        for raw in lines:
            m = IMPORT.match(raw)
            if not m:
                continue
            own, cum, depth = int(m[1]) / 1000, int(m[2]) / 1000, len(m[3])
            if depth == 1:
                total += cum
            if cum >= threshold or own >= threshold:
                print(f"  {cum:7.1f} {own:6.1f} {' ' * depth}{m[4]}")
        print(f"  top-level imports: {total:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
