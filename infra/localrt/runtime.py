"""LocalRuntime: moto + function workers + HTTP gateway + queue pollers + scheduler + one clock.

Usable as a context manager (tests, e2e fixtures) or via ``python -m localrt``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from . import artifact, tokens
from . import mail as mailbox
from .clock import Clock
from .gateway import Gateway, bind
from .iam import execution_roles, provision_roles, service_roles
from .local_routes import LocalRoutes
from .oidc import LocalOpenIdProvider
from .pollers import Poller
from .provision import Moto, provision
from .scheduler import DeliveryError, Scheduler
from .stage import Stage
from .template import ACCOUNT_ID, Template, load_template
from .workers import Invocation, Workers, describe

log = logging.getLogger("localrt")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = REPO_ROOT / "infra" / "template.yaml"
DAY = 86400


class SettleTimeout(TimeoutError):
    pass


@dataclass(frozen=True)
class ColdStart:
    """An invocation that started its function's worker: what `make bench` times (bench/cold_start.py)."""

    logical_id: str
    duration_ms: float  # spawning the worker, INIT (interpreter, imports) and the first invocation
    event: str  # what the invocation was for (workers.describe)
    ok: bool
    cpu_ms: float | None = None  # the worker's CPU time over the same span (what a loaded machine disturbs least)


class LocalRuntime:
    def __init__(self, template_path: str | Path | None = None, port: int | None = None, *,
                 quiet: bool = False, log_file: str | Path | None = None, pool_size: int = 1,
                 parameter_overrides: dict[str, str] | None = None, start: str | None = None,
                 scheduler_interval: float = 1.0):
        path = Path(template_path) if template_path else DEFAULT_TEMPLATE
        if not path.is_absolute() and not path.exists():
            path = REPO_ROOT / path  # relative to the repo, whatever the cwd
        self.template_path = path
        self.requested_port = int(os.environ.get("PORT", "3000")) if port is None else port
        self.quiet = quiet
        self.log_file = Path(log_file) if log_file else (REPO_ROOT / ".local" / "localrt.log" if quiet else None)
        self.pool_size = pool_size
        self.parameter_overrides = parameter_overrides
        self.clock = Clock(start if start is not None else os.environ.get("LOCALRT_START"))
        self.scheduler_interval = scheduler_interval
        self.template: Template = load_template(path, parameter_overrides)
        self._started = False
        self._stopping = threading.Event()
        self._activity = 0  # bumped whenever an invocation or request starts or ends (see settle)
        self._activity_lock = threading.Lock()
        self._log_handle: TextIO | None = None
        self.cold_starts: list[ColdStart] = []  # every worker start, in order

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> LocalRuntime:
        if self._started:
            return self
        logging.getLogger("localrt").setLevel(logging.INFO)
        t0 = time.monotonic()
        tpl = self.template
        server = bind(self.requested_port)  # first: a port in use fails before anything else was started
        _local_api_urls(tpl.functions, f"http://127.0.0.1:{server.server_address[1]}")
        try:
            self.moto = Moto()
        except BaseException:
            server.server_close()
            raise
        try:
            self._start_backends(tpl)
            local = LocalRoutes(clock=self.clock, token=self.token, advance=self.advance, settle=self.settle,
                                mail=self.mail, oidc=self.oidc.handle)
            self.gateway = Gateway(server, tpl.functions, invoke=self.invoke, verify=self._verify,
                                   now=self.clock.now, on_activity=self._touch, local=local.handle,
                                   stage=Stage(tpl.http_api))
        except BaseException:
            server.server_close()
            self.moto.stop()
            raise
        for p in self.pollers:
            p.start()
        self._scheduler_thread = threading.Thread(target=self._schedule_loop, daemon=True, name="scheduler")
        self._scheduler_thread.start()
        self.gateway.start()
        self._started = True
        log.info("localrt up in %.1f s: API %s, moto %s, %d functions, %d pollers", time.monotonic() - t0,
                 self.url, self.endpoint_url, len(tpl.functions), len(self.pollers))
        return self

    def _start_backends(self, tpl: Template) -> None:
        self.queue_urls = provision(self.moto, tpl)
        self.moto.set_clock_offset(self.clock.offset)
        # Every function runs as its own execution role, and from here on moto refuses what the
        # role's policies do not allow (iam.py, _strict.py).
        self.roles = execution_roles(self.template_path, self.parameter_overrides)
        others = service_roles(self.template_path, self.parameter_overrides)
        credentials = provision_roles(self.moto, self.roles, others)
        self._service_credentials = {others[k].arn: credentials.pop(k) for k in others}
        self.moto.enforce_iam()
        issuer = tpl.authorizer.issuer if tpl.authorizer else tpl.parameters.get("JwtIssuer", "localrt")
        audience = tpl.authorizer.audience if tpl.authorizer else [tpl.parameters.get("JwtAudience", "")]
        self.signer = tokens.Signer(issuer, audience)
        self.oidc = self._openid_provider(tpl, issuer)
        if self.log_file:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            self._log_handle = open(self.log_file, "a", encoding="utf-8", buffering=1)
        self.workers = Workers(artifact.deployed(tpl.functions), self.moto.url, self._sink, self.pool_size,
                               credentials)
        self._sqs = self.moto.client("sqs")
        self.scheduler = Scheduler(self.moto.client("scheduler"), self.moto.client("sqs"), self.queue_urls,
                                   self.clock.now, role_sqs=self._scheduler_sessions())
        self.pollers: list[Poller] = []
        for fn in tpl.functions:
            for source in fn.sqs_events:
                queue = tpl.queue_by_arn(source.queue_arn)
                self.pollers.append(Poller(self.moto.client("sqs"), queue, self.queue_urls[queue.arn], fn, source,
                                           self.invoke, self._stopping))

    def _scheduler_sessions(self) -> Any:
        """The scheduler's sessions on the schedules' execution roles (scheduler.py), opened at provisioning
        (iam.py): at each delivery the role's trust policy must let scheduler.amazonaws.com assume it for
        this account and the schedule's group (the confused-deputy conditions)."""
        import boto3

        from ._strict import condition_holds

        iam = self.moto.client("iam")
        clients: dict[str, Any] = {}
        lock = threading.Lock()

        def trusted(document: dict, group_arn: str) -> bool:
            context = {"aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": group_arn}
            statements = document.get("Statement", [])
            verdicts = set()
            for st in statements if isinstance(statements, list) else [statements]:
                services = (st.get("Principal") or {}).get("Service", [])
                actions = st.get("Action", [])
                if "scheduler.amazonaws.com" in ([services] if isinstance(services, str) else services) \
                        and "sts:AssumeRole" in ([actions] if isinstance(actions, str) else actions) \
                        and condition_holds(st.get("Condition") or {}, context):
                    verdicts.add(st.get("Effect"))
            return "Allow" in verdicts and "Deny" not in verdicts

        def role_sqs(role_arn: str, group_arn: str) -> Any:
            credentials = self._service_credentials.get(role_arn)
            if credentials is None:
                raise DeliveryError("AccessDeniedException", f"{role_arn} is no role the scheduler may assume")
            document = iam.get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]["AssumeRolePolicyDocument"]
            if not trusted(json.loads(document) if isinstance(document, str) else document, group_arn):
                raise DeliveryError("AccessDeniedException", f"the trust policy of {role_arn} does not let "
                                    f"scheduler.amazonaws.com assume it for {group_arn}")
            with lock:
                if role_arn not in clients:
                    clients[role_arn] = boto3.session.Session().client(
                        "sqs", endpoint_url=self.moto.url, region_name=self.moto.region,
                        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                        aws_session_token=credentials["AWS_SESSION_TOKEN"])
                return clients[role_arn]

        return role_sqs

    def _openid_provider(self, tpl: Template, issuer: str) -> LocalOpenIdProvider:
        """The portal's login, for every function that is an OpenID client (OIDC_CLIENT_ID in its environment)."""
        clients = {fn.env["OIDC_CLIENT_ID"]: fn.env["OIDC_CLIENT_SECRET_ARN"] for fn in tpl.functions
                   if fn.env.get("OIDC_CLIENT_ID") and fn.env.get("OIDC_CLIENT_SECRET_ARN")}
        secrets_manager = self.moto.client("secretsmanager") if clients else None

        def client_secret(secret_id: str) -> str:
            assert secrets_manager is not None
            return secrets_manager.get_secret_value(SecretId=secret_id)["SecretString"]

        try:
            from reference.partnerships import partnerships  # services/ is on the runtime's path in make run and tests

            partnership_ids = [p.id for p in partnerships()]
        except ImportError:
            partnership_ids = []
        return LocalOpenIdProvider(issuer, clients, client_secret, self.token, partnership_ids)

    def stop(self) -> None:
        """Stops the HTTP server, then pollers and scheduler, the workers, and moto last."""
        if not self._started:
            return
        self._started = False
        self._stopping.set()
        self.gateway.stop()
        self._scheduler_thread.join(timeout=5)
        self.workers.stop()  # a batch still in flight fails and stays on its queue
        self.moto.stop()  # ends the pollers' long polls
        for p in self.pollers:
            p.join(timeout=2)
        if self._log_handle:
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> LocalRuntime:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _sink(self) -> TextIO:
        return self._log_handle or sys.stdout

    def _schedule_loop(self) -> None:
        # Real time passes too: a timer due in a few seconds fires without an advance.
        while not self._stopping.wait(self.scheduler_interval):
            try:
                self.scheduler.run_pass()
            except Exception as exc:  # noqa: BLE001 - keep the loop alive; moto may be stopping
                if not self._stopping.is_set():
                    log.warning("scheduler pass failed: %s", exc)

    # ------------------------------------------------------------------ addresses
    @property
    def port(self) -> int:
        return self.gateway.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway.port}"

    @property
    def endpoint_url(self) -> str:
        return self.moto.url

    def client(self, service: str):
        """A boto3 client against this runtime's moto (fake credentials, eu-west-1)."""
        return self.moto.client(service)

    def queue_url(self, logical_id: str) -> str:
        """moto's URL of a template queue, by logical id (e.g. "ReviewDeadLetterQueue")."""
        return self.queue_urls[next(q.arn for q in self.template.queues if q.logical_id == logical_id)]

    def topic_arn(self, logical_id: str) -> str:
        return next(t.arn for t in self.template.topics if t.logical_id == logical_id)

    # ------------------------------------------------------------------ identity, time, mail
    def token(self, role: str, *, ttl_seconds: int = tokens.DEFAULT_TTL_SECONDS, **claims: Any) -> str:
        """A JWT the gateway accepts: role plus enterprise_number / partnership_id / mandates / sub.
        It lives ``ttl_seconds`` of real time, as an identity provider's token does: advancing the
        clock moves business time only."""
        if role not in tokens.ROLES:
            raise ValueError(f"role must be one of {tokens.ROLES}")
        return self.signer.mint(time.time(), role, ttl_seconds=ttl_seconds, **claims)

    def _verify(self, token: str) -> dict:
        # Real time, as API Gateway checks exp: the runtime clock moves business time only.
        return self.signer.verify(token, time.time())

    def now(self) -> datetime:
        return self.clock.now()

    def advance(self, days: int = 0, seconds: float = 0, settle_timeout: float = 60.0) -> list[dict]:
        """Moves the clock a day at a time, firing each day's due schedules; returns what fired, in order
        (schedule, due_at, queue, and the event it delivered).

        Due schedules fire in time order and the system settles after each one, so a timer's
        consequences land before the next timer fires. The days before the next schedule falls due
        pass in one move (the system was already settled), so advancing years stays quick.
        Raises SettleTimeout if the system does not settle.
        """
        remaining = days * DAY + seconds
        if remaining < 0:
            raise ValueError("the clock only moves forward")
        fired: list[dict] = []
        settle = lambda: self.settle(timeout=settle_timeout)  # noqa: E731
        settle()
        while True:
            # The system is settled and nothing is due before the next schedule, so the days until
            # the one on which it falls due pass in one move: nothing would run on them (the clock
            # still lands on the same day boundaries, so each schedule fires at the same instant).
            idle = self._idle_days(remaining)
            step = idle * DAY if idle else min(DAY, remaining)
            self.clock.advance(step)
            self.moto.set_clock_offset(self.clock.offset)  # SES's events carry business time too
            remaining -= step
            while True:  # a handler may have created a timer that is already due
                n = self.scheduler.run_pass(between=settle, record=fired)
                if n == 0:
                    break
            if remaining <= 0:
                settle()
                return fired

    def _idle_days(self, remaining: float) -> int:
        """Whole days of ``remaining`` that end before the next schedule falls due."""
        upcoming = self.scheduler.next_due()
        whole = int(remaining // DAY)
        if upcoming is None:
            return whole
        gap = (upcoming - self.clock.now()).total_seconds()
        return max(0, min(whole, int(gap // DAY)))

    def mail(self, include_raw: bool = False) -> list[dict]:
        """Every e-mail SES accepted so far, oldest first."""
        return [mailbox.describe(m, self.clock, include_raw) for m in self.moto.sent_mail()]

    def fault_figures(self) -> dict[str, Any]:
        """What a fault run did (see _faults.py): per function, and the duplicate deliveries."""
        stats = self.workers.stats
        return {"faults_injected": dict(stats.faults_injected), "worker_restarts": dict(stats.restarts),
                "workers_killed": dict(stats.kills),
                "duplicate_deliveries": sum(p.duplicates for p in self.pollers)}

    # ------------------------------------------------------------------ invocations and settle
    def invoke(self, logical_id: str, event: Any) -> Invocation:
        self._touch()
        try:
            outcome = self.workers.invoke(logical_id, event, self.clock.offset)
        finally:
            self._touch()
        if outcome.cold:
            self.cold_starts.append(ColdStart(logical_id, outcome.duration_ms, describe(event), outcome.ok,
                                              outcome.cpu_ms))
        return outcome

    def recycle(self, logical_id: str) -> None:
        """Retires the function's warm workers, so its next invocation starts a fresh one (a cold start), as
        Lambda does after a deployment. Call it while the function is idle (after settle)."""
        self.workers.recycle(logical_id)

    def _touch(self) -> None:
        with self._activity_lock:
            self._activity += 1

    def busy(self) -> list[str]:
        """What is still going on; empty when idle."""
        return self._running() + self._queued()

    def _running(self) -> list[str]:
        """What this process knows is going on (no AWS call)."""
        reasons = []
        if self.gateway.in_flight:
            reasons.append(f"{self.gateway.in_flight} HTTP request(s) in flight")
        reasons += [f"{p.fn.logical_id} is processing a batch" for p in self.pollers if p.busy]
        if self.scheduler.firing:
            reasons.append("the scheduler is firing")
        return reasons

    def _queued(self, first_only: bool = False) -> list[str]:
        """The consumer queues holding messages; ``first_only``: stop at the first (one is enough to know)."""
        reasons = []
        for q in self.template.consumer_queues:
            attrs = self._sqs.get_queue_attributes(QueueUrl=self.queue_urls[q.arn], AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"])["Attributes"]
            n = sum(int(v) for v in attrs.values())
            if n:
                reasons.append(f"{q.name}: {n} message(s)")
                if first_only:
                    break
        return reasons

    def settle(self, timeout: float = 30.0, stable_checks: int = 2, interval: float = 0.05) -> bool:
        """Blocks until queues are empty and nothing runs, for ``stable_checks`` checks in a row
        with no activity in between. Raises SettleTimeout (a TimeoutError) after ``timeout``."""
        deadline = time.monotonic() + timeout
        stable, last_activity = 0, None
        while True:
            activity = self._activity
            # Whether anything goes on, as cheaply as that is known: while a worker runs or a request is in
            # flight the queues need no asking (asking all of them every 50 ms was most of what a waiting
            # test cost the test process and moto), and one queue with messages is enough.
            reasons = self._running() or self._queued(first_only=True)
            if not reasons and activity == self._activity and (last_activity in (None, activity)):
                stable += 1
                last_activity = activity
                if stable >= stable_checks:
                    return True
            else:
                stable, last_activity = 0, None
            if time.monotonic() > deadline:
                raise SettleTimeout("; ".join(self.busy()) or "activity did not stop")
            time.sleep(interval)


# The HTTP API's execute-api URL, or the local PortalOrigin (any port: the CORS rules' wildcard).
_API_URL = re.compile(r"https://[A-Za-z0-9-]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com|http://127\.0\.0\.1:\*")


def _local_api_urls(functions: list, local_url: str) -> None:
    """An environment value naming the HTTP API's execute-api URL or the local portal origin (the
    notification function's PORTAL_URL) names this runtime's gateway instead, so links in notices
    work locally."""
    for fn in functions:
        fn.env = {k: _API_URL.sub(local_url, v) if isinstance(v, str) else v for k, v in fn.env.items()}
