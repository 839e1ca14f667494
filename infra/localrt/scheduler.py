"""EventBridge Scheduler, locally: fires one-time ``at(...)`` schedules against the runtime clock.

moto stores schedules but never fires them. A firing pass lists the schedules of every group,
and for each ENABLED schedule whose time (in its ScheduleExpressionTimezone) is at or before the
runtime's now, sends ``Target.Input`` to the target queue (the template's timers all target SQS),
then deletes it if ActionAfterCompletion is DELETE, else remembers it so it never fires twice.
Due schedules fire in time order. rate()/cron() are not supported (the project uses at() only).

Delivery is the scheduler's own, with the schedule's execution role (``Target.RoleArn``): the runtime,
standing for scheduler.amazonaws.com, checks the role's trust policy (principal and conditions, with
``aws:SourceAccount`` and the group's ARN as ``aws:SourceArn``), opens a session on the role and sends
with its credentials, so moto holds the send against the role's policy. A delivery that fails (denied,
no such queue, a role it may not assume) is retried on the next passes, ``LOCALRT_TIMER_ATTEMPTS``
(default 3) attempts in all instead of the retry policy's 24 hours, then sent to the schedule's
``DeadLetterConfig`` queue with the role (the envelope as body; TARGET_ARN, SCHEDULE_ARN, GROUP_ARN,
ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS and EXHAUSTED_RETRY_CONDITION as message attributes), or,
without one, dropped with an error in the log, as EventBridge Scheduler drops it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

log = logging.getLogger("localrt")

_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def due_time(expression: str, tz_name: str | None) -> datetime | None:
    match = _AT.match(expression.strip())
    if not match:
        return None
    naive = datetime.fromisoformat(match.group(1))
    return naive.replace(tzinfo=ZoneInfo(tz_name or "UTC")).astimezone(UTC)


def _delivery_error(exc: ClientError) -> DeliveryError:
    error = exc.response.get("Error", {})
    code, message = str(error.get("Code", "ClientError")), str(error.get("Message", exc))
    if code.isdigit():  # moto answers an SQS (JSON protocol) denial in XML: botocore keeps the status only
        found = re.search(r"<Code>(\w+)</Code>", message)
        text = re.search(r"<Message>(.*?)</Message>", message)
        code, message = (found[1] if found else code), (text[1] if text else message)
    return DeliveryError(code, message)


def _what_fired(when: datetime, s: dict) -> dict:
    """A fired schedule as /_local/clock reports it; the event is read from the envelope it delivered."""
    try:
        envelope = json.loads(s["Target"].get("Input") or "{}")
    except ValueError:
        envelope = {}
    envelope = envelope if isinstance(envelope, dict) else {}
    event = {k: envelope[k] for k in ("event_name", "event_version", "event_id") if k in envelope}
    data = envelope.get("data")
    if isinstance(data, dict):  # the subject's ids: which application, appeal or recognition it is about
        event.update({k: v for k, v in data.items() if k.endswith("_id") and isinstance(v, str)})
    due_at = when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {"schedule": f"{s['GroupName']}/{s['Name']}", "due_at": due_at,
            "queue": s["Target"]["Arn"].rsplit(":", 1)[-1], "event": event}


def attempts() -> int:
    return max(1, int(os.environ.get("LOCALRT_TIMER_ATTEMPTS", "3")))


class DeliveryError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Scheduler:
    def __init__(self, client, sqs, queue_urls: dict[str, str], now: Callable[[], datetime],
                 role_sqs: Callable[[str, str], Any] | None = None):
        """``role_sqs(role_arn, group_arn)``: an SQS client with the role's credentials, raising
        DeliveryError when the scheduler may not assume it; None sends with ``sqs`` (no roles)."""
        self.client, self.sqs, self.queue_urls, self.now = client, sqs, queue_urls, now
        self.role_sqs = role_sqs
        self._attempts: dict[tuple[str, str], int] = {}
        self._fired: set[tuple[str, str]] = set()  # (arn, expression) of kept (NONE) schedules
        self._cache: dict[tuple[str, str], tuple[str, dict, datetime | None]] = {}
        self._lock = threading.Lock()  # one pass at a time (background thread vs. advance)
        self.firing = False

    def due(self) -> list[tuple[datetime, dict]]:
        """Every due, enabled, not yet fired schedule, earliest first."""
        found = []
        listed: set[tuple[str, str]] = set()
        for group in self._groups():
            for summary in self._summaries(group):
                key = (group, summary["Name"])
                listed.add(key)
                s, when = self._details(key, summary)
                if s is None or when is None or s.get("State", "ENABLED") != "ENABLED":
                    continue
                if (s["Arn"], s["ScheduleExpression"]) in self._fired:
                    continue
                if when <= self.now():
                    found.append((when, s))
        for gone in set(self._cache) - listed:
            del self._cache[gone]
        found.sort(key=lambda pair: (pair[0], pair[1]["Name"]))
        return found

    def next_due(self) -> datetime | None:
        """When the earliest enabled, not yet fired schedule falls due (due or not), or None."""
        pending = []
        for group in self._groups():
            for summary in self._summaries(group):
                s, when = self._details((group, summary["Name"]), summary)
                if s is None or when is None or s.get("State", "ENABLED") != "ENABLED":
                    continue
                if (s["Arn"], s["ScheduleExpression"]) not in self._fired:
                    pending.append(when)
        return min(pending, default=None)

    def _details(self, key: tuple[str, str], summary: dict) -> tuple[dict | None, datetime | None]:
        """get_schedule, cached until the schedule changes: passes run every second and the
        e2e tier can hold hundreds of timers."""
        stamp = str(summary.get("LastModificationDate"))
        cached = self._cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        try:
            s = self.client.get_schedule(Name=key[1], GroupName=key[0])
        except ClientError:
            return None, None  # deleted meanwhile
        try:
            when = due_time(s["ScheduleExpression"], s.get("ScheduleExpressionTimezone"))
        except (ValueError, KeyError) as exc:  # e.g. an unknown time zone
            log.warning("schedule %s: cannot read %s: %s", s["Arn"], s["ScheduleExpression"], exc)
            when = None
        else:
            if when is None:
                log.warning("schedule %s: %s is not supported locally (only at())", s["Arn"], s["ScheduleExpression"])
        self._cache[key] = (stamp, s, when)
        return s, when

    def run_pass(self, between: Callable[[], object] | None = None, record: list[dict] | None = None) -> int:
        """Fires what is due; ``between`` runs after each firing (advance settles there). ``record`` gets
        what was delivered: the schedule, when it was due, the queue and the event it carried."""
        with self._lock:
            fired = 0
            for when, s in self.due():
                self.firing = True
                try:
                    delivered = self._fire(when, s)
                finally:
                    self.firing = False
                fired += 1
                if delivered and record is not None:
                    record.append(_what_fired(when, s))
                if between is not None:
                    between()
            return fired

    def _fire(self, when: datetime, s: dict) -> bool:
        """True when the target's queue took the input."""
        target = s["Target"]
        key = (s["Arn"], s["ScheduleExpression"])
        group_arn = s["Arn"].replace(":schedule/", ":schedule-group/").rsplit("/", 1)[0]
        try:
            sqs = self._sqs_for(target, group_arn)
            url = self.queue_urls.get(target["Arn"])
            if url is None:
                raise DeliveryError("ResourceNotFoundException",
                                    f"{target['Arn']}: only the template's SQS queues are targets locally")
            try:
                sqs.send_message(QueueUrl=url, MessageBody=target.get("Input") or "{}")
            except ClientError as exc:
                raise _delivery_error(exc) from None
        except DeliveryError as exc:
            tried = self._attempts[key] = self._attempts.get(key, 0) + 1
            if tried < attempts():
                log.warning("scheduler: %s/%s not delivered (attempt %d of %d): %s", s["GroupName"], s["Name"],
                            tried, attempts(), exc)
                return False  # still due: the next pass retries it
            self._dead_letter(s, group_arn, exc, tried)
            delivered = False
        else:
            delivered = True
            log.info("scheduler: fired %s/%s (due %s) -> %s", s["GroupName"], s["Name"],
                     when.isoformat(timespec="seconds"), target["Arn"].rsplit(":", 1)[-1])
        self._attempts.pop(key, None)
        if s.get("ActionAfterCompletion") == "DELETE":
            try:
                self.client.delete_schedule(Name=s["Name"], GroupName=s["GroupName"])
            except ClientError:
                pass
        else:
            self._fired.add(key)
        return delivered

    def _sqs_for(self, target: dict, group_arn: str) -> Any:
        if self.role_sqs is None:
            return self.sqs
        if not target.get("RoleArn"):
            raise DeliveryError("ValidationException", "the target names no execution role")
        return self.role_sqs(target["RoleArn"], group_arn)

    def _dead_letter(self, s: dict, group_arn: str, error: DeliveryError, tried: int) -> None:
        target = s["Target"]
        dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
        where = f"{s['GroupName']}/{s['Name']}"
        if not dlq:
            log.error("scheduler: %s dropped after %d attempts (no DeadLetterConfig): %s", where, tried, error)
            return
        attributes = {"TARGET_ARN": target["Arn"], "SCHEDULE_ARN": s["Arn"], "GROUP_ARN": group_arn,
                      "ERROR_CODE": error.code, "ERROR_MESSAGE": error.message[:1000],
                      "RETRY_ATTEMPTS": str(tried - 1), "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts"}
        try:
            url = self.queue_urls.get(dlq)
            if url is None:
                raise DeliveryError("ResourceNotFoundException", f"{dlq} is not a queue of the template")
            sqs = self._sqs_for(target, group_arn)
            sqs.send_message(QueueUrl=url, MessageBody=target.get("Input") or "{}", MessageAttributes={
                name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()})
        except (DeliveryError, ClientError) as exc:
            log.error("scheduler: %s lost: not delivered (%s) and not dead-lettered (%s)", where, error, exc)
            return
        log.error("scheduler: %s dead-lettered to %s after %d attempts: %s",
                  where, dlq.rsplit(":", 1)[-1], tried, error)

    def _groups(self) -> list[str]:
        groups, token = [], None
        while True:
            page = self.client.list_schedule_groups(**({"NextToken": token} if token else {}))
            groups += [g["Name"] for g in page.get("ScheduleGroups", [])]
            token = page.get("NextToken")
            if not token:
                return groups

    def _summaries(self, group: str) -> list[dict]:
        out, token = [], None
        while True:
            page = self.client.list_schedules(GroupName=group, **({"NextToken": token} if token else {}))
            out += page.get("Schedules", [])
            token = page.get("NextToken")
            if not token:
                return out
