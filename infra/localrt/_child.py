"""Entry point of one function worker process (a local Lambda execution environment).

Run as ``python -P _child.py <read_fd> <write_fd>`` with exactly the function's environment,
so nothing of the runtime (not even this folder: ``-P``) is on the import path: only the
function's code dir via PYTHONPATH, as Lambda does with CodeUri. It speaks a tiny framed-JSON
protocol on two dedicated pipe fds, because the handler owns stdout/stderr for its logs.

Request:  {"request_id", "event", "offset", "deadline"}   (deadline: epoch seconds, real time)
Response: {"ok": true, "result": ...} | {"ok": false, "errorType", "errorMessage", "stackTrace"}
          plus "faults": AWS call attempts failed on purpose during it (fault runs, see _faults.py)
"""

import decimal
import importlib
import importlib.util
import json
import os
import struct
import sys
import time
import traceback
from typing import Any

_HEADER = struct.Struct(">I")


def read_frame(fh):
    header = _read_exact(fh, _HEADER.size)
    if header is None:
        return None
    body = _read_exact(fh, _HEADER.unpack(header)[0])
    return None if body is None else json.loads(body)


def _read_exact(fh, n):
    chunks, remaining = [], n
    while remaining:
        chunk = fh.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def write_frame(fh, payload: bytes) -> None:
    fh.write(_HEADER.pack(len(payload)) + payload)
    fh.flush()


def _json_default(value):
    # The Lambda Python runtime serialises Decimal too (DynamoDB numbers come back as Decimal).
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class LambdaContext:
    def __init__(self, request_id: str, deadline: float):
        name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local")
        region = os.environ.get("AWS_REGION", "eu-west-1")
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{name}"
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = f"local/{os.getpid()}"
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _error(kind: str, exc: BaseException) -> dict:
    tb = exc.__traceback__
    if tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next  # start at the handler's frame, as Lambda's own traceback does
    stack = traceback.format_exception(type(exc), exc, tb)
    return {"ok": False, "errorType": kind, "errorMessage": str(exc), "stackTrace": stack}


def _load_faults():
    """The fault hooks, from the file next to this one (localrt itself is not importable here)."""
    if not (os.environ.get("LOCALRT_FAULT_RATE") or os.environ.get("LOCALRT_KILL_ONCE")):
        return None
    spec = importlib.util.spec_from_file_location(
        "_localrt_faults", os.path.join(os.path.dirname(__file__), "_faults.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.from_environ()


_cold = True


def _with_faults(payload: dict, faults) -> bytes:
    global _cold
    if faults is not None:
        payload["faults"] = faults.take_count()
    if _cold:  # the cold start's CPU time (interpreter, INIT, first invocation): what machine load disturbs least
        payload["cpu_ms"] = round(time.process_time() * 1000, 1)
        _cold = False
    return json.dumps(payload, default=_json_default).encode()


def _counted(handler):
    """`make bench` (LOCALRT_CALL_COUNTS=<dir>): count AWS calls, time and memory per worker."""
    directory = os.environ.get("LOCALRT_CALL_COUNTS")
    if not directory:
        return handler
    # By path: `-P` and the function's PYTHONPATH keep this folder off the import path.
    spec = importlib.util.spec_from_file_location(
        "localrt_call_counter", os.path.join(os.path.dirname(__file__), "call_counter.py")
    )
    assert spec is not None and spec.loader is not None
    counter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counter)
    return counter.wrap(handler, directory)


def _profiler():
    """LOCALRT_PROFILE=<dir>: profile the cold start (imports and the first invocation) into
    <dir>/<function>.prof, to find what a cold start spends its time on (bench/profile_cold.py)."""
    directory = os.environ.get("LOCALRT_PROFILE")
    if not directory:
        return None, None
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local").replace("/", "_")
    return profile, os.path.join(directory, f"{name}.prof")


def _shut_down() -> None:
    """Ends the process as Lambda ends an execution environment: it is stopped, not finalised, so no
    atexit handler or module teardown runs (which also took a worker ~0.17 s of CPU to exit). What the
    handler wrote is flushed first: its logs are the runtime's to copy."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def main() -> None:
    profile, profile_path = _profiler()
    rfd, wfd = int(sys.argv[1]), int(sys.argv[2])
    requests, responses = os.fdopen(rfd, "rb", buffering=0), os.fdopen(wfd, "wb", buffering=0)
    module_name, _, func_name = os.environ["_HANDLER"].rpartition(".")
    handler = None
    clock: Any = None
    faults = _load_faults()
    try:
        import kernel.clock as clock  # the services' shared clock; the runtime shifts it
    except ImportError:
        print("[localrt] kernel.clock not importable: handlers will see real time", file=sys.stderr)

    while True:
        msg = read_frame(requests)
        if msg is None:  # the runtime closed the pipe: the execution environment goes away
            _shut_down()
        if clock is not None:
            clock.set_offset(msg.get("offset", 0))
        if handler is None:  # imported lazily, on the first invocation, like a cold start
            try:
                handler = _counted(getattr(importlib.import_module(module_name), func_name))
            except Exception as exc:  # noqa: BLE001 - reported as Lambda does
                kind = "Runtime.HandlerNotFound" if isinstance(exc, AttributeError) else "Runtime.ImportModuleError"
                out = _error(kind, exc)
                print(f"[ERROR] {kind}: {exc}", file=sys.stderr, flush=True)
                write_frame(responses, _with_faults(out, faults))
                continue
        try:
            result = handler(msg["event"], LambdaContext(msg["request_id"], msg["deadline"]))
            try:
                payload = _with_faults({"ok": True, "result": result}, faults)
            except (TypeError, ValueError) as exc:
                payload = _with_faults(_error("Runtime.MarshalError", exc), faults)
        except Exception as exc:  # noqa: BLE001 - an invocation error, as on Lambda
            out = _error(type(exc).__name__, exc)
            print(f"[ERROR] {type(exc).__name__}: {exc}\n{''.join(out['stackTrace'])}", file=sys.stderr, flush=True)
            payload = _with_faults(out, faults)
        sys.stdout.flush()
        sys.stderr.flush()
        if profile is not None:  # the first invocation is over: that was the cold start
            profile.disable()
            profile.dump_stats(profile_path)
            profile = None
        write_frame(responses, payload)


if __name__ == "__main__":
    main()
