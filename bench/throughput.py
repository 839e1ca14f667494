"""Local end-to-end throughput: N applications filed by a few employer threads, followed up to
their decision.

Submitted per second = N / (end of the last submission - start of the first creation).
Routed: the first GET /applications/{id} that shows a partnership_id and status in_review;
decided: the first GET that shows approved. The partnership reads its queue (GET /review/queue,
one request for all) and approves every application of this run it finds there.

The employer side polls each pending application at an interval that grows with the number
pending (POLL_PER_PENDING seconds each, at least MIN_POLL), so polling stays a bounded load
on the intake API (one worker) instead of crowding out the submissions it measures. Latencies
are as polled: each may be late by up to one interval (the median interval is reported).
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

from client import Api, Employer, Partnership, expect

SUBMITTERS = 3
MIN_POLL = 0.25
POLL_PER_PENDING = 0.04
DEADLINE_SECONDS = 300  # the whole phase stops by itself after this


@dataclass
class Tracked:
    app_id: str
    employer: Employer
    submitted: float
    next_poll: float = 0.0
    routed: float | None = None
    decided: float | None = None


def applications() -> int:
    return int(os.environ.get("BENCH_APPLICATIONS", "200"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]  # nearest rank


class Run:
    def __init__(self, api: Api, n: int) -> None:
        self.api, self.n = api, n
        self.deadline = time.monotonic() + DEADLINE_SECONDS
        self.todo: queue.Queue[int] = queue.Queue()
        for i in range(n):
            self.todo.put(i)
        self.filed: queue.Queue[Tracked] = queue.Queue()
        self.ids: set[str] = set()
        self.failures: list[str] = []
        self.intervals: list[float] = []
        self.submitting_done = threading.Event()
        self.watching_done = threading.Event()
        self.finished: list[Tracked] = []
        self.unfinished: list[Tracked] = []

    def submit(self) -> None:
        while time.monotonic() < self.deadline:
            try:
                self.todo.get_nowait()
            except queue.Empty:
                return
            employer = Employer(self.api)
            try:
                app_id = employer.file()
            except RuntimeError as exc:
                self.failures.append(str(exc))
                continue
            self.ids.add(app_id)
            self.filed.put(Tracked(app_id, employer, time.monotonic()))

    def watch_as_employers(self) -> None:
        pending: list[Tracked] = []
        while time.monotonic() < self.deadline and not (
            self.submitting_done.is_set() and self.filed.empty() and not pending
        ):
            while not self.filed.empty():
                pending.append(self.filed.get_nowait())
            interval = max(MIN_POLL, POLL_PER_PENDING * len(pending))
            for app in [a for a in pending if a.next_poll <= time.monotonic()]:
                status = app.employer.status(app.app_id)
                now = time.monotonic()
                if (
                    app.routed is None
                    and status.get("partnership_id")
                    and status["status"] in ("in_review", "approved")
                ):
                    app.routed = now
                if status["status"] == "approved":
                    app.decided = now
                    pending.remove(app)
                    self.finished.append(app)
                app.next_poll = now + interval
                self.intervals.append(interval)  # per poll: the resolution of its latency
            time.sleep(0.02)
        self.unfinished.extend(pending)
        self.watching_done.set()

    def review_as_partnership(self, partnership: Partnership) -> None:
        approved: set[str] = set()
        while time.monotonic() < self.deadline and not self.watching_done.is_set():
            queue_items = expect(self.api.request("GET", "/review/queue", partnership.token), 200)
            for item in queue_items:
                app_id = item["application_id"]
                if app_id in self.ids and app_id not in approved and partnership.approve(app_id):
                    approved.add(app_id)
            time.sleep(0.5)


def run(rt: Any, api: Api) -> dict[str, Any]:
    r = Run(api, applications())
    t0 = time.monotonic()
    submitters = [threading.Thread(target=r.submit, name=f"submit-{i}") for i in range(SUBMITTERS)]
    others = [threading.Thread(target=r.watch_as_employers, name="employers"),
              threading.Thread(target=r.review_as_partnership, args=(Partnership(api),), name="partnership")]
    for t in submitters + others:
        t.start()
    for t in submitters:
        t.join()
    submitted_in = time.monotonic() - t0
    r.submitting_done.set()
    for t in others:
        t.join()
    drained = time.monotonic()
    try:
        rt.settle(timeout=120)  # let the last notices go out before anyone stops the runtime
        settled = True
    except TimeoutError as exc:  # SettleTimeout: reported with the figures, not a crash of the whole bench
        settled = False
        r.failures.append(f"not settled 120 s after the last decision: {exc}")
    tracked = r.finished + r.unfinished
    routed = [a.routed - a.submitted for a in tracked if a.routed is not None]
    decided = [a.decided - a.submitted for a in r.finished]
    return {
        "applications": r.n,
        "submitted": len(tracked),
        "decided": len(r.finished),
        "failures": r.failures[:5],
        "submitted_per_second": len(tracked) / submitted_in if submitted_in else 0.0,
        "routed_median_s": statistics.median(routed) if routed else None,
        "routed_p95_s": percentile(routed, 95) if routed else None,
        "decided_median_s": statistics.median(decided) if decided else None,
        "decided_p95_s": percentile(decided, 95) if decided else None,
        "poll_interval_median_s": statistics.median(r.intervals) if r.intervals else None,
        "settled": settled,
        "settled_after_s": time.monotonic() - drained,
        "wall_s": time.monotonic() - t0,
        "moto": rt.moto.stats(),  # what the local AWS holds after the run (its growth is not a cost on AWS)
    }
