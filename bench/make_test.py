"""The duration of `make test`, run as a subprocess (the suite's own output is kept short)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / ".local" / "bench-make-test.log"  # the whole output, when a run fails


def run() -> tuple[float, bool, str] | None:
    """(seconds, passed, pytest's last line), or None when BENCH_SKIP_TESTS=1."""
    if os.environ.get("BENCH_SKIP_TESTS") == "1":
        return None
    started = time.monotonic()
    # -o: never rebuild the venv from here (make bench has just checked it).
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALRT_")}
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "test"],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    LOG.parent.mkdir(exist_ok=True)
    LOG.write_text(done.stdout + done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    # pytest's summary line; mypy's report comes after it (make test runs mypy beside the tests)
    summary = next((line for line in reversed(lines) if re.search(r"\d+ (passed|failed|error)", line)), "")
    return time.monotonic() - started, done.returncode == 0, summary or (lines[-1] if lines else "")
