"""Browser tier: Debian's chromium driven by Playwright for Python, against the local runtime.

One shared set-up for every browser test (the portal's, the /docs page's): a session-scoped
headless Chromium started from /usr/bin/chromium (never `playwright install`, which downloads a
browser this network refuses), the pytest worker's session runtime (shared with the e2e tier), and
axe-core for accessibility.
`make browser` runs this tier alone; `make test` runs it with the rest.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SERIOUS = ("serious", "critical")


def _require_chromium() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.fail(f"{CHROMIUM} not found: install the Debian package 'chromium' (apt-get install chromium); "
                    "`make test` does so itself when run as root", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_runtime(runtime):
    """The worker's session runtime (tests/conftest.py), the one its e2e files use too."""
    return runtime


@pytest.fixture
def new_page(browser, browser_runtime):
    """Opens a page in a context of its own (its own cookies: another user), that reaches only the
    runtime and its S3 (moto): every other request is refused and listed in ``page.offsite``;
    ``page.console_errors`` holds what the page logged as errors. No page may need an external asset."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(base_url=browser_runtime.url, locale="nl-BE", accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.offsite = []  # type: ignore[attr-defined]
        page.console_errors = []  # type: ignore[attr-defined]
        allowed = (browser_runtime.url, browser_runtime.endpoint_url)

        def only_the_runtime(route: Any) -> None:
            url = route.request.url
            if any(url == origin or url.startswith(origin + "/") for origin in allowed) or url.startswith(
                ("data:", "blob:")
            ):
                route.continue_()
            else:
                page.offsite.append(url)  # type: ignore[attr-defined]
                route.abort()

        context.route("**/*", only_the_runtime)
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))  # type: ignore[attr-defined]
        contexts.append(context)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        assert page.offsite == [], f"the page reached outside the runtime: {page.offsite}"  # type: ignore[attr-defined]
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh page on the runtime's URL (see new_page)."""
    return new_page()


class AxeCheck:
    """axe-core on the current page; collects serious and critical violations per URL."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []
        self.problems: list[str] = []

    def __call__(self, page: Any) -> None:
        results = self.axe.run(page)
        self.checked.append(page.url)
        for violation in results.response.get("violations", []):
            if violation.get("impact") in SERIOUS:
                targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                self.problems.append(f"{page.url}: {violation['id']} ({violation['impact']}) {targets}")

    def assert_clean(self) -> None:
        assert self.checked, "axe checked no page"
        assert not self.problems, "axe found serious or critical violations:\n" + "\n".join(self.problems)


@pytest.fixture
def axe() -> AxeCheck:
    return AxeCheck()
