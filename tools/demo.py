"""`make demo`: the README's walk-through, played against the local runtime.

The steps are the README's fenced block under "### The walk-through" (so the README, this demo and
tests/e2e/test_readme_walkthrough.py cannot tell different stories). Against a running `make run` at $API
(default http://127.0.0.1:3000); when nothing answers there, the runtime is started here and stopped after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
MARK = "### The walk-through"


def walkthrough(readme: Path = ROOT / "README.md") -> str:
    """The bash block that follows the walk-through heading."""
    text = readme.read_text(encoding="utf-8")
    after = text[text.index(MARK):]
    start = after.index("```bash\n") + len("```bash\n")
    return after[start:after.index("\n```", start)] + "\n"


def answers(api: str) -> bool:
    try:
        return requests.get(api + "/health", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def play(api: str, *, capture: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", walkthrough()], env={**os.environ, "API": api}, text=True,
                          capture_output=capture, timeout=900)


def main() -> int:
    api = os.environ.get("API", "http://127.0.0.1:3000").rstrip("/")
    runtime = None
    if not answers(api):
        sys.path[:0] = [str(ROOT / "services"), str(ROOT / "infra")]
        from localrt import LocalRuntime

        print(f"demo: nothing answers on {api}; starting the local runtime (as `make run` would)")
        runtime = LocalRuntime(template_path=str(ROOT / "infra" / "template.yaml"),
                               port=urlsplit(api).port or 3000, quiet=True).start()
        api = runtime.url
    started = time.monotonic()
    try:
        result = play(api)
    finally:
        if runtime is not None:
            runtime.stop()
    print(f"demo: {'done' if result.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.1f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
