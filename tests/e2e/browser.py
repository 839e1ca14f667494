"""Headless Debian chromium, driven by Playwright for Python: the browser of every browser test.

Never `playwright install` (it downloads a browser build): `make test` installs Debian's
`chromium` package (apt-get, as root) and Playwright drives that binary. The flags keep the
browser from calling home, so a page that needs the network shows it.

Fixtures (tests/e2e/conftest.py): ``browser`` (one per pytest worker) and ``page`` (a fresh
context per test, on the runtime's URL, that refuses and records every request leaving the
runtime's origin and records console errors: ``page.offsite`` and ``page.console_errors``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def launch(playwright: Any) -> Any:
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's chromium package at {CHROMIUM}: "
                    "`make test` installs it as root, otherwise `sudo apt-get install chromium`")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)


def open_page(browser: Any, base_url: str) -> Any:
    """A page in a fresh context that only reaches ``base_url``'s origin."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.offsite = []  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]

    def only_the_runtime(route: Any) -> None:
        url = route.request.url
        if url.startswith(base_url + "/") or url == base_url or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page.offsite.append(url)  # type: ignore[attr-defined]
            route.abort()

    context.route("**/*", only_the_runtime)
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))  # type: ignore[attr-defined]
    return page
