"""Which reminders a recognition gets: renewal reminders before the end of its validity and one
before the mentor-training deadline (policy values of the recognising partnership)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from kernel.calendar import add_months
from notification.domain.calendar import morning_of


@dataclass(frozen=True)
class Reminder:
    kind: Literal["renewal", "mentor_training"]
    recognition_id: str
    at: datetime
    on: date  # the date the reminder is about: valid_until, or the training deadline
    days_before: int

    @property
    def name(self) -> str:
        short = "renew" if self.kind == "renewal" else "mentor"
        return f"ntf-{short}-{self.recognition_id}-{self.days_before}"


def plan(
    recognition_id: str,
    *,
    valid_from: date,
    valid_until: date,
    renewal_offsets_days: tuple[int, ...],
    mentor_training_months: int,
    after: datetime,
    mentor_training_lead_days: int = 30,
) -> list[Reminder]:
    """Every reminder still ahead of ``after`` (a restored or late-granted recognition skips the past ones)."""
    from datetime import timedelta

    reminders = [
        Reminder("renewal", recognition_id, morning_of(valid_until - timedelta(days=days)), valid_until, days)
        for days in sorted(set(renewal_offsets_days), reverse=True)
    ]
    due_on = add_months(valid_from, mentor_training_months)
    lead = mentor_training_lead_days
    reminders.append(
        Reminder("mentor_training", recognition_id, morning_of(due_on - timedelta(days=lead)), due_on, lead)
    )
    return [r for r in reminders if r.at > after]
