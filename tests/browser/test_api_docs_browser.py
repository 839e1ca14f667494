"""/docs renders Swagger UI offline, in headless chromium, from the assets Powertools ships, and
shows every operation of the merged OpenAPI document."""

from __future__ import annotations

import requests


def test_docs_renders_every_operation_of_the_merged_document_without_the_network(browser_runtime, page):
    document = requests.get(browser_runtime.url + "/openapi.json", timeout=30).json()
    expected = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}

    response = page.goto("/docs")
    assert response.status == 200
    page.wait_for_selector(".opblock", timeout=20_000)
    shown = {(block.locator(".opblock-summary-method").inner_text().strip(),
              block.locator("[data-path]").get_attribute("data-path"))
             for block in page.locator(".opblock").all()}

    assert shown == expected
    assert page.locator(".info .title").inner_text().startswith(document["info"]["title"])
    assert page.offsite == [], "the page needs the network"
    assert page.console_errors == []
