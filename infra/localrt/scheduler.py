"""EventBridge Scheduler, locally: fires one-time ``at(...)`` schedules against the runtime clock.

moto stores schedules but never fires them. A firing pass lists the schedules of every group,
and for each ENABLED schedule whose time (in its ScheduleExpressionTimezone) is at or before the
runtime's now, sends ``Target.Input`` to the target queue (the template's timers all target SQS),
then deletes it if ActionAfterCompletion is DELETE, else remembers it so it never fires twice.
Due schedules fire in time order. rate()/cron() are not supported (the project uses at() only).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
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


class Scheduler:
    def __init__(self, client, sqs, queue_urls: dict[str, str], now: Callable[[], datetime]):
        self.client, self.sqs, self.queue_urls, self.now = client, sqs, queue_urls, now
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

    def run_pass(self, between: Callable[[], object] | None = None) -> int:
        """Fires what is due; ``between`` runs after each firing (advance settles there)."""
        with self._lock:
            fired = 0
            for when, s in self.due():
                self.firing = True
                try:
                    self._fire(when, s)
                finally:
                    self.firing = False
                fired += 1
                if between is not None:
                    between()
            return fired

    def _fire(self, when: datetime, s: dict) -> None:
        target = s["Target"]
        url = self.queue_urls.get(target["Arn"])
        if url is None:
            log.error("schedule %s targets %s: only the template's SQS queues are supported",
                      s["Name"], target["Arn"])
        else:
            self.sqs.send_message(QueueUrl=url, MessageBody=target.get("Input") or "{}")
            log.info("scheduler: fired %s/%s (due %s) -> %s", s["GroupName"], s["Name"],
                     when.isoformat(timespec="seconds"), target["Arn"].rsplit(":", 1)[-1])
        if s.get("ActionAfterCompletion") == "DELETE":
            try:
                self.client.delete_schedule(Name=s["Name"], GroupName=s["GroupName"])
            except ClientError:
                pass
        else:
            self._fired.add((s["Arn"], s["ScheduleExpression"]))

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
