"""Local end-to-end throughput: N applications filed by a few employer threads, followed up to
their decision by a few partnership threads.

Submitted per second = N / (end of the last submission - start of the first creation). Routed:
the first GET /applications/{id} that shows status in_review and a partnership_id; decided: the
first GET that shows approved. The partnership approves as soon as its decision is accepted
(a 404 means the file is not in its queue yet, and it tries again on its next round). Latencies
are as seen by polling, so they include up to one polling round (reported).
"""

from __future__ import annotations

import math
import os
import queue
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

from client import Api, Employer, Partnership

SUBMITTERS = 3
WATCHERS = 2
DEADLINE_SECONDS = 240  # the whole phase stops by itself after this


@dataclass
class Tracked:
    app_id: str
    employer: Employer
    submitted: float
    routed: float | None = None
    decision_sent: bool = False
    decided: float | None = None


def applications() -> int:
    return int(os.environ.get("BENCH_APPLICATIONS", "200"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]  # nearest rank


def run(rt: Any, api: Api) -> dict[str, Any]:
    n = applications()
    deadline = time.monotonic() + DEADLINE_SECONDS
    todo: queue.Queue[int] = queue.Queue()
    for i in range(n):
        todo.put(i)
    filed: queue.Queue[Tracked] = queue.Queue()
    failures: list[str] = []
    done = threading.Event()
    rounds: list[float] = []

    def submit() -> None:
        while time.monotonic() < deadline:
            try:
                todo.get_nowait()
            except queue.Empty:
                return
            employer = Employer(api)
            try:
                app_id = employer.file()
            except RuntimeError as exc:
                failures.append(str(exc))
                continue
            filed.put(Tracked(app_id, employer, time.monotonic()))

    def watch(partnership: Partnership) -> None:
        pending: list[Tracked] = []
        while time.monotonic() < deadline and not (done.is_set() and filed.empty() and not pending):
            while not filed.empty():
                try:
                    pending.append(filed.get_nowait())
                except queue.Empty:
                    break
            started = time.monotonic()
            for app in list(pending):
                status = app.employer.status(app.app_id)
                now = time.monotonic()
                if app.routed is None and status.get("partnership_id") and status["status"] in ("in_review", "approved"):
                    app.routed = now
                if app.routed is not None and not app.decision_sent:
                    app.decision_sent = partnership.approve(app.app_id)
                if status["status"] == "approved":
                    app.decided = now
                    pending.remove(app)
                    finished.append(app)
            rounds.append(time.monotonic() - started)
            time.sleep(0.05)
        unfinished.extend(pending)

    finished: list[Tracked] = []
    unfinished: list[Tracked] = []
    partnership = Partnership(api)
    t0 = time.monotonic()
    submitters = [threading.Thread(target=submit, name=f"submit-{i}") for i in range(SUBMITTERS)]
    watchers = [threading.Thread(target=watch, args=(partnership,), name=f"watch-{i}") for i in range(WATCHERS)]
    for t in submitters + watchers:
        t.start()
    for t in submitters:
        t.join()
    submitted_in = time.monotonic() - t0
    done.set()
    for t in watchers:
        t.join()
    routed = [a.routed - a.submitted for a in finished + unfinished if a.routed is not None]
    decided = [a.decided - a.submitted for a in finished]
    submitted = len(finished) + len(unfinished)
    return {
        "applications": n,
        "submitted": submitted,
        "decided": len(finished),
        "failures": failures[:5],
        "submitted_per_second": submitted / submitted_in if submitted_in else 0.0,
        "routed_median_s": statistics.median(routed) if routed else None,
        "routed_p95_s": percentile(routed, 95) if routed else None,
        "decided_median_s": statistics.median(decided) if decided else None,
        "decided_p95_s": percentile(decided, 95) if decided else None,
        "polling_round_median_s": statistics.median(rounds) if rounds else None,
        "wall_s": time.monotonic() - t0,
    }
