"""bench/results.json: the figures of the last KEEP runs, and each figure's change since the last.

A figure is a number under a stable key; the printout shows the previous value and the change,
so a change that makes a figure worse is visible in review (and in the diff of results.json).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.json")
KEEP = 20


def load() -> list[dict[str, Any]]:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else []


def previous_figures(history: list[dict[str, Any]]) -> dict[str, float]:
    return next((run["figures"] for run in reversed(history) if "figures" in run), {})


def append(history: list[dict[str, Any]], figures: dict[str, float], units: dict[str, str]) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=RESULTS.parent).stdout.strip()
    history.append({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit,
                    "figures": figures, "units": units})
    RESULTS.write_text(json.dumps(history[-KEEP:], indent=1) + "\n")


class Report:
    """Prints figures as they come, each with its unit and its change since the previous run."""

    def __init__(self, previous: dict[str, float]) -> None:
        self.previous = previous
        self.figures: dict[str, float] = {}
        self.units: dict[str, str] = {}

    @staticmethod
    def section(title: str) -> None:
        print(f"\n== {title}")

    def figure(self, key: str, label: str, value: float | None, unit: str, *, digits: int = 1,
               note: str = "", higher_is_better: bool = False) -> None:
        if value is None:
            print(f"  {label:60} {'-':>10} {unit:8} {note}")
            return
        self.figures[key], self.units[key] = round(value, 4), unit
        change = self._change(key, value, higher_is_better)
        print(f"  {label:60} {value:10.{digits}f} {unit:8} {change:24} {note}".rstrip())

    def _change(self, key: str, value: float, higher_is_better: bool) -> str:
        before = self.previous.get(key)
        if before is None:
            return "(new)"
        if before == 0:
            return "(was 0)" if value else "(=)"
        change = (value - before) / abs(before) * 100
        worse = change < -10 if higher_is_better else change > 10
        return f"({change:+.0f}% vs {before:g}){' WORSE' if worse else ''}"
