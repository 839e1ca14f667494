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
from datetime import datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

log = logging.getLogger("localrt")

_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def due_time(expression: str, tz_name: str | None) -> datetime | None:
    match = _AT.match(expression.strip())
    if not match:
        return None
    naive = datetime.fromisoformat(match.group(1))
    return naive.replace(tzinfo=ZoneInfo(tz_name or "UTC")).astimezone(timezone.utc)


class Scheduler:
    def __init__(self, client, sqs, queue_urls: dict[str, str], now: Callable[[], datetime]):
        self.client, self.sqs, self.queue_urls, self.now = client, sqs, queue_urls, now
        self._fired: set[tuple[str, str]] = set()  # (arn, expression) of kept (NONE) schedules
        self._warned: set[str] = set()
        self._lock = threading.Lock()  # one pass at a time (background thread vs. advance)
        self.firing = False

    def due(self) -> list[tuple[datetime, dict]]:
        """Every due, enabled, not yet fired schedule, earliest first."""
        found = []
        for group in self._groups():
            for summary in self._summaries(group):
                try:
                    s = self.client.get_schedule(Name=summary["Name"], GroupName=group)
                except ClientError:
                    continue  # deleted meanwhile
                if s.get("State", "ENABLED") != "ENABLED":
                    continue
                when = due_time(s["ScheduleExpression"], s.get("ScheduleExpressionTimezone"))
                if when is None:
                    if s["Arn"] not in self._warned:
                        self._warned.add(s["Arn"])
                        log.warning("schedule %s: %s is not supported locally (only at())",
                                    s["Arn"], s["ScheduleExpression"])
                    continue
                if (s["Arn"], s["ScheduleExpression"]) in self._fired:
                    continue
                if when <= self.now():
                    found.append((when, s))
        found.sort(key=lambda pair: (pair[0], pair[1]["Name"]))
        return found

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
