"""`make bench`: figures, printed, never asserted in tests.

Import time of every Lambda handler module in a fresh interpreter (median of N runs), next to
`import boto3` measured the same way. Budget: each handler at most 1.5x boto3, because cold
start is paid by the first caller of every function. Results are appended to bench/results.json
so a change that makes them worse shows in review.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
BUDGET = 1.5


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def handler_modules() -> list[str]:
    template = yaml.load((ROOT / "infra" / "template.yaml").read_text(), Loader=_Loader)
    return sorted(
        {
            r["Properties"]["Handler"].rsplit(".", 1)[0]
            for r in template["Resources"].values()
            if r.get("Type") == "AWS::Serverless::Function"
        }
    )


def import_seconds(statement: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "services"), "PYTHONDONTWRITEBYTECODE": "1"}
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, env=env, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    # Warm the file cache and the .pyc files once so every figure is measured alike.
    for module in handler_modules():
        subprocess.run([sys.executable, "-c", f"import {module}"], env={**os.environ, "PYTHONPATH": str(ROOT / "services")}, cwd=ROOT, check=True)
    baseline = import_seconds("import boto3")
    print(f"import boto3 (fresh process, median of {RUNS}): {baseline * 1000:.0f} ms")
    print(f"{'handler module':40} {'ms':>6} {'x boto3':>8}  budget {BUDGET}x")
    figures = {"import boto3 ms": round(baseline * 1000, 1), "handlers": {}}
    over = []
    for module in handler_modules():
        seconds = import_seconds(f"import {module}")
        ratio = seconds / baseline
        figures["handlers"][module] = {"ms": round(seconds * 1000, 1), "ratio": round(ratio, 2)}
        flag = "" if ratio <= BUDGET else "  OVER BUDGET"
        if flag:
            over.append(module)
        print(f"{module:40} {seconds * 1000:6.0f} {ratio:8.2f}{flag}")
    results = ROOT / "bench" / "results.json"
    history = json.loads(results.read_text()) if results.exists() else []
    history.append({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "import": figures})
    results.write_text(json.dumps(history[-20:], indent=2) + "\n")
    print(f"figures appended to {results.relative_to(ROOT)}")
    if over:
        print(f"over budget: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
