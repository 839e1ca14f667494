"""Deadline timers on EventBridge Scheduler: one-time ``at(...)`` schedules whose target is the
owning service's own queue and whose input is a ready envelope (CONTRACT.md timer events).

Schedule names are deterministic (the caller derives them from the subject), so scheduling twice
is harmless and cancelling needs no lookup.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Protocol

from kernel import aws
from kernel.envelope import Envelope
from kernel.settings import TimerSettings

_NAME_ALLOWED = re.compile(r"[^0-9A-Za-z_.-]")


def schedule_name(*parts: str) -> str:
    """A valid schedule name (64 characters of [0-9A-Za-z_.-]) from its parts."""
    return _NAME_ALLOWED.sub("-", "-".join(parts))[:64]


def at_expression(instant: datetime) -> str:
    return "at(" + instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + ")"


class Timers(Protocol):
    def schedule(self, name: str, at: datetime, envelope: Envelope) -> None:
        """Deliver ``envelope`` to the service's queue at ``at``; a second call with the same name
        keeps the first schedule."""

    def cancel(self, name: str) -> None:
        """Remove a pending schedule; nothing happens when it does not exist (any more)."""


class SchedulerTimers:
    def __init__(self, group: str, role_arn: str, target_queue_arn: str, dead_letter_arn: str | None = None) -> None:
        self._group = group
        self._role_arn = role_arn
        self._target = target_queue_arn
        # After its retries (24 hours) the scheduler drops an undelivered timer unless it has a DLQ.
        self._dead_letter = {"DeadLetterConfig": {"Arn": dead_letter_arn}} if dead_letter_arn else {}

    @classmethod
    def from_settings(cls, settings: TimerSettings) -> SchedulerTimers:
        """Timers in the function's schedule group, delivered to its own queue."""
        return cls(settings.schedule_group, settings.scheduler_role_arn, settings.timer_queue_arn,
                   settings.timer_dead_letter_arn)

    def schedule(self, name: str, at: datetime, envelope: Envelope) -> None:
        scheduler = aws.client("scheduler")
        try:
            scheduler.create_schedule(
                Name=name,
                GroupName=self._group,
                ScheduleExpression=at_expression(at),
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                Target={
                    "Arn": self._target,
                    "RoleArn": self._role_arn,
                    "Input": envelope.to_json(),
                    "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
                    **self._dead_letter,
                },
            )
        except scheduler.exceptions.ConflictException:
            pass

    def cancel(self, name: str) -> None:
        scheduler = aws.client("scheduler")
        try:
            scheduler.delete_schedule(Name=name, GroupName=self._group)
        except scheduler.exceptions.ResourceNotFoundException:
            pass


class InMemoryTimers:
    def __init__(self) -> None:
        self.pending: dict[str, tuple[datetime, Envelope]] = {}
        self.cancelled: list[str] = []

    def schedule(self, name: str, at: datetime, envelope: Envelope) -> None:
        self.pending.setdefault(name, (at, envelope))

    def cancel(self, name: str) -> None:
        if self.pending.pop(name, None) is not None:
            self.cancelled.append(name)

    def payload(self, name: str) -> dict:
        return json.loads(self.pending[name][1].to_json())
