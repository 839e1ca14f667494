"""What the function workers wrote about themselves (infra/localrt/call_counter.py), by function."""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FunctionCounts:
    invocations: int = 0
    records: int = 0  # SQS records delivered to it
    duration_ms: float = 0.0
    calls: collections.Counter = field(default_factory=collections.Counter)
    max_rss_kb: int = 0
    first: dict | None = None  # the first invocation of its first worker: duration_ms, max_rss_kb
    by_event: dict[str, collections.Counter] = field(default_factory=dict)  # "SQS <Event>" / "<METHOD> <route>"

    def minus(self, before: FunctionCounts) -> FunctionCounts:
        labels = set(self.by_event) | set(before.by_event)
        by_event = {k: self.by_event.get(k, collections.Counter()) - before.by_event.get(k, collections.Counter())
                    for k in labels}
        return FunctionCounts(self.invocations - before.invocations, self.records - before.records,
                              self.duration_ms - before.duration_ms, self.calls - before.calls,
                              self.max_rss_kb, self.first, {k: v for k, v in by_event.items() if v})


def snapshot(directory: Path, rt: Any) -> dict[str, FunctionCounts]:
    """Totals per function logical id, over every worker process it had."""
    logical = {fn.name: fn.logical_id for fn in rt.template.functions}
    totals = {fn.logical_id: FunctionCounts() for fn in rt.template.functions}
    reports = [json.loads(path.read_text()) for path in directory.glob("*.json")]
    for report in sorted(reports, key=lambda r: r["started"]):  # a restarted worker comes later
        counts = totals[logical.get(report["function"], report["function"])]
        counts.invocations += report["invocations"]
        counts.records += report["records"]
        counts.duration_ms += report["duration_ms"]
        counts.calls.update(report["calls"])
        for label, calls in (report.get("by_event") or {}).items():
            counts.by_event.setdefault(label, collections.Counter()).update(calls)
        counts.max_rss_kb = max(counts.max_rss_kb, report["max_rss_kb"])
        counts.first = counts.first or report["first"]
    return totals


def difference(after: dict[str, FunctionCounts], before: dict[str, FunctionCounts]) -> dict[str, FunctionCounts]:
    return {name: counts.minus(before.get(name, FunctionCounts())) for name, counts in after.items()}
