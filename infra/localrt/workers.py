"""Function workers: each function runs in its own Python process, like a Lambda sandbox.

A worker is spawned (fresh interpreter, the function's environment only) on its first
invocation and then kept warm. Invocations go over dedicated pipes (see _child.py); the
worker's stdout/stderr (the handler's logs) are copied line by line, prefixed with the
function name, to the runtime's stdout or to a log file. A handler exception is an invocation
error; a worker that dies is restarted on the next invocation and its invocation fails; a worker
that overruns the function's Timeout is killed, as Lambda does.

Fault runs (LOCALRT_FAULT_RATE, LOCALRT_KILL_ONCE: see _faults.py) are counted in WorkerStats.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ._faults import KILL_EXIT_CODE
from .provision import FAKE_CREDENTIALS
from .template import REGION, Function

log = logging.getLogger("localrt")

CHILD = Path(__file__).with_name("_child.py")
# What a Python interpreter needs from the parent environment to start at all.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT", "USER")


@dataclass
class Invocation:
    ok: bool
    result: Any = None
    error_type: str | None = None
    error_message: str | None = None
    duration_ms: float = 0.0  # from the request to the reply; for a cold start, from spawning the worker
    cold: bool = False  # this invocation started its worker: INIT (interpreter, imports) plus the first request
    cpu_ms: float | None = None  # a cold invocation: the worker's CPU time (user + system) from its start to the reply


@dataclass
class WorkerStats:
    """What went wrong on purpose or not, per function logical id (shared by every worker)."""

    faults_injected: Counter = field(default_factory=Counter)  # AWS call attempts failed by the hook
    restarts: Counter = field(default_factory=Counter)  # a worker started again after its process died
    kills: Counter = field(default_factory=Counter)  # deaths caused by LOCALRT_KILL_ONCE
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, counter: str, logical_id: str, n: int = 1) -> None:
        if n:
            with self._lock:
                getattr(self, counter)[logical_id] += n


def function_environment(fn: Function, endpoint_url: str, credentials: dict[str, str] | None = None) -> dict[str, str]:
    """Exactly what the function sees: its template variables plus the Lambda-provided ones,
    among them the credentials of its execution role's session (iam.py)."""
    env = {k: os.environ[k] for k in _INHERITED if k in os.environ}
    env.update(fn.env)
    env.update(credentials or FAKE_CREDENTIALS)
    env.update({
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_LAMBDA_FUNCTION_NAME": fn.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "LAMBDA_TASK_ROOT": str(fn.code_dir),
        "_HANDLER": fn.handler,
        "TZ": "UTC",  # Lambda runs in UTC
        "PYTHONPATH": str(fn.code_dir),
        "PYTHONUNBUFFERED": "1",  # logs appear as they are written
        # /var/task is read-only on Lambda: a worker runs on the artefact's bytecode and writes none,
        # whether or not the process that started the runtime writes its own (make test does).
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    # There is no X-Ray daemon locally; a Tracer that thinks it is on Lambda would complain.
    env.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    # Hook for fault-injection runs: LOCALRT_* passes through to every function, except the
    # kill switch, which only the function it names gets.
    env.update({k: v for k, v in os.environ.items() if k.startswith("LOCALRT_")
                and not (k == "LOCALRT_KILL_ONCE" and v != fn.logical_id)})
    return env


def _exit_status(code: int | None) -> str:
    """How a worker ended, as an operator reads it: the signal's name (SIGKILL from a killer, SIGSEGV...)
    or the exit code. Lambda says "signal: killed" or "exit status N" in Runtime.ExitError."""
    if code is None:
        return "still running; killed"
    if code < 0:
        try:
            return f"signal: {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class Worker:
    def __init__(self, fn: Function, env: dict[str, str], sink: Callable[[], TextIO], index: int,
                 stats: WorkerStats | None = None):
        self.fn, self.env, self.sink, self.index = fn, env, sink, index
        self.stats = stats or WorkerStats()
        self.proc: subprocess.Popen | None = None
        self._to_child = self._from_child = -1
        self._stopping = False  # stop() is closing this worker: an invocation in flight fails as stopped

    @property
    def label(self) -> str:
        return self.fn.logical_id if self.index == 0 else f"{self.fn.logical_id}#{self.index}"

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-P", str(CHILD), str(req_r), str(resp_w)],
            env=self.env, cwd=str(self.fn.code_dir), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, pass_fds=(req_r, resp_w))
        os.close(req_r)
        os.close(resp_w)
        self._to_child, self._from_child = req_w, resp_r
        threading.Thread(target=self._copy_logs, args=(self.proc,), daemon=True,
                         name=f"logs-{self.label}").start()

    def _copy_logs(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                out = self.sink()
                out.write(f"[{self.label}] {line}\n")
                out.flush()
            except (ValueError, OSError):  # the sink was closed (e.g. pytest capture ended)
                pass
        proc.stdout.close()

    def invoke(self, event: Any, offset: float) -> Invocation:
        started = time.monotonic()
        cold = self.proc is None or self.proc.poll() is not None
        outcome = self._invoke(event, offset, started)
        outcome.cold = cold
        return outcome

    def _invoke(self, event: Any, offset: float, started: float) -> Invocation:
        if self.proc is None or self.proc.poll() is not None:
            if self.proc is not None:
                self.stats.add("restarts", self.fn.logical_id)
            self._close()
            self._start()
        request_id = str(uuid.uuid4())
        message = json.dumps({"request_id": request_id, "event": event, "offset": offset,
                              "deadline": time.time() + self.fn.timeout}).encode()
        try:
            self._write_all(len(message).to_bytes(4, "big") + message)
            ready, _, _ = select.select([self._from_child], [], [], self.fn.timeout + 1)
            if not ready:
                self._kill()
                return self._failed(started, "Sandbox.Timedout",
                                    f"Task timed out after {self.fn.timeout:.2f} seconds")
            header = _read_exact(self._from_child, 4)
            body = _read_exact(self._from_child, int.from_bytes(header, "big")) if header else None
        except OSError:
            body = None
        if body is None:
            if self._stopping or self.proc is None:  # stop() closed the pipes: not a death of the worker
                return self._failed(started, "Runtime.Stopped", "the runtime stopped the worker during the invocation")
            try:  # the pipe closed because it is exiting: its exit code tells a planned kill
                self.proc.wait(1)
            except subprocess.TimeoutExpired:
                pass
            code = self.proc.poll()  # before _kill: None means it had not exited by itself
            self._kill()
            if code == KILL_EXIT_CODE:
                self.stats.add("kills", self.fn.logical_id)
                self.env.pop("LOCALRT_KILL_ONCE", None)  # once: the restarted worker runs normally
            return self._failed(started, "Runtime.ExitError",
                                f"the worker process died during the invocation ({_exit_status(code)})")
        reply = json.loads(body)
        self.stats.add("faults_injected", self.fn.logical_id, int(reply.get("faults") or 0))
        elapsed = (time.monotonic() - started) * 1000
        if reply.get("ok"):
            return Invocation(True, reply.get("result"), duration_ms=elapsed, cpu_ms=reply.get("cpu_ms"))
        return Invocation(False, error_type=reply.get("errorType"), error_message=reply.get("errorMessage"),
                          duration_ms=elapsed, cpu_ms=reply.get("cpu_ms"))

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._to_child, view):]

    def _failed(self, started: float, kind: str, message: str) -> Invocation:
        log.error("%s: %s: %s", self.label, kind, message)
        return Invocation(False, error_type=kind, error_message=message,
                          duration_ms=(time.monotonic() - started) * 1000)

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close()

    def _close(self) -> None:
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._to_child = self._from_child = -1

    def stop(self, grace: float = 2.0) -> None:
        self._stopping = True
        proc = self.proc
        self._close()  # EOF on the request pipe: the child returns from main()
        if proc is not None and proc.poll() is None:
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.proc = None
        self._stopping = False  # a later invocation starts a fresh process (recycle)


class FunctionPool:
    """Up to ``size`` warm workers for one function; one invocation at a time per worker."""

    def __init__(self, fn: Function, env: dict[str, str], sink: Callable[[], TextIO], size: int = 1,
                 stats: WorkerStats | None = None):
        self.fn, self.env, self.sink, self.size = fn, env, sink, max(1, size)
        self.stats = stats or WorkerStats()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._workers: list[Worker] = []
        self._lock = threading.Lock()
        self._stopped = False

    def _acquire(self) -> Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._workers) < self.size:
                worker = Worker(self.fn, self.env, self.sink, len(self._workers), self.stats)
                self._workers.append(worker)
                return worker
        return self._idle.get()

    def invoke(self, event: Any, offset: float) -> Invocation:
        if self._stopped:
            return Invocation(False, error_type="Runtime.Stopped", error_message="the runtime is stopping")
        worker = self._acquire()
        try:
            return worker.invoke(event, offset)
        finally:
            self._idle.put(worker)

    def stop(self) -> None:
        self._stopped = True
        with self._lock:
            workers = list(self._workers)
        for w in workers:
            w.stop()

    def recycle(self) -> None:
        """Stops the idle workers and forgets them, so the next invocation starts a fresh one (a cold start).
        Call it when the function is idle: a worker busy with an invocation is not waited for."""
        with self._lock:
            workers, self._workers = list(self._workers), []
            while True:
                try:
                    self._idle.get_nowait()
                except queue.Empty:
                    break
        for w in workers:
            w.stop()


class Workers:
    """All function pools, by logical id."""

    def __init__(self, functions: list[Function], endpoint_url: str, sink: Callable[[], TextIO],
                 pool_size: int = 1, credentials: dict[str, dict[str, str]] | None = None):
        self.stats = WorkerStats()
        credentials = credentials or {}
        self.pools = {
            fn.logical_id: FunctionPool(
                fn, function_environment(fn, endpoint_url, credentials.get(fn.logical_id)), sink, pool_size, self.stats
            )
            for fn in functions
        }

    def invoke(self, logical_id: str, event: Any, offset: float) -> Invocation:
        return self.pools[logical_id].invoke(event, offset)

    def recycle(self, logical_id: str) -> None:
        self.pools[logical_id].recycle()

    def stop(self) -> None:
        threads = [threading.Thread(target=p.stop) for p in self.pools.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def describe(event: Any) -> str:
    """What an invocation was for, in a few words: "POST /applications", or "SQS IntakeQueue: ApplicationRouted"."""
    if not isinstance(event, dict):
        return type(event).__name__
    if "requestContext" in event and "rawPath" in event:
        return f"{event['requestContext'].get('http', {}).get('method', '?')} {event['rawPath']}"
    records = event.get("Records") or []
    if records:
        queue = str(records[0].get("eventSourceARN", "")).rsplit(":", 1)[-1]
        names = [((r.get("messageAttributes") or {}).get("event_name") or {}).get("stringValue") or "?"
                 for r in records]
        return f"SQS {queue}: {', '.join(sorted(set(names)))}"
    return "an event without Records or a route"
