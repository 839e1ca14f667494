"""Import time of every Lambda handler module in a fresh interpreter, next to `import boto3`.

Median of RUNS fresh processes each. A secondary figure: a handler that defers its imports looks fast
here and pays them on its first request, so the budget is on the cold start (cold_start.py), which
counts both.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from localrt.template import load_template

ROOT = Path(__file__).resolve().parents[1]
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "7")))


def handler_modules() -> dict[str, str]:
    """Module of every function's handler, by function logical id."""
    template = load_template(ROOT / "infra" / "template.yaml")
    return {fn.logical_id: fn.handler.rsplit(".", 1)[0] for fn in template.functions}


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "services"), "PYTHONDONTWRITEBYTECODE": "1"}


def seconds(statement: str) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, env=_environment(), cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure() -> tuple[float, dict[str, float]]:
    """(`import boto3` seconds, seconds per handler module)."""
    modules = sorted(set(handler_modules().values()))
    # Warm the file cache once so every figure is measured alike.
    subprocess.run([sys.executable, "-c", "import boto3; " + "; ".join(f"import {m}" for m in modules)],
                   check=True, env=_environment(), cwd=ROOT)
    return seconds("import boto3"), {m: seconds(f"import {m}") for m in modules}
