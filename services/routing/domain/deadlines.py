"""Deadlines of the procedure, counted from the policy.

Days are Belgian days: an instant is turned into its date in Europe/Brussels before counting.
Working days skip Saturdays and Sundays only; Belgian public holidays are out of scope.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from reference.policy import DayKind, EffectivePolicy


@cache
def _brussels() -> ZoneInfo:
    return ZoneInfo("Europe/Brussels")


def local_date(instant: datetime) -> date:
    """The Brussels calendar date of an aware instant.

    Raises ValueError for a naive datetime, whose day would be a guess.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(_brussels()).date()


def add_days(start: date, days: int, day_kind: DayKind) -> date:
    """``start`` plus ``days`` calendar days, or plus ``days`` weekdays (Mon-Fri) for ``working``.

    Raises ValueError for negative ``days``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if day_kind == "calendar":
        return start + timedelta(days=days)
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def decision_due(
    submitted_at: datetime, policy: EffectivePolicy, *, documents_complete_at: datetime | None = None
) -> date:
    """The last day for the decision: the policy's decision term counted from submission.

    When the policy starts the term once the documents are complete (Horeca), it counts from
    ``documents_complete_at`` if that is later than submission. Pauses during questions
    (``pause_during_questions``) are not applied here. Raises ValueError for naive datetimes.
    """
    values = policy.values
    start = submitted_at
    if values.decision_term_starts_when_documents_complete.value and documents_complete_at is not None:
        start = max(submitted_at, documents_complete_at)
    return add_days(local_date(start), values.decision_term_days.value, values.decision_term_day_kind.value)
