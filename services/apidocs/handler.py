"""GET /health, GET /openapi.json and GET /docs (Swagger UI).

Swagger UI's files are the ones aws-lambda-powertools ships (event_handler/openapi/swagger_ui),
served by this function under /docs/<asset>: the page loads nothing from elsewhere, so it works
offline and behind a strict Content-Security-Policy. Links are relative, so the page also works
under an API mapping with a base path.
"""

import functools
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.http import Response, json_response, make_resolver, resolve
from kernel.problems import problem

logger = Logger(service="apidocs")
app = make_resolver(logger)

_SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Leerwerkplek API</title>
<link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/swagger-init.js"></script>
</body></html>"""

_SWAGGER_INIT = """window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#ui", deepLinking: true});\n"""

# Nothing but this origin; Swagger UI sets inline styles and uses data: images.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

# asset name -> (file in Powertools' swagger_ui folder, or None for _SWAGGER_INIT; content type)
_ASSETS = {
    "swagger-ui.css": ("swagger-ui.min.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": ("swagger-ui-bundle.min.js", "text/javascript; charset=utf-8"),
    "swagger-init.js": (None, "text/javascript; charset=utf-8"),
}


@functools.cache
def _asset_text(name: str) -> str:
    filename = _ASSETS[name][0]
    if filename is None:
        return _SWAGGER_INIT
    import aws_lambda_powertools.event_handler.openapi.swagger_ui as swagger_ui

    return (Path(swagger_ui.__file__).parent / filename).read_text(encoding="utf-8")


_HEALTH: dict[int, Any] = {200: {"description": "The API answers", "content": {"application/json": {"schema": {
    "type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}}
_OPENAPI: dict[int, Any] = {200: {"description": "This document (OpenAPI 3.1)",
                  "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}}
_DOCS: dict[int, Any] = {200: {"description": "The Swagger UI page",
                               "content": {"text/html": {"schema": {"type": "string"}}}}}


@app.get("/health", summary="Health check", description="Public; no AWS call.", responses=_HEALTH)
def health() -> Response[Any]:
    return json_response(200, {"status": "ok"})


# The document as built from the routes by `make openapi` (apidocs.openapi.PUBLISHED): building it
# here would import every API module and generate every schema on a cold start.
_DOCUMENT = Path(__file__).with_name("openapi.json")


@functools.cache
def _document_text() -> str:
    return _DOCUMENT.read_text(encoding="utf-8")


@app.get("/openapi.json", summary="The OpenAPI document of the whole API", responses=_OPENAPI)
def openapi_document() -> Response[Any]:
    return Response(status_code=200, content_type="application/json", body=_document_text())


@app.get("/docs", summary="The API documentation (Swagger UI)", responses=_DOCS)
def docs() -> Response[Any]:
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=_SWAGGER_PAGE,
                    headers={"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff"})


@app.get("/docs/<asset>", include_in_schema=False)
def docs_asset(asset: str) -> Response[Any]:
    if asset not in _ASSETS:
        return problem(404, "Not Found", "No such resource.", "not-found")
    # The files change only with a Powertools upgrade, i.e. a deployment.
    return Response(status_code=200, content_type=_ASSETS[asset][1], body=_asset_text(asset),
                    headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
