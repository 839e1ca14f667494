"""`make bench`'s view from inside a function worker: AWS calls, handler time and peak memory.

Loaded by _child.py only when LOCALRT_CALL_COUNTS names a directory. After every invocation the
worker rewrites <dir>/<function>-<pid>.json with what it has done so far, so the bench reads
totals without talking to the worker.

The botocore hooks are registered when the handler first imports botocore (never earlier): importing
it here would add its ~20 MB to a function that does not use it and distort the memory figure. They
go on every botocore session the process creates (kernel.aws's one, boto3's default session if a
handler uses boto3), beside any other hooks on it (fault injection).
"""

import collections
import importlib.abc
import importlib.util
import json
import os
import re
import resource
import sys
import time
from typing import Any

_calls: collections.Counter = collections.Counter()
# The same calls by what the invocation handled: "SQS <EventName>" per event, "<METHOD> <route>" per request.
_by_event: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
_handling = {"label": "other"}
_state: dict[str, Any] = {"started": time.time(), "invocations": 0, "records": 0, "duration_ms": 0.0, "first": None}


_params: dict[str, Any] = {}  # the API parameters of the call being made, by operation


def _remember(event_name, params=None, **_):
    # "before-parameter-build.<service>.<Operation>" carries the API parameters (the items of a
    # transaction); it also fires for a presigned URL, which is no call, so counting waits for
    # "before-call", which only a request sent to AWS emits (once per call: retries are not calls).
    _params[event_name.split(".", 1)[1]] = params or {}


def _count(event_name, **_):
    operation = event_name.split(".", 1)[1]
    _calls[operation] += 1
    _by_event[_handling["label"]][operation] += 1
    params = _params.pop(operation, {})
    if "TransactItems" in params:
        _calls[operation + "#items"] += len(params["TransactItems"])
    elif isinstance(params.get("RequestItems"), dict):
        _calls[operation + "#items"] += sum(
            len(v if isinstance(v, list) else v.get("Keys", [])) for v in params["RequestItems"].values())


def _register_on_every_session(session_module) -> None:
    """Every botocore session created from now on counts its clients' calls."""
    cls = session_module.Session
    original = cls.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.register("before-parameter-build", _remember)
        self.register("before-call", _count)

    cls.__init__ = __init__


class _WhenBotocoreIsImported(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "botocore.session":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_register(module):
            exec_module(module)
            _register_on_every_session(module)

        spec.loader.exec_module = exec_then_register  # type: ignore[method-assign]
        return spec


def peak_rss_kb() -> int:
    """The whole process's peak resident set, in KB: what Lambda reports as Max Memory Used.

    VmHWM, not getrusage's ru_maxrss: on Linux ru_maxrss survives exec, so a worker spawned by
    a 100 MB runtime process would report at least the runtime's peak at the fork.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS


def _write(directory: str) -> None:
    report = {
        "function": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local"),
        "pid": os.getpid(),
        **_state,
        "max_rss_kb": peak_rss_kb(),
        "calls": dict(_calls),
        "by_event": {label: dict(calls) for label, calls in _by_event.items()},
    }
    path = os.path.join(directory, f"{report['function']}-{report['pid']}.json")
    try:
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(report, fh)
        os.replace(path + ".tmp", path)  # the bench never reads half a file
    except OSError:
        pass  # the bench is gone (its directory with it): counting must never fail the handler


_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=/)[0-9]{6,}(?=/|$)")


def _ses_report(body: dict) -> str | None:
    """SES's report on a mail (an SNS envelope around it on the mail-event queue): "SES Delivery"..."""
    inner = body.get("Message")
    if isinstance(inner, str):
        try:
            body = json.loads(inner)
        except ValueError:
            return None
    kind = body.get("eventType") if isinstance(body, dict) else None
    return f"SES {kind}" if isinstance(kind, str) else None


def _label(event: Any) -> str:
    """What an invocation handles: the event names of an SQS batch, or the HTTP route."""
    if not isinstance(event, dict):
        return "other"
    records = event.get("Records")
    if isinstance(records, list) and records:
        names = []
        for record in records:
            try:
                body = json.loads(record.get("body") or "{}")
                names.append(str(body.get("event_name") or _ses_report(body) or "?"))
            except (ValueError, AttributeError):
                names.append("?")
        return "SQS " + "+".join(sorted(set(names)))
    method = event.get("httpMethod") or (event.get("requestContext") or {}).get("http", {}).get("method")
    path = event.get("rawPath") or event.get("path")
    if not method or not path:
        return "other"
    # Identifiers out of the path, so that every application's decision counts as one route.
    return f"{method} {_ID.sub('{id}', path)}"


def wrap(handler, directory: str):
    """The handler, counting its AWS calls and timing each invocation into ``directory``."""
    if "botocore.session" in sys.modules:
        _register_on_every_session(sys.modules["botocore.session"])
    else:
        sys.meta_path.insert(0, _WhenBotocoreIsImported())

    def counted(event, context):
        _handling["label"] = _label(event)
        started = time.perf_counter()
        try:
            return handler(event, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            _state["invocations"] += 1
            _state["records"] += len(event.get("Records") or []) if isinstance(event, dict) else 0
            _state["duration_ms"] += elapsed
            if _state["first"] is None:
                _state["first"] = {"duration_ms": elapsed,
                                   "max_rss_kb": peak_rss_kb()}
            _write(directory)

    return counted
