"""The portal's page times, as a browser meets them: the cold first page of a fresh worker, and
warm pages (median and p95 of BENCH_PORTAL_RUNS requests each), measured at the client over HTTP,
so each figure includes the gateway, the session read and the API calls the page makes.

Budget: a warm page in at most WARM_BUDGET_MS locally. The cold first page is shown next to the cold
first request of another function measured in the same run (GET /health, ApiDocsFunction).
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
WARM_BUDGET_MS = 100
ENTERPRISE = "0403170701"


def _timed(session: requests.Session, url: str, cookies: dict[str, str]) -> tuple[float, requests.Response]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    started = time.perf_counter()
    response = session.get(url, headers=headers, allow_redirects=False, timeout=30)
    return (time.perf_counter() - started) * 1000, response


def cold_first_pages(rt: Any) -> dict[str, float]:
    """Call on a runtime whose portal and API docs workers never ran."""
    session = requests.Session()
    portal_ms, response = _timed(session, rt.url + "/", {})
    assert response.status_code == 200, response.status_code
    reference_ms, response = _timed(session, rt.url + "/health", {})
    assert response.status_code == 200, response.status_code
    return {"portal_cold_ms": portal_ms, "health_cold_ms": reference_ms}


def _log_in(rt: Any, session: requests.Session) -> dict[str, str]:
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

    page = follow(session.get(rt.url + "/portal/login?next=/portal/applications", allow_redirects=False, timeout=30))
    form = {
        k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    }
    form.update(role="employer", enterprise_number=ENTERPRISE)
    follow(session.post(rt.url + "/_local/oidc/authorize", data=form, allow_redirects=False, timeout=30))
    assert "lwp_session" in cookies, "the bench could not log in to the portal"
    return cookies


def warm_pages(rt: Any) -> dict[str, dict[str, float]]:
    session = requests.Session()
    cookies = _log_in(rt, session)
    _, listing = _timed(session, rt.url + "/portal/applications", cookies)
    application = re.search(r'href="/portal/applications/([0-9a-f-]{36})"', listing.text)
    pages = {
        "home": ("/", {}),
        "register_search": ("/portal/register?search=1&postal_code=9000", {}),
        "verify": ((f"/portal/verify?check=1&enterprise_number={ENTERPRISE}&establishment_number=2123456791"
                    "&training_code=x"), {}),
        "my_applications": ("/portal/applications", cookies),
        "new_application_step": ("/portal/applications/new", cookies),
    }
    if application:
        pages["application_file"] = (f"/portal/applications/{application.group(1)}", cookies)
    figures: dict[str, dict[str, float]] = {}
    for name, (path, jar) in pages.items():
        _timed(session, rt.url + path, jar)  # the first call warms the API workers behind the page
        samples = []
        for _ in range(RUNS):
            ms, response = _timed(session, rt.url + path, jar)
            assert response.status_code in (200, 303, 422), (path, response.status_code)
            samples.append(ms)
        samples.sort()
        figures[name] = {"median_ms": statistics.median(samples),
                         "p95_ms": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]}
    return figures
