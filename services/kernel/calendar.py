"""Belgian days: the one place the procedure's day arithmetic lives.

Every term of the procedure is counted in days in Belgium, so an instant becomes its
Europe/Brussels date before counting. Working days skip Saturdays and Sundays only; Belgian
public holidays are not in the policy and not applied.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

DayKind = Literal["calendar", "working"]


@cache
def brussels() -> ZoneInfo:
    return ZoneInfo("Europe/Brussels")


def local_date(instant: datetime) -> date:
    """The Brussels date of an aware instant. Raises ValueError for a naive one, whose day would be a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(brussels()).date()


def start_of_day(day: date) -> datetime:
    """Midnight in Brussels at the start of ``day``, as an aware instant."""
    return datetime.combine(day, time(0, 0), tzinfo=brussels())


def at_hour(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Brussels on ``day``, as a UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=brussels()).astimezone(timezone.utc)


def add_days(start: date, days: int, day_kind: str) -> date:
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


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))
