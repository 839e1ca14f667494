"""Fault injection inside a function worker: only for fault runs (`make chaos`), only by env vars.

Loaded by _child.py from this file (the child has no localrt on its path) when one of these is set:

- ``LOCALRT_FAULT_RATE=0.1``: that fraction of the handler's AWS call *attempts* fails with a
  throttling error or a 503, answered in place of moto by a botocore ``before-send`` hook. botocore
  sees a real error response, so its own retry logic (kernel.aws: standard mode) runs as on AWS;
  only a call whose every attempt fails reaches the handler. ``LOCALRT_FAULT_SEED`` seeds the draws.
- ``LOCALRT_KILL_ONCE``: the worker process dies (``os._exit``) right after its first successful
  AWS write, i.e. in the middle of a record. The runtime passes it only to the named function and
  drops it once it saw that exit code, so it happens once per run.

The hooks go on every botocore session the process creates (kernel.aws's one; boto3's default
session too), before any handler code runs; every client built from a session copies them.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading

KILL_EXIT_CODE = 86
# Operations that change something: the kill happens after the first of these succeeded.
_WRITES = ("Put", "Update", "Delete", "TransactWrite", "BatchWrite", "Publish", "Send", "Create", "Copy")


class _Raw:
    """The minimal raw body botocore's AWSResponse reads (``stream()``)."""

    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_kw):
        yield self._body


def _throttle(protocol: str, service: str):
    """(status, headers, body) of the throttling error this protocol's parser understands."""
    message = "Rate exceeded (localrt fault injection)"
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": "ThrottlingException", "message": message}).encode()
        return 400, {"x-amzn-ErrorType": "ThrottlingException", "Content-Type": "application/x-amz-json-1.0"}, body
    if protocol == "rest-xml":  # S3 throttles with 503 SlowDown
        return 503, {}, f"<Error><Code>SlowDown</Code><Message>{message}</Message></Error>".encode()
    return 400, {"Content-Type": "text/xml"}, (
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
        f"<Message>{message}</Message></Error><RequestId>localrt-fault</RequestId></ErrorResponse>").encode()


class Faults:
    def __init__(self, rate: float, seed: str, kill: bool, label: str):
        self.rate, self.kill = rate, kill
        # Seeded per function so one function's draws do not depend on another's traffic.
        self.rng = random.Random(f"{seed}:{label}")
        self.injected = 0  # since the last take_count()
        self._call = threading.local()
        self._lock = threading.Lock()

    def install(self, events) -> None:
        events.register("before-call", self._remember_call)
        if self.rate > 0:
            events.register("before-send", self._maybe_fail)
        if self.kill:
            events.register("after-call", self._maybe_die)

    def take_count(self) -> int:
        with self._lock:
            n, self.injected = self.injected, 0
        return n

    def _remember_call(self, model, **_kw) -> None:
        self._call.protocol = model.metadata.get("protocol", "json")
        self._call.operation = model.name

    def _maybe_fail(self, request, event_name: str = "", **_kw):
        from botocore.awsrequest import AWSResponse

        with self._lock:
            if self.rng.random() >= self.rate:
                return None
            self.injected += 1
            server_error = self.rng.random() < 0.5
        service = event_name.split(".")[1] if event_name.count(".") >= 2 else "?"
        operation = getattr(self._call, "operation", "?")
        if server_error:
            status, headers, body = 503, {}, b""
        else:
            status, headers, body = _throttle(getattr(self._call, "protocol", "json"), service)
        print(f"[localrt-fault] {status} on {service}.{operation}", file=sys.stderr, flush=True)
        return AWSResponse(request.url, status, headers, _Raw(body))

    def _maybe_die(self, model, http_response=None, **_kw) -> None:
        status = getattr(http_response, "status_code", 200)
        if self.kill and 200 <= status < 300 and model.name.startswith(_WRITES):
            print(f"[localrt-fault] killing this worker after {model.name}", file=sys.stderr, flush=True)
            sys.stdout.flush()
            os._exit(KILL_EXIT_CODE)


def from_environ() -> Faults | None:
    """Faults installed on every botocore session, or None when no LOCALRT_ fault var is set."""
    rate = float(os.environ.get("LOCALRT_FAULT_RATE") or 0)
    kill = bool(os.environ.get("LOCALRT_KILL_ONCE"))
    if rate <= 0 and not kill:
        return None
    import botocore.session

    faults = Faults(rate, os.environ.get("LOCALRT_FAULT_SEED", "0"), kill,
                    os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local"))
    original = botocore.session.Session.__init__

    def __init__(session, *args, **kwargs):
        original(session, *args, **kwargs)
        faults.install(session.get_component("event_emitter"))

    botocore.session.Session.__init__ = __init__
    return faults
