"""`make fuzz`: Schemathesis against the merged OpenAPI document on a local runtime.

Every operation is called by every kind of caller (no valid token, employer, intermediary with a
mandate, the Horeca and the VPDL partnership, the appeals coordinator) with generated valid and
invalid requests, half of them aimed at resources that exist (two companies set up through the
API, tests/testkit/world.py). Then every operation that takes a body gets the hostile probes
of tools/fuzz_hostile.py (each media type it declares or a client would send, charsets, gzip,
nesting, huge numbers, arrays, wide objects, 7 and 11 MB bodies, oversized headers and URLs, long
path ids and header values) from every caller. Checks: no 5xx; every 4xx is
application/problem+json with `type`, `title` and `status`; a hostile probe gets the status the
request gate gives it; and no request that can change something leaves a stored change without
its event (a refused one changes nothing and publishes nothing new). The gateway's own answers
(unknown route, bad token, oversized or non-JSON body) are probed too. Exits 1 on any failure.

Bounded: FUZZ_MAX_EXAMPLES per operation and caller (default 8), FUZZ_TIME_LIMIT seconds in all
(default 240, shared evenly so every pair gets its turn), FUZZ_SEED for a repeatable run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The two-company set-up (testkit.world) is the authorisation matrix test's too.
sys.path.insert(0, str(ROOT / "tests"))

import requests  # noqa: E402
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from testkit.client import Api  # noqa: E402
from testkit.world import World  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
from fuzz_hostile import MUTATING, StoreWatch, hostile_probes  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "8"))
TIME_LIMIT = float(os.environ.get("FUZZ_TIME_LIMIT", "240"))
SEED = int(os.environ.get("FUZZ_SEED", str(random.randrange(1 << 32))))
# Path parameter -> the World ids it may take, so generated requests also reach real resources.
KNOWN = {
    "application_id": ("draft", "approved", "refused"),
    "document_id": ("document",),
    "visit_id": ("visit",),
    "recognition_id": ("recognition",),
    "appeal_id": ("appeal",),
}


class _OutOfTime(Exception):
    """This operation and caller used up their share of the time limit."""


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def fail(self, check: str, example: str) -> None:
        self.failures[check] += 1
        self.examples.setdefault(check, example)


def content_type(response: Any) -> str:
    """Schemathesis' responses keep every header as a list; requests' as a string."""
    value = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    return value[0] if isinstance(value, list) else value


def problem_failure(response: Any) -> str | None:
    """Why an error response is not a problem+json body with type, title and status, or None."""
    status = response.status_code
    if status >= 500:
        return "5xx"
    if status < 400:
        return None
    if not content_type(response).startswith("application/problem+json"):
        return "not problem+json"
    try:
        body = json.loads(response.content)
    except ValueError:
        return "problem body is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not isinstance(body.get("title"), str):
        return "problem without type/title"
    if body.get("status") != status:
        return "problem status differs from HTTP status"
    return None


def example(request: requests.PreparedRequest) -> str:
    """The request as sent (without the token), short enough for a terminal."""
    body = request.body if isinstance(request.body, (bytes, type(None))) else request.body.encode()
    return f"{request.method} {request.path_url} {(body or b'')[:300]!r}"


def callers(world: Any) -> dict[str, dict[str, Any]]:
    """Caller name -> its Authorization header (None: whatever schemathesis generates) and own ids."""
    a, b = world.a, world.b
    bearer = lambda role, company: {"Authorization": f"Bearer {world.token(role, company)}"}  # noqa: E731
    return {
        "no token": {"headers": None, "company": a},
        "employer": {"headers": bearer("employer", a), "company": a},
        "intermediary": {"headers": bearer("intermediary", a), "company": a},
        "partnership horeca": {"headers": bearer("partnership", a), "company": a},
        "partnership vpdl": {"headers": bearer("partnership", b), "company": b},
        "appeals": {"headers": bearer("appeals", a), "company": a},
    }


def strategy(operation: Any, company: Any) -> Any:
    """Valid and invalid requests; for operations on a resource, also ones naming a real resource."""
    names = [p.name for p in operation.path_parameters]
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if operation.path_parameters or operation.query or operation.body or operation.headers:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    if names and all(n in KNOWN for n in names):
        for values in itertools.product(*([company.ids[k] for k in KNOWN[n]] for n in names)):
            known = dict(zip(names, values, strict=True))
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))
    return st.one_of(strategies)


def fuzz_pair(operation: Any, caller: dict[str, Any], url: str, session: requests.Session,
              tally: Tally, deadline: float, watch: StoreWatch) -> None:
    route = f"{operation.method.upper()} {operation.path}"

    @seed(SEED)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy(operation, caller["company"]))
    def run(case: Any) -> None:
        if time.monotonic() > deadline:
            raise _OutOfTime
        watched = case.method.upper() in MUTATING
        before = watch.before(route) if watched else None
        try:
            response = case.call(base_url=url, session=session, headers=caller["headers"], timeout=30)
        except requests.RequestException as exc:
            tally.fail("no response", f"{case.method} {case.formatted_path}\n    -> {exc}")
            return
        tally.statuses[response.status_code // 100 * 100] += 1
        check = problem_failure(response)
        if check:
            tally.fail(check, f"{example(response.request)}\n    -> {response.status_code} "
                              f"{content_type(response)} {response.text[:300]}")
        broken = watch.after(route, response.status_code, before) if before is not None else None
        if broken:
            tally.fail(broken, f"{example(response.request)}\n    -> {response.status_code} {response.text[:200]}")

    try:
        run()
    except (_OutOfTime, Unsatisfiable):
        pass


def _base_body(operation: Any, known: dict[str, str]) -> dict[str, Any]:
    """One valid body of the operation, as Schemathesis generates it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known or None).example()
    return case.body if isinstance(case.body, dict) else {}


def probe_hostile(operation: Any, by_caller: dict[str, dict[str, Any]], url: str, session: requests.Session,
                  tally: Tally, watch: StoreWatch) -> None:
    """The request gate's cases over HTTP, from every caller, on one operation that takes a body."""
    method, route = operation.method.upper(), f"{operation.method.upper()} {operation.path}"
    declared = list(((operation.definition.raw.get("requestBody") or {}).get("content") or {}).keys())
    names = [p.name for p in operation.path_parameters]
    for index, (name, caller) in enumerate(by_caller.items()):
        company = caller["company"]
        known = {n: company.ids[KNOWN[n][0]] for n in names if n in KNOWN}
        if len(known) != len(names):
            continue
        body = _base_body(operation, known)
        authenticated = caller["headers"] is not None
        for probe in hostile_probes(method, body, declared):
            ids = {**known, names[0]: "a" * 3000} if probe.long_id and names else known
            if (probe.long_id and not names) or (probe.heavy and index > 1):
                continue
            path = operation.path.format(**ids) + probe.path_suffix
            headers = {**(caller["headers"] or {}), **probe.headers}
            expected = probe.status if (authenticated or probe.before_auth) else 401
            before = watch.before(route)
            try:
                response = session.request(method, url + path, headers=headers, data=probe.data, timeout=60)
            except requests.RequestException as exc:
                tally.fail("no response", f"{route} as {name}: {probe.name}\n    -> {exc}")
                continue
            tally.statuses[response.status_code // 100 * 100] += 1
            where = f"{route} as {name}: {probe.name}\n    -> {response.status_code} {response.text[:200]}"
            check = problem_failure(response)
            if check:
                tally.fail(check, where)
            if expected is not None and response.status_code != expected:
                tally.fail(f"hostile probe answered other than {expected}", where)
            broken = watch.after(route, response.status_code, before)
            if broken:
                tally.fail(broken, where)


def probe_gateway(url: str, tally: Tally) -> None:
    """Answers that never reach a service: each must be a problem too."""
    probes = [
        ("GET", "/no-such-route", {}, None),
        ("GET", "/applications", {"Authorization": "Bearer not.a.jwt"}, None),
        ("GET", "/applications", {"Authorization": "Basic x"}, None),
        ("POST", "/applications", {"content-type": "application/json"}, b"x" * (10 * 1024 * 1024 + 1)),
    ]
    for method, path, headers, data in probes:
        response = requests.request(method, url + path, headers=headers, data=data, timeout=60)
        tally.statuses[response.status_code // 100 * 100] += 1
        check = problem_failure(response) or (None if response.status_code >= 400 else "probe accepted")
        if check:
            tally.fail(check, f"{method} {path} -> {response.status_code} {response.text[:200]}")


def report(tallies: dict[str, Tally], operations: int, pairs_cut: int, seconds: float) -> int:
    requests_made = sum(sum(t.statuses.values()) for t in tallies.values())
    failures = sum(sum(t.failures.values()) for t in tallies.values())
    by_class = sum((t.statuses for t in tallies.values()), Counter())
    print(f"\nschemathesis {schemathesis.__version__} · seed {SEED} · {MAX_EXAMPLES} examples per operation"
          f" and caller · time limit {TIME_LIMIT:.0f} s")
    print(f"operations: {operations}   requests: {requests_made}   "
          + "   ".join(f"{k // 100}xx: {v}" for k, v in sorted(by_class.items()))
          + f"   failures: {failures}   time: {seconds:.0f} s")
    if pairs_cut:
        print(f"note: {pairs_cut} operation/caller pairs stopped early at their share of the time limit")
    print(f"\n{'route':<72}{'requests':>9}{'2xx':>6}{'4xx':>6}{'5xx':>6}{'failures':>9}")
    for route, t in sorted(tallies.items()):
        print(f"{route:<72}{sum(t.statuses.values()):>9}{t.statuses[200]:>6}{t.statuses[400]:>6}"
              f"{t.statuses[500]:>6}{sum(t.failures.values()):>9}")
    for route, t in sorted(tallies.items()):
        for check, count in t.failures.items():
            print(f"\nFAIL {route}: {check} ({count}x), e.g.\n    {t.examples[check]}")
    return 1 if failures else 0


def main() -> int:
    from localrt import LocalRuntime

    started = time.monotonic()
    with LocalRuntime(template_path=str(ROOT / "infra" / "template.yaml"), port=0, quiet=True) as rt:
        print(f"local runtime on {rt.url}; setting up two companies ...", flush=True)
        world = World(Api(rt)).build()
        schema = schemathesis.openapi.from_dict(requests.get(rt.url + "/openapi.json", timeout=30).json())
        operations = [result.ok() for result in schema.get_all_operations()]
        by_caller = callers(world)
        pairs = [(op, name) for op in operations for name in by_caller]
        tallies: dict[str, Tally] = defaultdict(Tally)
        session, cut = requests.Session(), 0
        watch = StoreWatch(rt)
        fuzz_started = time.monotonic()
        for done, (operation, name) in enumerate(pairs):
            remaining = TIME_LIMIT - (time.monotonic() - fuzz_started)
            deadline = time.monotonic() + remaining / (len(pairs) - done)
            route = f"{operation.method.upper()} {operation.path}"
            before = sum(tallies[route].statuses.values())
            fuzz_pair(operation, by_caller[name], rt.url, session, tallies[route], deadline, watch)
            cut += time.monotonic() > deadline and sum(tallies[route].statuses.values()) - before < MAX_EXAMPLES
            if done % len(by_caller) == len(by_caller) - 1:
                print(f"  {route}: {sum(tallies[route].statuses.values())} requests", flush=True)
        hostile_started = time.monotonic()
        for operation in operations:
            if operation.body:
                route = f"{operation.method.upper()} {operation.path}"
                probe_hostile(operation, by_caller, rt.url, session, tallies[route], watch)
                print(f"  hostile {route}: done", flush=True)
        hostile_seconds = time.monotonic() - hostile_started
        probe_gateway(rt.url, tallies["gateway (no route, bad token, 10 MB)"])
        print(f"\nstore watch: {watch.checked} requests checked for a stored change without its event; "
              f"hostile probes took {hostile_seconds:.0f} s")
        return report(tallies, len(operations), cut, time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
