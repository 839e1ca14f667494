"""The HTTP API's stage and CORS configuration, as API Gateway applies them before any function runs.

- Throttling: each route key has a token bucket of its RouteSettings (else DefaultRouteSettings):
  ``ThrottlingBurstLimit`` tokens, refilled at ``ThrottlingRateLimit`` per second of real time. A request
  finding the bucket empty is answered 429 without invoking the function (API Gateway answers
  ``{"message": "Too Many Requests"}``; locally it is a problem, as the gateway's other answers are).
  The account-level limit (10,000 requests per second) is not modelled.
- CORS (CorsConfiguration): a preflight (OPTIONS with Origin and Access-Control-Request-Method) that no
  route takes is answered here, 204 with the allowed origin, methods, headers and max age when the
  origin, method and headers are allowed, and 204 without them when not (the browser then refuses). A
  route that does take OPTIONS (ANY) gets it, as on AWS, where the JWT authorizer then answers 401: the
  template names its methods so that this never happens. Every other answer to an allowed origin gets
  Access-Control-Allow-Origin (and the exposed headers); CORS headers a function sets are dropped, as
  API Gateway ignores them once the API has a CORS configuration.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from typing import TYPE_CHECKING

from .template import HttpApiSettings, Throttle

if TYPE_CHECKING:
    from .gateway import Router


class TokenBucket:
    def __init__(self, throttle: Throttle, clock=time.monotonic) -> None:  # noqa: ANN001 - a callable
        self.rate, self.capacity = throttle.rate, float(throttle.burst)
        self.tokens = self.capacity
        self.clock = clock
        self.stamp = clock()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


class Stage:
    def __init__(self, settings: HttpApiSettings, clock=time.monotonic) -> None:  # noqa: ANN001 - a callable
        self.settings = settings
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    # -- throttling
    def admit(self, route_key: str) -> bool:
        """False when the route's bucket is empty: answer 429."""
        throttle = self.settings.throttle(route_key)
        if throttle is None:
            return True
        with self._lock:
            bucket = self._buckets.get(route_key)
            if bucket is None:
                bucket = self._buckets[route_key] = TokenBucket(throttle, self.clock)
        return bucket.take()

    # -- CORS
    def _allowed_origin(self, origin: str | None) -> str | None:
        cors = self.settings.cors
        if not cors or not origin:
            return None
        for allowed in cors.get("AllowOrigins") or []:
            if allowed == "*":
                return "*"
            if fnmatch.fnmatchcase(origin, allowed):
                return origin
        return None

    def preflight(self, method: str, raw_path: str, headers: dict[str, str], router: Router) -> dict[str, str] | None:
        """The headers of a 204 answering a preflight no route takes; None when this is not one."""
        cors = self.settings.cors
        if cors is None or method != "OPTIONS" or "origin" not in headers \
                or "access-control-request-method" not in headers or router.match("OPTIONS", raw_path):
            return None
        origin = self._allowed_origin(headers["origin"])
        wanted_method = headers["access-control-request-method"].upper()
        methods = [m.upper() for m in cors.get("AllowMethods") or []]
        wanted_headers = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")
                          if h.strip()}
        allowed_headers = {h.lower() for h in cors.get("AllowHeaders") or []}
        if origin is None or not ("*" in methods or wanted_method in methods) \
                or not ("*" in allowed_headers or wanted_headers <= allowed_headers):
            return {}
        answer = {"Access-Control-Allow-Origin": origin,
                  "Access-Control-Allow-Methods": ",".join(cors.get("AllowMethods") or []),
                  "Vary": "Origin"}
        if wanted_headers:
            answer["Access-Control-Allow-Headers"] = ",".join(sorted(wanted_headers))
        if cors.get("MaxAge") is not None:
            answer["Access-Control-Max-Age"] = str(cors["MaxAge"])
        if cors.get("AllowCredentials"):
            answer["Access-Control-Allow-Credentials"] = "true"
        return answer

    def with_cors(self, headers: dict | list, origin: str | None) -> dict | list:
        """The function's answer as API Gateway passes it on: its CORS headers replaced by the API's."""
        if self.settings.cors is None:
            return headers
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers)
        pairs = [(k, v) for k, v in pairs if not k.lower().startswith("access-control-")]
        allowed = self._allowed_origin(origin)
        if allowed is not None:
            pairs.append(("Access-Control-Allow-Origin", allowed))
            pairs.append(("Vary", "Origin"))
            exposed = self.settings.cors.get("ExposeHeaders") or []
            if exposed:
                pairs.append(("Access-Control-Expose-Headers", ",".join(exposed)))
            if self.settings.cors.get("AllowCredentials"):
                pairs.append(("Access-Control-Allow-Credentials", "true"))
        return pairs if isinstance(headers, list) else dict(pairs)
