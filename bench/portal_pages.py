"""The portal's page times, as a browser meets them: the cold first page of a fresh worker, and
warm pages (median and p95 of BENCH_PORTAL_RUNS requests each), measured at the client over HTTP,
so each figure includes the gateway, the session read and the API calls the page makes.

Budget: a warm page in at most WARM_BUDGET_MS locally; the cold first page within COLD_BUDGET x the
cold first request of another function measured in the same run (GET /health, ApiDocsFunction).
One cold start is noisy (the machine's other work, the order of the two): the figure is the median
of COLD_ROUNDS rounds, each with both workers fresh, the order alternating.

The back-office pages (issue 15) are measured on the bench's own data: the mtech partnership's
queue and recognitions after the throughput phase (a few hundred files), a refused file with an
appeal, and a support request.
"""

from __future__ import annotations

import html
import os
import re
import statistics
import time
from typing import Any

import requests

RUNS = max(5, int(os.environ.get("BENCH_PORTAL_RUNS", "20")))
COLD_ROUNDS = max(1, int(os.environ.get("BENCH_PORTAL_COLD_ROUNDS", "7")))
WARM_BUDGET_MS = 100
COLD_BUDGET = 1.5
ENTERPRISE = "0403170701"


def _timed(session: requests.Session, url: str, cookies: dict[str, str], data: dict[str, str] | None = None
           ) -> tuple[float, requests.Response]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    started = time.perf_counter()
    if data is None:
        response = session.get(url, headers=headers, allow_redirects=False, timeout=30)
    else:
        response = session.post(url, headers=headers, data=data, allow_redirects=False, timeout=30)
    return (time.perf_counter() - started) * 1000, response


def _unthrottled(session: requests.Session, url: str, cookies: dict[str, str], data: dict[str, str] | None = None
                 ) -> tuple[float, requests.Response]:
    """One timed request that the gateway let through. Twenty requests of a page back to back can
    exceed a route's rate (the stage's route settings, infra/template.yaml), and a 429 is the gateway
    doing its job, not the page's latency: the request is made again once the bucket has refilled."""
    for _ in range(20):
        ms, response = _timed(session, url, cookies, data)
        if response.status_code != 429:
            break
        time.sleep(0.25)
    return ms, response


def _fresh_workers(rt: Any, *logical_ids: str) -> None:
    """The next request of these functions starts a new worker process (INIT again), as a cold
    start on Lambda does. The local runtime starts a stopped worker at its next invocation."""
    for logical_id in logical_ids:
        rt.recycle(logical_id)


def cold_first_pages(rt: Any) -> dict[str, Any]:
    """Median of COLD_ROUNDS rounds of: both workers fresh, then GET / (the portal's home page) and
    GET /health (the reference), in alternating order so neither always pays for going first."""
    session = requests.Session()
    session.get(rt.url + "/_local/oidc/.well-known/openid-configuration", timeout=30)  # the gateway is warm
    portal, health = [], []
    for round_ in range(COLD_ROUNDS):
        _fresh_workers(rt, "PortalFunction", "ApiDocsFunction")
        order = [("portal", "/"), ("health", "/health")]
        for name, path in order if round_ % 2 == 0 else reversed(order):
            ms, response = _timed(session, rt.url + path, {})
            assert response.status_code == 200, (path, response.status_code)
            (portal if name == "portal" else health).append(ms)
    return {"portal_cold_ms": statistics.median(portal), "health_cold_ms": statistics.median(health),
            "ratio": statistics.median(p / h for p, h in zip(portal, health, strict=True)),
            "portal_samples": portal, "health_samples": health}


def _log_in(rt: Any, session: requests.Session, **who: str) -> dict[str, str]:
    """The browser's login, by hand: the portal's redirect, the local login form, the callback."""
    cookies: dict[str, str] = {}

    def follow(response: requests.Response) -> requests.Response:
        while True:
            for header in response.raw.headers.getlist("Set-Cookie"):
                name, _, rest = header.partition("=")
                cookies[name] = rest.split(";")[0]
            if response.status_code not in (302, 303):
                return response
            location = response.headers["location"]
            url = rt.url + location if location.startswith("/") else location
            response = session.get(url, allow_redirects=False, timeout=30,
                                   headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})

    page = follow(session.get(rt.url + "/portal/login", allow_redirects=False, timeout=30))
    form = {
        k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    }
    form.update(who or {"role": "employer", "enterprise_number": ENTERPRISE})
    follow(session.post(rt.url + "/_local/oidc/authorize", data=form, allow_redirects=False, timeout=30))
    assert "lwp_session" in cookies, "the bench could not log in to the portal"
    return cookies


def _csrf(session: requests.Session, rt: Any, cookies: dict[str, str], path: str) -> str:
    _, response = _timed(session, rt.url + path, cookies)
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert found, f"no CSRF token on {path}"
    return html.unescape(found.group(1))


def _backoffice_data(rt: Any) -> dict[str, str]:
    """A refused mtech file with an appeal lodged against it, one still in review, and a support request."""
    from client import Api, Employer, Partnership, expect

    api = Api(rt)
    employer, partnership = Employer(api), Partnership(api)
    app_id, open_id = employer.file(), Employer(api).file()
    rt.settle(timeout=60)
    refused = expect(
        api.call(
            "POST",
            f"/review/applications/{app_id}/decision",
            partnership.token,
            {"outcome": "refused", "reasons": ["The mentor's experience is not shown."]},
        ),
        201,
    )
    expect(
        api.call(
            "POST",
            "/support-requests",
            employer.token,
            {
                "enterprise_number": employer.enterprise,
                "joint_committee": "111",
                "topic": "find_learner",
                "message": "We look for a learner.",
                "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
            },
        ),
        201,
    )
    rt.settle(timeout=60)
    appeal = expect(
        api.call(
            "POST",
            "/appeals",
            employer.token,
            {"subject_id": refused["decision_id"], "grounds": "The mentor has ten years."},
        ),
        201,
    )
    rt.settle(timeout=60)
    active = expect(api.call("GET", "/review/recognitions?status=active&limit=1", partnership.token), 200)
    recognitions = active["items"]
    return {
        "application_id": app_id,
        "open_application_id": open_id,
        "appeal_id": appeal["id"],
        "recognition_id": next(r["recognition_id"] for r in recognitions if r["status"] == "active"),
    }


def _measure(
    session: requests.Session, rt: Any, path: str, cookies: dict[str, str], data: dict[str, str] | None = None
) -> dict[str, float]:
    _unthrottled(session, rt.url + path, cookies, data)  # the first call warms the API workers behind the page
    samples = []
    for _ in range(RUNS):
        ms, response = _unthrottled(session, rt.url + path, cookies, data)
        assert response.status_code in (200, 303, 422), (path, response.status_code, response.text[:300])
        samples.append(ms)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
    }


def api_calls(rt: Any) -> dict[str, dict[str, float]]:
    """The JSON API calls the heaviest pages wait for, timed alone with the same tokens: what a page
    costs beyond them is the portal's own (session, rendering)."""
    from client import PARTNERSHIP

    session = requests.Session()
    calls = {
        "review_queue": ("/review/queue", rt.token("partnership", partnership_id=PARTNERSHIP)),
        "review_recognitions": ("/review/recognitions", rt.token("partnership", partnership_id=PARTNERSHIP)),
        "vpdl_overdue": ("/review/queue?status=overdue", rt.token("partnership", partnership_id="vpdl")),
        "register_search": ("/register?postal_code=9000&limit=50", None),
        "appeals": ("/appeals", rt.token("appeals")),
    }
    figures = {}
    for name, (path, token) in calls.items():
        headers = {"authorization": f"Bearer {token}"} if token else {}
        samples = []
        for i in range(RUNS + 1):
            started = time.perf_counter()
            response = session.get(rt.url + path, headers=headers, timeout=30)
            assert response.status_code == 200, (path, response.status_code)
            if i:  # the first call warms the worker
                samples.append((time.perf_counter() - started) * 1000)
        figures[name] = {"median_ms": statistics.median(samples), "bytes": float(len(response.content))}
    return figures


def warm_pages(rt: Any) -> dict[str, dict[str, float]]:
    session = requests.Session()
    cookies = _log_in(rt, session)
    _, listing = _timed(session, rt.url + "/portal/applications", cookies)
    application = re.search(r'href="/portal/applications/([0-9a-f-]{36})"', listing.text)
    pages: dict[str, tuple[str, dict[str, str], dict[str, str] | None]] = {
        "home": ("/", {}, None),
        "register_search": ("/portal/register?search=1&postal_code=9000", {}, None),
        "verify": (
            (f"/portal/verify?check=1&enterprise_number={ENTERPRISE}&establishment_number=2123456791&training_code=x"),
            {},
            None,
        ),
        "my_applications": ("/portal/applications", cookies, None),
        "new_application_step": ("/portal/applications/new", cookies, None),
    }
    if application:
        pages["application_file"] = (f"/portal/applications/{application.group(1)}", cookies, None)

    # the back office
    data = _backoffice_data(rt)
    partner = _log_in(rt, session, role="partnership", partnership_id="mtech")
    file_path = f"/portal/review/applications/{data['application_id']}"
    measure_path = f"/portal/review/recognitions/{data['recognition_id']}/measure"
    csrf = _csrf(session, rt, partner, "/portal/review")
    supervisor = _log_in(rt, session, role="partnership", partnership_id="vpdl")
    board = _log_in(rt, session, role="appeals")
    pages |= {
        "review_queue": ("/portal/review", partner, None),
        "review_queue_all": ("/portal/review?status=all", partner, None),
        "review_file": (file_path, partner, None),
        "review_decision_preview": (
            f"/portal/review/applications/{data['open_application_id']}/decision",
            partner,
            {"csrf_token": csrf, "outcome": "approved", "action": "preview"},
        ),
        "review_recognitions": ("/portal/review/recognitions", partner, None),
        "review_measure_form": (measure_path, partner, None),
        "review_measure_preview": (
            measure_path,
            partner,
            {"csrf_token": csrf, "type": "exclusion", "scope": "enterprise", "reason": "bench", "action": "preview"},
        ),
        "review_support": ("/portal/review/support", partner, None),
        "vpdl_supervision": ("/portal/review/supervision", supervisor, None),
        "committee_queue": ("/portal/committee", board, None),
        "committee_appeal": (f"/portal/committee/appeals/{data['appeal_id']}", board, None),
    }
    return {name: _measure(session, rt, path, jar, form) for name, (path, jar, form) in pages.items()}
