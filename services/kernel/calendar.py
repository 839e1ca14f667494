"""Belgian days: the one place the procedure's day arithmetic lives.

Every term of the procedure is counted in days in Belgium, so an instant becomes its
Europe/Brussels date before counting. Working days skip Saturdays, Sundays and the ten Belgian
legal public holidays (``public_holidays``, computed here; tests/unit/kernel/test_calendar.py holds
them against the ``holidays`` package for 1975-2100). A term whose last
day is not a working day can be moved to the next working day (``term_end``), as article 53 of
the Judicial Code does for procedural terms; the policy says for which terms.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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


# The ten public holidays of the Wet van 4 januari 1974 betreffende de feestdagen, as its KB van
# 18 april 1974 (art. 1) names them: (month, day) for a fixed date, or days after Easter Sunday for a movable one.
# A law changes this list, so it is data here rather than a dependency: the ``holidays`` package loads
# the tables of all 250 countries it knows to answer for one (0.13 s of a cold start).
FIXED_HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1),  # Nieuwjaar
    (5, 1),  # Feest van de Arbeid
    (7, 21),  # Nationale feestdag
    (8, 15),  # O.-L.-V.-Hemelvaart
    (11, 1),  # Allerheiligen
    (11, 11),  # Wapenstilstand
    (12, 25),  # Kerstmis
)
DAYS_AFTER_EASTER: tuple[int, ...] = (
    1,  # Paasmaandag
    39,  # O.-H.-Hemelvaart (Thursday)
    50,  # Pinkstermaandag
)


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus, Jones, Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The ten Belgian legal public holidays of ``year`` (nine dates when two coincide, as Ascension
    and 1 May did in 2008)."""
    easter = easter_sunday(year)
    return frozenset([date(year, month, day) for month, day in FIXED_HOLIDAYS]
                     + [easter + timedelta(days=offset) for offset in DAYS_AFTER_EASTER])


def is_public_holiday(day: date) -> bool:
    """A Belgian legal public holiday (New Year, Easter Monday, 1 May, Ascension, Whit Monday,
    21 July, 15 August, 1 and 11 November, Christmas)."""
    return day in public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Belgian public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_days(start: date, days: int, day_kind: str) -> date:
    """``start`` plus ``days`` calendar days, or plus ``days`` working days for ``working``.

    Raises ValueError for negative ``days``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if day_kind == "calendar":
        return start + timedelta(days=days)
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@dataclass(frozen=True)
class TermEnd:
    """The last day of a term: ``natural`` as counted, ``last_day`` after any move to a working day."""

    natural: date
    last_day: date

    @property
    def moved(self) -> bool:
        return self.last_day != self.natural


def term_end(start: date, days: int, day_kind: str, *, moves_to_working_day: bool) -> TermEnd:
    """The term of ``days`` counted from the day after ``start``; when ``moves_to_working_day``, a
    last day on a Saturday, Sunday or public holiday moves to the next working day.

    Raises ValueError for negative ``days``.
    """
    natural = add_days(start, days, day_kind)
    return TermEnd(natural, next_working_day(natural) if moves_to_working_day else natural)


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))
