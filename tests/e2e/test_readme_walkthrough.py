"""The README's walk-through runs as written: its bash block (also `make demo`) against the local runtime,
every step answering the status the block expects (a step that does not stops the block)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _demo():
    spec = importlib.util.spec_from_file_location("demo", ROOT / "tools" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's steps are curl commands")
def test_the_readme_walkthrough_runs_step_by_step_against_the_local_runtime(runtime):
    result = _demo().play(runtime.url, capture=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    statuses = re.findall(r"^<== (\d{3})", result.stdout, flags=re.M)
    requests_made = re.findall(r"^==> (GET|POST|PATCH|DELETE|PUT) ", result.stdout, flags=re.M)
    assert len(statuses) == len(requests_made) >= 40 and "!!! expected" not in result.stdout
    # The story's turning points, as the answers tell them.
    assert '"status": "in_review"' in result.stdout and '"partnership_id": "horeca"' in result.stdout
    assert '"status": "upheld"' in result.stdout and '"recognized": true' in result.stdout
    assert '"fired": [{' in result.stdout and "walk-through done" in result.stdout
