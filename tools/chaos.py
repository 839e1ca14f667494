"""`make chaos`: 100 applications through the whole pipeline while faults are injected.

Starts a LocalRuntime with every fault on (localrt/_faults.py: each batch delivered twice, 10% of
the handlers' AWS call attempts failed, one consumer killed mid-record), files the applications
over HTTP as employers would, decides them as the partnership (70 approved, 30 refused), has the
employers appeal 10 refusals (5 upheld, 5 dismissed), settles, and compares what the API shows with
what each application would reach without faults. Prints the figures; exits 1 on any difference,
on a decision without exactly one decision notice, or on a message left on a consumer queue.

    python tools/chaos.py [--applications 100] [--seed 1] [--fault-rate 0.1] [--no-faults]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT / "services", ROOT / "infra", ROOT / "tests", ROOT / "tools"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from chaos_check import check, figures_table  # noqa: E402
from chaos_scenarios import Case, plan  # noqa: E402
from testkit.client import Api  # noqa: E402

KILLED = "ReviewEventsFunction"  # the consumer killed once, mid-record


def fault_environment(rate: float, seed: int) -> dict[str, str]:
    return {"LOCALRT_DUPLICATE_DELIVERY": "1", "LOCALRT_FAULT_RATE": str(rate),
            "LOCALRT_FAULT_SEED": str(seed), "LOCALRT_KILL_ONCE": KILLED}


def drive(api: Api, rt, cases: list[Case]) -> None:
    """Every step of every case, one stage at a time, settling between stages."""
    for case in cases:
        case.file(api)
    rt.settle(timeout=180)
    partnership = api.token("partnership", partnership_id=cases[0].partnership, sub="chaos-reviewer")
    for case in cases:
        case.decide(api, partnership)
    rt.settle(timeout=180)
    appealed = [c for c in cases if c.appeal]
    for case in appealed:
        case.lodge(api)
    rt.settle(timeout=180)
    coordinator = api.token("appeals", sub="chaos-coordinator")
    for case in appealed:
        case.admit(api, coordinator)
    rt.settle(timeout=180)
    for case in appealed:
        case.decide_appeal(api, coordinator)
    rt.settle(timeout=180)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--no-faults", action="store_true", help="the same run without faults (the baseline)")
    args = parser.parse_args(argv)

    if not args.no_faults:
        os.environ.update(fault_environment(args.fault_rate, args.seed))
    os.environ.setdefault("LOCALRT_RETRY_DELAY_SECONDS", "1")
    from localrt import LocalRuntime

    started = time.monotonic()
    cases = plan(args.applications, args.seed)
    log_file = ROOT / ".local" / "chaos.log"
    log_file.parent.mkdir(exist_ok=True)
    log_file.write_text("")
    print(f"chaos: {len(cases)} applications, faults {'off' if args.no_faults else 'on'} "
          f"(function logs: {log_file.relative_to(ROOT)})", flush=True)
    with LocalRuntime(port=0, quiet=True, log_file=log_file) as rt:
        api = Api(rt, attempts=6, timeout=60)  # a careful client: 5xx retried with one Idempotency-Key
        drive(api, rt, cases)
        result = check(api, rt, cases)
        figures = rt.fault_figures()
    result.figures.update({
        "faults injected (AWS call attempts)": sum(figures["faults_injected"].values()),
        "duplicate deliveries (records)": figures["duplicate_deliveries"],
        "workers killed on purpose": sum(figures["workers_killed"].values()),
        "worker restarts": sum(figures["worker_restarts"].values()),
        "HTTP retries": sum(api.retries.values()),
        "duration (s)": round(time.monotonic() - started, 1),
    })
    print(figures_table(result.figures))
    if api.retries:
        print("HTTP retries by route: " + ", ".join(f"{k} {v}" for k, v in sorted(api.retries.items())))
    if figures["faults_injected"]:
        print("faults by function: " + ", ".join(f"{k} {v}" for k, v in sorted(figures["faults_injected"].items())))
    for warning in result.warnings:
        print(f"WARN {warning}")
    for problem in result.problems:
        print(f"FAIL {problem}")
    print("chaos: PASS" if not result.problems else f"chaos: FAIL ({len(result.problems)} problem(s))")
    return 0 if not result.problems else 1


if __name__ == "__main__":
    sys.exit(main())
