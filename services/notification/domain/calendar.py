"""Dates on notices: Brussels calendar days, appeal deadlines and month arithmetic.

Working days skip Saturdays and Sundays only; Belgian public holidays are out of scope (as in
routing's decision deadline).
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from notification.domain.model import AppealTerms


@cache
def brussels() -> ZoneInfo:
    return ZoneInfo("Europe/Brussels")


def local_date(instant: datetime) -> date:
    """The Brussels date of an aware instant. Raises ValueError for a naive one."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(brussels()).date()


def morning_of(day: date, hour: int = 8) -> datetime:
    """``hour`` o'clock in Brussels on ``day``, as a UTC instant: reminders arrive in office hours."""
    return datetime.combine(day, time(hour), tzinfo=brussels()).astimezone(timezone.utc)


def add_days(start: date, days: int, day_kind: str) -> date:
    """``start`` plus ``days`` calendar days, or weekdays for ``working``. Raises ValueError if days < 0."""
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


def receipt_date(dispatch: date, terms: AppealTerms) -> date:
    """When the notice counts as received (policy notice_receipt_offset_days, calendar days)."""
    return dispatch + timedelta(days=terms.receipt_offset_days)


def appeal_deadline(dispatch: date, terms: AppealTerms) -> date:
    """The last day to appeal: the window counted from the day after receipt (DOMAIN.md section 6)."""
    return add_days(receipt_date(dispatch, terms), terms.window_days, terms.day_kind)
