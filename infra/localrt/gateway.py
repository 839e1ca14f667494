"""The HTTP API, locally: routes from the template, the JWT authorizer, payload format 2.0.

Routes are matched as API Gateway HTTP APIs match them: the most specific route wins (literal
segments over ``{param}`` over a greedy ``{proxy+}``; a concrete method over ANY). Unless a route
is public (``Auth: {Authorizer: NONE}``), the bearer token is checked like the JWT authorizer
does (signature, iss, aud, exp/nbf/iat against real time: advancing the runtime clock moves
business time, not token lifetimes). Requests on ``/_local/*`` go to the local routes (local_routes.py),
which the template never has.

The gateway knows nothing of the runtime: it gets a bound socket and narrow collaborators
(``invoke``, ``verify``, ``now``, ``on_activity``, ``local``).
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import tokens
from .local_routes import LOCAL_PREFIX
from .responses import Response, problem
from .stage import Stage
from .template import ACCOUNT_ID, Function, HttpRoute
from .workers import Invocation

log = logging.getLogger("localrt")

# The limits of AWS that a request meets before any code of ours runs. API Gateway (HTTP API)
# takes 10 MB and at most 10,240 bytes of request line and header values together; a synchronous
# Lambda invocation takes a 6 MB event (the body base64-encoded when binary) and returns at most
# 6 MB. Locally each is answered as a problem, so tests see them where AWS would stop the request.
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_REQUEST_LINE_AND_HEADERS = 10240
LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024
API_ID = "localrt"
_TEXT_TYPES = re.compile(r"^(text/|application/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml)$)")


# --------------------------------------------------------------------------- routing


@dataclass(frozen=True)
class Route:
    route: HttpRoute
    function: Function
    segments: tuple[str, ...]

    @property
    def greedy(self) -> bool:
        return bool(self.segments) and self.segments[-1].endswith("+}")

    def match(self, method: str, parts: list[str]) -> dict[str, str] | None:
        if self.route.method not in ("ANY", method):
            return None
        params: dict[str, str] = {}
        for i, seg in enumerate(self.segments):
            if seg.startswith("{") and seg.endswith("+}"):
                rest = parts[i:]
                if not rest or not rest[0]:
                    return None  # a greedy variable needs at least one segment
                params[seg[1:-2]] = unquote("/".join(rest))
                return params
            if i >= len(parts):
                return None
            if seg.startswith("{") and seg.endswith("}"):
                if not parts[i]:
                    return None
                params[seg[1:-1]] = unquote(parts[i])
            elif seg != parts[i]:
                return None
        return params if len(parts) == len(self.segments) else None

    def specificity(self) -> tuple:
        literals = sum(1 for s in self.segments if not s.startswith("{"))
        return (not self.greedy, literals, len(self.segments), self.route.method != "ANY")


class Router:
    def __init__(self, functions: list[Function]):
        self.routes = [Route(r, fn, tuple(_split(r.path))) for fn in functions for r in fn.http_routes]
        keys = [r.route.route_key for r in self.routes]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"routes declared twice in the template: {sorted(dupes)}")

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        parts = _split(path)
        found = [(r, p) for r in self.routes if (p := r.match(method, parts)) is not None]
        if not found:
            return None
        return max(found, key=lambda pair: pair[0].specificity())


def _split(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


# --------------------------------------------------------------------------- the 2.0 event


def _is_text(content_type: str | None) -> bool:
    return not content_type or bool(_TEXT_TYPES.match(content_type.split(";")[0].strip().lower()))


def build_event(*, method: str, raw_path: str, raw_query: str, header_pairs: list[tuple[str, str]],
                body: bytes, route: Route, path_params: dict[str, str], claims: dict | None,
                source_ip: str, now: datetime) -> dict:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in header_pairs:
        name = name.lower()
        if name == "cookie":  # payload 2.0 moves cookies out of the headers
            cookies += [c.strip() for c in value.split(";") if c.strip()]
            continue
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    # What API Gateway adds in front of every integration.
    headers.setdefault("x-forwarded-for", source_ip)
    headers.setdefault("x-forwarded-proto", "http")
    headers.setdefault("x-forwarded-port", headers.get("host", "").rpartition(":")[2] or "80")
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    route_key = route.route.route_key
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": headers.get("host", "127.0.0.1").split(":")[0],
        "domainPrefix": headers.get("host", "127.0.0.1").split(":")[0].split(".")[0],
        "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": source_ip,
                 "userAgent": headers.get("user-agent", "")},
        "requestId": base64.b64encode(secrets.token_bytes(10)).decode(),
        "routeKey": route_key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now.timestamp() * 1000),
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {
            "claims": tokens.claims_as_api_gateway_passes_them(claims), "scopes": tokens.scopes(claims)}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_params:
        event["pathParameters"] = path_params
    if body:
        if _is_text(headers.get("content-type")):
            try:
                event["body"] = body.decode("utf-8")
            except UnicodeDecodeError:
                event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        else:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


# --------------------------------------------------------------------------- HTTP

Invoke = Callable[[str, dict], Invocation]  # (function logical id, event) -> outcome
LocalHandler = Callable[[str, str, str, bytes, dict[str, str]], Response]  # (method, path, query, body, headers)


def bind(port: int) -> ThreadingHTTPServer:
    """The gateway's socket, bound before anything else starts, so that a port in use fails first."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    server.daemon_threads = True
    return server


class Gateway:
    def __init__(self, server: ThreadingHTTPServer, functions: list[Function], *, invoke: Invoke,
                 verify: Callable[[str], dict], now: Callable[[], datetime], on_activity: Callable[[], None],
                 local: LocalHandler, stage: Stage) -> None:
        """``verify(token)`` returns the claims or raises tokens.InvalidToken; ``now()`` is the time put in
        the event; ``on_activity()`` is called as each API request starts and ends; ``stage`` throttles and
        answers CORS as the HTTP API's stage does (stage.py)."""
        self.router = Router(functions)
        self.stage = stage
        self._invoke, self._verify, self._now, self._on_activity, self._local = invoke, verify, now, on_activity, local
        self.in_flight = 0
        self._lock = threading.Lock()
        gateway = self

        class Handler(_Handler):
            gw = gateway

        self.server = server
        server.RequestHandlerClass = Handler
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                        daemon=True, name="gateway")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
        self._on_activity()

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1
        self._on_activity()

    def local(self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Response:
        return self._local(method, path, query, body, headers)

    # -- API routes
    def api(self, method: str, raw_path: str, raw_query: str, header_pairs: list[tuple[str, str]],
            body: bytes, source_ip: str) -> tuple[int, dict | list, bytes, str | None]:
        """The stage first (a CORS preflight, the route's throttle), then the route (_route)."""
        headers = {k.lower(): v for k, v in header_pairs}
        preflight = self.stage.preflight(method, raw_path, headers, self.router)
        if preflight is not None:
            return 204, preflight, b"", None
        matched = self.router.match(method, raw_path)
        if matched is not None and not self.stage.admit(matched[0].route.route_key):
            return (*problem(429, "Too Many Requests", f"{matched[0].route.route_key} is throttled (the stage's "
                             "route settings)"), matched[0].function.logical_id)
        status, answer, data, fn_name = self._route(method, raw_path, raw_query, header_pairs, body, source_ip)
        return status, self.stage.with_cors(answer, headers.get("origin")), data, fn_name

    def _route(self, method: str, raw_path: str, raw_query: str, header_pairs: list[tuple[str, str]],
               body: bytes, source_ip: str) -> tuple[int, dict | list, bytes, str | None]:
        matched = self.router.match(method, raw_path)
        if matched is None:
            return (*problem(404, "Not Found", f"no route for {method} {raw_path}"), None)
        route, params = matched
        fn = route.function
        claims = None
        if not route.route.public:
            auth = next((v for k, v in header_pairs if k.lower() == "authorization"), "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return (*problem(401, "Unauthorized", "a bearer token is required"), fn.logical_id)
            try:
                claims = self._verify(token.strip())
            except tokens.InvalidToken as exc:
                return (*problem(401, "Unauthorized", str(exc)), fn.logical_id)
        event = build_event(method=method, raw_path=raw_path, raw_query=raw_query, header_pairs=header_pairs,
                            body=body, route=route, path_params=params, claims=claims, source_ip=source_ip,
                            now=self._now())
        if len(body) > LAMBDA_PAYLOAD_BYTES // 2 and len(json.dumps(event)) > LAMBDA_PAYLOAD_BYTES:
            return (*problem(413, "Content Too Large", "the request exceeds Lambda's 6 MB invocation payload"),
                    fn.logical_id)
        outcome = self._invoke(fn.logical_id, event)
        if outcome.ok and _payload_size(outcome.result) > LAMBDA_PAYLOAD_BYTES:
            log.error("%s returned more than Lambda's 6 MB response payload", fn.logical_id)
            too_large = problem(502, "Bad Gateway", "the function's response exceeds Lambda's 6 MB payload")
            return (*too_large, fn.logical_id)
        if not outcome.ok:
            log.error("%s failed: %s: %s", fn.logical_id, outcome.error_type, outcome.error_message)
            return (*problem(500, "Internal Server Error"), fn.logical_id)
        try:
            return (*_http_response(outcome.result), fn.logical_id)
        except (TypeError, ValueError, AttributeError) as exc:
            log.error("%s returned a malformed response: %s", fn.logical_id, exc)
            return (*problem(500, "Internal Server Error"), fn.logical_id)


def _payload_size(result: Any) -> int:
    """Roughly what Lambda counts of a response: cheap unless the body itself is large."""
    body = result.get("body") if isinstance(result, dict) else result
    if isinstance(body, str) and len(body) < LAMBDA_PAYLOAD_BYTES // 4:
        return len(body)
    try:
        return len(json.dumps(result))
    except (TypeError, ValueError):
        return 0


def _http_response(result: Any) -> tuple[int, dict | list, bytes]:
    """Payload format 2.0 response: a dict with statusCode, or anything else as a 200 JSON body."""
    if not (isinstance(result, dict) and "statusCode" in result):
        text = result if isinstance(result, str) else json.dumps(result)
        return 200, {"Content-Type": "application/json"}, text.encode()
    status = int(result["statusCode"])
    headers: list[tuple[str, str]] = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, str(v)) for v in values]
    headers += [("Set-Cookie", str(c)) for c in result.get("cookies") or []]
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        data = base64.b64decode(body)
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
    return status, headers, data


class _Handler(BaseHTTPRequestHandler):
    gw: Gateway
    protocol_version = "HTTP/1.1"
    server_version = "localrt"
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits for the
    # client's delayed ACK (~40 ms on Linux) on every keep-alive request. API Gateway has no such delay.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - one line per request is logged below instead
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (request line over 64 KB, more than 100 headers, a request
        that is not HTTP) as problem+json, never its HTML page."""
        short, long = self.responses.get(code, ("Error", ""))
        _, _, data = problem(code, message or short, explain or long)
        self.close_connection = True
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Connection", "close")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except OSError:
            pass

    def _over_api_gateway_limits(self) -> tuple[int, dict, bytes] | None:
        line = len(self.requestline.encode("latin-1", "replace"))
        if line > MAX_REQUEST_LINE_AND_HEADERS:
            return problem(414, "URI Too Long", "the request line exceeds API Gateway's 10,240 bytes")
        values = sum(len(v.encode("latin-1", "replace")) for v in self.headers.values())
        if line + values > MAX_REQUEST_LINE_AND_HEADERS:
            return problem(
                431,
                "Request Header Fields Too Large",
                "the request line and header values exceed API Gateway's 10,240 bytes",
            )
        return None

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        started = time.monotonic()
        split = urlsplit(self.path)
        raw_path, raw_query = split.path or "/", split.query
        method = self.command.upper()
        fn_name = None
        headers: dict | list
        is_local = raw_path.startswith(LOCAL_PREFIX)
        if not is_local:
            self.gw._enter()
        try:
            over = None if is_local else self._over_api_gateway_limits()
            body = None if over else self._read_body()
            if over:
                self.close_connection = True  # the body was not read
                status, headers, data = over
            elif body is None:
                self.close_connection = True  # the body was not read
                status, headers, data = problem(413, "Content Too Large", "the request body exceeds 10 MB")
            elif is_local:
                status, headers, data = self.gw.local(
                    method, raw_path, raw_query, body, {k.lower(): v for k, v in self.headers.items()}
                )
            else:
                status, headers, data, fn_name = self.gw.api(
                    method, raw_path, raw_query, list(self.headers.items()), body, self.client_address[0]
                )
        except Exception:  # noqa: BLE001 - never a stack trace to the client
            log.exception("gateway error on %s %s", method, raw_path)
            status, headers, data = problem(500, "Internal Server Error")
        finally:
            if not is_local:
                self.gw._leave()
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers)
        self.send_response(status)
        for name, value in pairs:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)
        correlation = next((v for k, v in pairs if k.lower() == "x-correlation-id"), None)
        log.info(
            "%s %s -> %d%s %.0f ms%s",
            method,
            self.path,
            status,
            f" {fn_name}" if fn_name else "",
            (time.monotonic() - started) * 1000,
            f" corr={correlation}" if correlation else "",
        )

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle
