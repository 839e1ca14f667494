"""GET /health, GET /openapi.json and GET /docs (Swagger UI)."""

import functools
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response

from kernel.http import dumps, json_response, make_resolver, resolve

logger = Logger(service="apidocs")
app = make_resolver(logger)

_SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Leerwerkplek API</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script>
</body></html>"""


@app.get("/health")
def health() -> Response[Any]:
    return json_response(200, {"status": "ok"})


@functools.cache
def _document_text() -> str:
    from apidocs.openapi import merged_document

    return dumps(merged_document())


@app.get("/openapi.json")
def openapi_document() -> Response[Any]:
    return Response(status_code=200, content_type="application/json", body=_document_text())


@app.get("/docs")
def docs() -> Response[Any]:
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=_SWAGGER_PAGE)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
