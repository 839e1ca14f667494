"""An API Gateway HTTP API event (payload format 2.0), as a handler receives it after the JWT authorizer.

Names of headers are lower-cased and the query string is decoded into ``queryStringParameters`` (repeated
keys joined with commas), as API Gateway does; the claims are passed as given (the local runtime's gateway,
infra/localrt/gateway.py, passes them as strings, the way API Gateway prints them).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def http_event(method: str, path: str, *, body: Any = None, raw: str | bytes | None = None,
               form: Mapping[str, str] | None = None, claims: dict[str, Any] | None = None,
               headers: Mapping[str, str | None] | None = None, query: str | Mapping[str, str] | None = None,
               cookies: Mapping[str, str] | None = None, route_key: str | None = None,
               content_type: str | None = JSON, request_id: str = "req-1", source_ip: str = "127.0.0.1") -> dict:
    """The event of ``method path``. The body is ``body`` as JSON, or ``raw`` as is (bytes base64-encoded, as
    API Gateway sends a binary body), or ``form`` url-encoded (with its content type). A header given as None
    is left out, ``content_type=None`` sends none. ``route_key`` defaults to the request's own ``method path``."""
    text, is_base64 = _body(body, raw, form)
    all_headers: dict[str, str | None] = {"content-type": FORM if form is not None else content_type}
    all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    sent = {k: v for k, v in all_headers.items() if v is not None}
    raw_query = query if isinstance(query, str) else urlencode(dict(query or {}))
    route = route_key or f"{method} {path}"
    request_context: dict[str, Any] = {
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": source_ip,
                 "userAgent": sent.get("user-agent", "testkit")},
        "requestId": request_id, "routeKey": route, "stage": "$default",
    }
    if "host" in sent:
        request_context["domainName"] = sent["host"].split(":")[0]
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": raw_query,
        "headers": sent, "requestContext": request_context, "body": text, "isBase64Encoded": is_base64,
    }
    parameters = query_parameters(raw_query)
    if parameters:
        event["queryStringParameters"] = parameters
    if cookies:
        event["cookies"] = [f"{k}={v}" for k, v in cookies.items()]
    return event


def query_parameters(raw_query: str) -> dict[str, str]:
    """``queryStringParameters`` as API Gateway makes them: decoded, repeated keys joined with commas."""
    parameters: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        parameters[key] = f"{parameters[key]},{value}" if key in parameters else value
    return parameters


def _body(body: Any, raw: str | bytes | None, form: Mapping[str, str] | None) -> tuple[str | None, bool]:
    if isinstance(raw, bytes):
        return base64.b64encode(raw).decode(), True
    if raw is not None:
        return raw, False
    if form is not None:
        return urlencode(dict(form)), False
    return (json.dumps(body) if body is not None else None), False
