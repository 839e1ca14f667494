"""Environment settings read once, at first use, and validated: a missing variable fails the
cold start with a clear message instead of a KeyError deep in a request."""

from __future__ import annotations

import os
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

S = TypeVar("S", bound="Settings")


class MissingSetting(RuntimeError):
    """A required environment variable is absent or malformed."""


class Settings(BaseModel):
    """Subclass with one field per environment variable (field name = variable name lower-cased)."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    @classmethod
    def from_environ(cls: type[S]) -> S:
        """Read the fields from os.environ. Raises MissingSetting naming every bad variable."""
        values = {name: os.environ[name.upper()] for name in cls.model_fields if name.upper() in os.environ}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            names = ", ".join(str(err["loc"][0]).upper() for err in exc.errors())
            raise MissingSetting(f"environment variables missing or invalid: {names}") from None


class BusSettings(Settings):
    """A function that publishes on the bus."""

    event_topic_arn: str


class TimerSettings(Settings):
    """A function that schedules timers (kernel.timers.SchedulerTimers.from_settings)."""

    schedule_group: str
    scheduler_role_arn: str
    timer_queue_arn: str
    timer_dead_letter_arn: str | None = None  # where undeliverable timers go (TimerDeadLetterQueue)
