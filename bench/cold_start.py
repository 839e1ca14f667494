"""Cold start per function, measured as a caller meets it: a fresh worker's first request.

For every function of the template the local runtime retires its warm worker (``rt.recycle``) and then
gets one representative request or event through the system as a caller would send it (an employer's
``POST /applications``, the ``ApplicationSubmitted`` the routing consumer receives after a submission...).
The runtime starts a fresh worker for it, as Lambda starts a sandbox, and records the invocation from the
spawn of the interpreter to the reply (``rt.cold_starts``): INIT (interpreter, every import, module
objects) plus the first invocation, with its first AWS clients and calls. Moving an import into a
function cannot improve this figure, only move its cost. The workers run from the built artefact, our
bytecode included, as `sam build` deploys it (infra/localrt/artifact.py, services/Makefile).

Each cold start's CPU time (the worker's user + system time over the same span) is a secondary figure:
on a shared machine other work stretches wall time far more than CPU time.

The reference is measured in the same run, in a worker started the same way: a fresh process that
imports boto3 and the Powertools Logger and makes one DynamoDB GetItem against the same moto
(bench/reference/cold_reference.py). Budget: every function within BUDGET times the reference.

Only the recycled function is cold at any time (the rest of the system is warm), so two cold starts
never compete for the cores. The reference is measured right before each function's cold start, and a
function's ratio is the median over RUNS rounds of its cold start over that paired reference, so a
machine whose load drifts during the run compares like with like.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from client import Api, Employer, Partnership, expect
from testkit.client import route_of

from localrt.workers import Worker

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(__file__).with_name("reference")
RUNS = max(3, int(os.environ.get("BENCH_COLD_RUNS", "5")))
BUDGET = 1.5
# The reference runs as this function's role (its policy allows GetItem on its table, TABLE_NAME).
REFERENCE_ROLE_OF = "IntakeApiFunction"


@dataclass
class Figures:
    reference_ms: list[float] = field(default_factory=list)
    function_ms: dict[str, list[float]] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)  # each over the reference measured just before
    events: dict[str, str] = field(default_factory=dict)  # function -> what its cold invocation was for
    # The same spans in the worker's CPU time (user + system): a shared, loaded machine stretches wall time
    # but hardly CPU time, so these ratios say whether a change helped when the wall figures are noise.
    cpu_ratios: dict[str, list[float]] = field(default_factory=dict)

    def median(self, logical_id: str) -> float:
        return statistics.median(self.function_ms[logical_id])

    def ratio(self, logical_id: str) -> float:
        return statistics.median(self.ratios[logical_id])

    def cpu_ratio(self, logical_id: str) -> float | None:
        ratios = self.cpu_ratios.get(logical_id)
        return statistics.median(ratios) if ratios else None

    @property
    def reference(self) -> float:
        return statistics.median(self.reference_ms)


def reference_start(rt: Any) -> Any:
    """One cold start of the reference in a worker started as the runtime starts any function's."""
    template_fn = rt.template.function(REFERENCE_ROLE_OF)
    fn = dataclasses.replace(template_fn, logical_id="ColdStartReference", handler="cold_reference.handler",
                             code_dir=REFERENCE_DIR, http_routes=[], sqs_events=[])
    env = {**rt.workers.pools[REFERENCE_ROLE_OF].env, "_HANDLER": fn.handler, "PYTHONPATH": str(REFERENCE_DIR),
           "LAMBDA_TASK_ROOT": str(REFERENCE_DIR)}
    if "LOCALRT_PROFILE" in env:  # its profile under its own name, not over IntakeApiFunction's (_child.py)
        env["AWS_LAMBDA_FUNCTION_NAME"] = fn.logical_id
    with open(os.devnull, "w", encoding="utf-8") as sink:
        worker = Worker(fn, env, lambda: sink, index=0)
        try:
            outcome = worker.invoke({}, rt.clock.offset)
        finally:
            worker.stop()
    if not (outcome.ok and outcome.cold):
        raise RuntimeError(f"the reference failed: {outcome.error_type}: {outcome.error_message}")
    return outcome


class Round:
    """One round: every function cold once, each right before the request or event that reaches it."""

    def __init__(self, rt: Any, api: Api, figures: Figures) -> None:
        self.rt, self.api, self.figures = rt, api, figures
        self.partnership = Partnership(api)
        self.first, self.second = Employer(api), Employer(api)

    def cold(self, logical_id: str, trigger: Callable[[], Any]) -> Any:
        """Recycles the function, runs ``trigger``, settles; records the function's one cold start."""
        self.rt.settle(timeout=60)
        reference_run = reference_start(self.rt)
        reference = reference_run.duration_ms
        mark = len(self.rt.cold_starts)
        self.rt.recycle(logical_id)
        result = trigger()
        self.rt.settle(timeout=60)
        started = [c for c in self.rt.cold_starts[mark:] if c.logical_id == logical_id]
        if len(started) != 1 or not started[0].ok:
            raise RuntimeError(f"{logical_id}: expected one successful cold start, got {started}")
        self.figures.reference_ms.append(reference)
        self.figures.function_ms.setdefault(logical_id, []).append(started[0].duration_ms)
        self.figures.ratios.setdefault(logical_id, []).append(started[0].duration_ms / reference)
        if started[0].cpu_ms and reference_run.cpu_ms:
            self.figures.cpu_ratios.setdefault(logical_id, []).append(started[0].cpu_ms / reference_run.cpu_ms)
        self.figures.events.setdefault(logical_id, _without_ids(started[0].event))
        return result

    def run(self) -> None:
        api, rt = self.api, self.rt
        self.cold("ApiDocsFunction", lambda: expect(api.get("/openapi.json"), 200))
        self.cold("PortalFunction", lambda: page(api, "/"))
        self.cold("RoutingApiFunction", lambda: expect(api.get("/trainings"), 200))
        first = self.cold("IntakeApiFunction", lambda: self.first.create())
        self.first.upload(first)
        self.cold("RoutingEventsFunction", lambda: self.first.submit(first))
        # Each consumer below gets the events of a submission of its own, with only itself cold.
        for consumer in ("IntakeEventsFunction", "ReviewEventsFunction", "NotificationEventsFunction"):
            employer = Employer(api)
            app_id = employer.create()
            employer.upload(app_id)
            self.cold(consumer, functools.partial(employer.submit, app_id))
        refusal = self.cold("ReviewApiFunction", lambda: self.partnership.refuse(first))
        second = self.second.create()
        self.second.upload(second)
        self.second.submit(second)
        rt.settle(timeout=60)
        self.cold("AppealEventsFunction", lambda: self.partnership.refuse(second))
        self.cold("AppealApiFunction", lambda: self.first.appeal(refusal["decision_id"]))
        self.cold("NotificationApiFunction", lambda: expect(api.get("/notices", self.first.token), 200))


def _without_ids(event: str) -> str:
    """"POST /review/applications/<uuid>/decision" -> "POST /review/applications/{id}/decision"; SQS as is."""
    method, _, path = event.partition(" ")
    return f"{method} {route_of(path)}" if path.startswith("/") else event


def page(api: Api, path: str) -> None:
    response = api.get(path, headers={"accept": "text/html"})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")


def measure(rt: Any) -> Figures:
    """RUNS rounds on ``rt`` (a runtime of its own: nothing else may run meanwhile), after one warm-up round
    that fills the file cache and the tables, so that every round starts from the same state."""
    api = Api(rt)
    Round(rt, api, Figures()).run()
    figures = Figures()
    for _ in range(RUNS):
        Round(rt, api, figures).run()
    return figures
