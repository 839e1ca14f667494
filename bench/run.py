"""`make bench`: the project's figures, printed with their units and their change since the last
run, and appended to bench/results.json. Never asserted in tests: a worse figure shows in review.

1. cold start: a fresh worker's first request per function, against a reference  (cold_start.py)
   (boto3 + Powertools Logger + one GetItem) measured in the same run; import time as a secondary
   figure, next to `import boto3`                                                 (imports.py)
2. peak memory of one invocation of every function in a fresh worker              (memory.py)
3. AWS API calls per application lifecycle, and the cost per 1,000 applications   (aws_calls.py, cost.py)
4. local end-to-end throughput for BENCH_APPLICATIONS (200) applications          (throughput.py)
5. the duration of `make test` (BENCH_SKIP_TESTS=1 skips it)                      (make_test.py)
6. the portal's cold first page and warm page times at the client                 (portal_pages.py)
7. a register page and a verify at 100 and 50,000 recognitions: read units, bytes (register_scale.py)

Functions run on the local runtime with LOCALRT_CALL_COUNTS set, so each worker counts its AWS
calls, handler time and peak memory (infra/localrt/call_counter.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in ("services", "infra", "tests"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

import aws_calls  # noqa: E402
import cold_start  # noqa: E402
import cost  # noqa: E402
import counters  # noqa: E402
import history  # noqa: E402
import imports  # noqa: E402
import make_test  # noqa: E402
import memory  # noqa: E402
import portal_pages  # noqa: E402
import register_scale  # noqa: E402
import throughput  # noqa: E402
from client import Api  # noqa: E402

MEMORY_BUDGET_MB = 128  # the smallest Lambda size


def report_cold_starts(report: history.Report, figures: cold_start.Figures) -> None:
    report.section(f"Cold start: a fresh worker's first request (INIT + first invocation), "
                   f"median of {cold_start.RUNS}; budget {cold_start.BUDGET}x the reference")
    reference = figures.reference
    report.figure("cold_ms/reference", "reference: boto3 + Powertools Logger + one GetItem", reference, "ms", digits=0)
    for function in sorted(figures.function_ms):
        ratio = figures.ratio(function)
        flag = " OVER BUDGET" if ratio > cold_start.BUDGET else ""
        report.figure(f"cold_ms/{function}", function, figures.median(function), "ms", digits=0,
                      note=f"{ratio:.2f}x reference{flag}  ({figures.events[function]})")
        report.figure(f"cold_ratio/{function}", f"  {function} / reference", ratio, "x", digits=2)
        cpu = figures.cpu_ratio(function)
        if cpu is not None:
            report.figure(f"cold_cpu_ratio/{function}", "    in CPU time (secondary: load-proof)", cpu, "x", digits=2)
    over = [f for f in figures.function_ms if figures.ratio(f) > cold_start.BUDGET]
    print(f"  {len(figures.function_ms) - len(over)} of {len(figures.function_ms)} functions within "
          f"{cold_start.BUDGET}x the reference" + (f"; over: {', '.join(sorted(over))}" if over else ""))


def report_imports(report: history.Report) -> None:
    report.section(f"Import time in a fresh process (median of {imports.RUNS}), a secondary figure: "
                   "the budget is on the cold start above")
    baseline, per_module = imports.measure()
    report.figure("import_ms/boto3", "import boto3", baseline * 1000, "ms", digits=0)
    for function, module in sorted(imports.handler_modules().items()):
        report.figure(f"import_ms/{function}", f"{function} ({module})", per_module[module] * 1000, "ms",
                      digits=0, note=f"{per_module[module] / baseline:.2f}x boto3")


def report_memory(report: history.Report, rt, totals: dict[str, counters.FunctionCounts]) -> None:
    report.section(f"Peak memory: whole-process max RSS of the worker (what Lambda reports as Max Memory Used); "
                   f"budget {MEMORY_BUDGET_MB} MB")
    for fn in sorted(rt.template.functions, key=lambda f: f.logical_id):
        counts = totals[fn.logical_id]
        if counts.first is None:
            report.figure(f"memory_mb/{fn.logical_id}", fn.logical_id, None, "MB", note="never invoked")
            continue
        first, lifetime = counts.first["max_rss_kb"] / 1024, counts.max_rss_kb / 1024
        flag = " OVER BUDGET" if max(first, lifetime) > MEMORY_BUDGET_MB else ""
        report.figure(f"memory_mb/{fn.logical_id}", f"{fn.logical_id} after 1st invocation", first, "MB",
                      note=f"after all {counts.invocations}: {lifetime:.1f} MB (MemorySize {fn.memory_size}){flag}")


def report_calls(report: history.Report, rt, counted: dict) -> None:
    n = counted["lifecycles"]
    per_function = counted["per_function"]
    report.section(f"AWS API calls per application lifecycle (mean of {n}: create, upload, submit, route, "
                   "open file, approve, notice), counted in the function workers")
    by_operation: dict[str, int] = {}
    for f in per_function.values():
        for op, k in f.calls.items():
            if "#" not in op:
                by_operation[op] = by_operation.get(op, 0) + k
    for op in sorted(by_operation):
        report.figure(f"calls/{op}", op, by_operation[op] / n, "calls", digits=1)
    report.figure("calls/total", "total AWS API calls per lifecycle", sum(by_operation.values()) / n, "calls")
    by_service: dict[str, float] = {}
    for name, f in per_function.items():
        service = name.removesuffix("Function").removesuffix("Api").removesuffix("Events").lower() or name
        by_service[service] = by_service.get(service, 0) + sum(k for op, k in f.calls.items() if "#" not in op) / n
    for service, calls in sorted(by_service.items()):
        if calls:
            report.figure(f"calls/service/{service}", f"{service} (all its functions)", calls, "calls", digits=1)
    print("  per function and what it handled (calls per lifecycle):")
    for name, f in sorted(per_function.items()):
        for label, calls in sorted(f.by_event.items()):
            total = sum(k for op, k in calls.items() if "#" not in op) / n
            if total:
                ops = ", ".join(f"{op.split('.')[-1]} {k / n:g}" for op, k in sorted(calls.items()) if "#" not in op)
                print(f"    {name:<28} {label:<52} {total:5.1f}  ({ops})")
    intake = per_function["IntakeApiFunction"].calls
    report.figure("calls/intake_per_submitted", "per submitted application (intake API: create, document, submit)",
                  sum(k for op, k in intake.items() if "#" not in op) / n, "calls")
    report.figure("lambda/invocations", "Lambda invocations per lifecycle",
                  sum(f.invocations for f in per_function.values()) / n, "invocations")
    report.figure("lambda/handler_ms", "handler time per lifecycle (all functions, local)",
                  sum(f.duration_ms for f in per_function.values()) / n, "ms", digits=0)
    report.figure("http/api_requests", "API requests per lifecycle", counted["api_requests"] / n, "requests")


def report_portal(report: history.Report, cold: dict, warm: dict[str, dict[str, float]],
                  api: dict[str, dict[str, float]]) -> None:
    report.section(
        f"Portal pages at the client, over HTTP (gateway + session + the API calls of the page); "
        f"budget {portal_pages.WARM_BUDGET_MS} ms warm, cold first page {portal_pages.COLD_BUDGET}x a cold GET /health"
    )
    flag = " OVER BUDGET" if cold["ratio"] > portal_pages.COLD_BUDGET else ""
    report.figure(
        "portal/cold_first_page_ms",
        f"cold first page (GET /, a fresh portal worker), median of {portal_pages.COLD_ROUNDS}",
        cold["portal_cold_ms"],
        "ms",
        digits=0,
        note=f"reference: cold GET /health {cold['health_cold_ms']:.0f} ms; {cold['ratio']:.2f}x{flag}",
    )
    report.figure(
        "portal/cold_ratio",
        "cold first page / cold GET /health (median of the rounds' ratios)",
        cold["ratio"],
        "x",
        digits=2,
    )
    for name, figures in warm.items():
        flag = " OVER BUDGET" if figures["median_ms"] > portal_pages.WARM_BUDGET_MS else ""
        report.figure(
            f"portal/warm_ms/{name}",
            f"warm {name}, median of {portal_pages.RUNS}",
            figures["median_ms"],
            "ms",
            digits=0,
            note=f"p95 {figures['p95_ms']:.0f} ms{flag}",
        )
    for name, figures in api.items():
        report.figure(
            f"portal/api_ms/{name}",
            f"the API call alone behind {name}",
            figures["median_ms"],
            "ms",
            digits=0,
            note=f"{figures['bytes'] / 1024:.0f} kB",
        )


def report_cost(report: history.Report, rt, counted: dict) -> None:
    prices = cost.PRICES
    report.section(
        f"Cost per 1,000 applications: an ESTIMATE at {prices['region']} list prices "
        f"({prices['currency']}, as of {prices['as_of']}, bench/prices.json; free tiers ignored)"
    )
    usage = cost.usage_per_application(counted, {fn.logical_id: fn.memory_size for fn in rt.template.functions})
    lines = cost.per_thousand(usage)
    for key, usd in lines.items():
        report.figure(
            f"cost_usd/{key}",
            key,
            usd,
            "USD",
            digits=4,
            note=f"{usage[key] * 1000:.1f} x {prices['usd'][key]:g} per {prices['per'][key]}",
        )
    report.figure("cost_usd/total", "total per 1,000 applications", sum(lines.values()), "USD", digits=3)


def report_throughput(report: history.Report, figures: dict) -> None:
    report.section(
        f"Local end-to-end throughput, {figures['applications']} applications "
        f"({throughput.SUBMITTERS} employer threads filing, one polling thread per side, one worker per function)"
    )
    report.figure(
        "throughput/submitted_per_s",
        "submitted (created, uploaded, submitted)",
        figures["submitted_per_second"],
        "apps/s",
        digits=2,
        higher_is_better=True,
        note=f"{figures['submitted']} submitted, {figures['decided']} decided",
    )
    for key, label in (
        ("routed_median_s", "submission to routed, median"),
        ("routed_p95_s", "submission to routed, p95"),
        ("decided_median_s", "submission to decided, median"),
        ("decided_p95_s", "submission to decided, p95"),
    ):
        report.figure(f"throughput/{key}", label, figures[key], "s", digits=2)
    print(
        f"  (latencies as polled with GET /applications/{{id}}, median poll interval "
        f"{(figures['poll_interval_median_s'] or 0):.2f} s; "
        + (f"queues empty {figures['settled_after_s']:.0f} s" if figures["settled"]
           else f"queues NOT empty {figures['settled_after_s']:.0f} s")
        + f" after the last decision; phase took {figures['wall_s']:.0f} s)"
    )
    moto = figures["moto"]
    report.figure("throughput/moto_rss_mb", "the local moto server's memory after the phase", moto["rss_mb"], "MB",
                  digits=0, note=f"peak {moto['peak_rss_mb']} MB")
    print("  moto holds: " + ", ".join(f"{k} {v}" for k, v in moto.items() if not k.endswith("rss_mb")))
    for failure in figures["failures"]:
        print(f"  failure: {failure}")


@contextlib.contextmanager
def quiet_runtime():
    """The local runtime, its moto's request tracebacks in .local/bench-moto.log instead of on the terminal."""
    from localrt import LocalRuntime

    log = ROOT / ".local" / "bench-moto.log"
    log.parent.mkdir(exist_ok=True)
    saved_stderr = os.dup(2)
    rt = LocalRuntime(template_path=ROOT / "infra" / "template.yaml", port=0, quiet=True)
    try:
        # moto (a child process) inherits stderr: its request tracebacks go to a log file.
        with open(log, "a", encoding="utf-8") as sink:
            os.dup2(sink.fileno(), 2)
            try:
                rt.start()
            finally:
                os.dup2(saved_stderr, 2)
                os.close(saved_stderr)
        yield rt
    finally:
        rt.stop()


@contextlib.contextmanager
def counted_runtime(directory: str):
    """The local runtime with every worker counting into ``directory``, quiet on the terminal."""
    os.environ["LOCALRT_CALL_COUNTS"] = directory  # read when the runtime builds the workers
    try:
        with quiet_runtime() as rt:
            yield rt
    finally:
        del os.environ["LOCALRT_CALL_COUNTS"]  # `make test` below must not count


def calls_only() -> int:
    """BENCH_ONLY=calls: the AWS calls per lifecycle alone (a minute instead of the whole bench)."""
    report = history.Report({})
    with tempfile.TemporaryDirectory(prefix="bench-counts-") as directory:
        with counted_runtime(directory) as rt:
            api = Api(rt)
            memory.warm_up(rt, api)
            report_calls(report, rt, aws_calls.run(rt, api, Path(directory)))
    return 0


def cold_only() -> int:
    """BENCH_ONLY=cold: the cold start per function alone (a few minutes instead of the whole bench)."""
    report = history.Report(history.previous_figures(history.load()))
    with quiet_runtime() as rt:
        report_cold_starts(report, cold_start.measure(rt))
    return 0


def throughput_only() -> int:
    """BENCH_ONLY=throughput: the local throughput alone, with every worker's peak memory (a few minutes)."""
    report = history.Report({})
    with tempfile.TemporaryDirectory(prefix="bench-counts-") as directory:
        with counted_runtime(directory) as rt:
            api = Api(rt)
            memory.warm_up(rt, api)
            flow = throughput.run(rt, api)
            report_memory(report, rt, counters.snapshot(Path(directory), rt))
            report_throughput(report, flow)
    return 0


def main() -> int:
    if os.environ.get("BENCH_ONLY") == "calls":
        return calls_only()
    if os.environ.get("BENCH_ONLY") == "cold":
        return cold_only()
    if os.environ.get("BENCH_ONLY") == "throughput":
        return throughput_only()
    started = time.monotonic()
    runs = history.load()
    report = history.Report(history.previous_figures(runs))
    # A runtime of its own, not counting calls (the counting hook would add to every worker's start).
    with quiet_runtime() as rt:
        report_cold_starts(report, cold_start.measure(rt))
    report_imports(report)

    with tempfile.TemporaryDirectory(prefix="bench-counts-") as directory:
        with counted_runtime(directory) as rt:
            api = Api(rt)
            portal_cold = portal_pages.cold_first_pages(rt)  # before anything warms the portal's worker
            memory.warm_up(rt, api)
            counted = aws_calls.run(rt, api, Path(directory))
            flow = throughput.run(rt, api)
            portal_warm = portal_pages.warm_pages(rt)
            portal_api = portal_pages.api_calls(rt)
            totals = counters.snapshot(Path(directory), rt)
            report_memory(report, rt, totals)
            report_calls(report, rt, counted)
            report_cost(report, rt, counted)
            report_throughput(report, flow)
            report_portal(report, portal_cold, portal_warm, portal_api)

    register_scale.report(report, register_scale.measure())

    suite = make_test.run()
    report.section("make test")
    if suite is None:
        print("  skipped (BENCH_SKIP_TESTS=1)")
    else:
        seconds, passed, last_line = suite
        report.figure(
            "make_test_s",
            "make test duration",
            seconds,
            "s",
            digits=0,
            note=("passed" if passed else "FAILED") + f": {last_line}",
        )

    history.append(runs, report.figures, report.units)
    print(
        f"\nfigures appended to {history.RESULTS.relative_to(ROOT)} ({len(report.figures)} figures); "
        f"bench took {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
