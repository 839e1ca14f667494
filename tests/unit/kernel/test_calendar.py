"""Belgian days: working days skip weekends and Belgian public holidays, and a term whose last
day is not a working day can move to the next one (article 53 of the Judicial Code)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.calendar import add_days, easter_sunday, is_working_day, next_working_day, public_holidays, term_end

EASTER_MONDAY_2026 = date(2026, 4, 6)
CHRISTMAS_2026 = date(2026, 12, 25)  # a Friday


@pytest.mark.parametrize("day", [
    date(2026, 1, 1), EASTER_MONDAY_2026, date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 25),
    date(2026, 7, 21), date(2026, 11, 11), CHRISTMAS_2026, date(2027, 3, 29),  # Easter Monday 2027
])
def test_belgian_public_holidays_are_not_working_days(day):
    assert day.weekday() < 5 and not is_working_day(day)


@pytest.mark.parametrize("year", range(1975, 2101))
def test_the_legal_holidays_are_the_maintained_packages_ten_for_belgium(year):
    # The holidays package (maintained upstream, to 2100; a test dependency only) also lists Easter Sunday and
    # Whit Sunday, which are Sundays: no working day either way.
    import holidays

    listed = holidays.country_holidays("BE", years=year)
    weekday_relevant = {day for day, name in listed.items() if name not in ("Pasen", "Pinksteren")}
    assert public_holidays(year) == weekday_relevant


def test_a_holiday_on_another_is_one_day_off():
    assert date(2008, 5, 1) == easter_sunday(2008) + timedelta(days=39)  # Ascension on Labour Day
    assert len(public_holidays(2008)) == 9 and len(public_holidays(2026)) == 10


@pytest.mark.parametrize(("year", "easter"), [
    (1818, date(1818, 3, 22)), (1943, date(1943, 4, 25)), (2000, date(2000, 4, 23)),  # earliest, latest
    (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)), (2285, date(2285, 3, 22)),
])
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_ordinary_weekdays_are_working_days_and_weekends_are_not():
    assert is_working_day(date(2026, 4, 7)) and is_working_day(date(2026, 12, 24))
    assert not is_working_day(date(2026, 4, 4)) and not is_working_day(date(2026, 4, 5))


def test_working_days_skip_easter_monday_and_christmas():
    assert add_days(date(2026, 4, 3), 1, "working") == date(2026, 4, 7)  # Friday -> Tuesday after Easter Monday
    assert add_days(date(2026, 12, 24), 1, "working") == date(2026, 12, 28)
    # Ten working days from Thursday 17 December 2026 pass Christmas and New Year's Day.
    assert add_days(date(2026, 12, 17), 10, "working") == date(2027, 1, 4)
    assert add_days(date(2026, 12, 24), 1, "calendar") == CHRISTMAS_2026


def test_the_next_working_day_of_a_saturday_sunday_or_holiday():
    assert next_working_day(date(2026, 11, 14)) == date(2026, 11, 16)  # Saturday -> Monday
    assert next_working_day(date(2026, 4, 5)) == date(2026, 4, 7)  # Easter Sunday -> past Easter Monday
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas Friday -> Monday
    assert next_working_day(date(2026, 11, 13)) == date(2026, 11, 13)  # a working day stays


def test_a_term_end_moves_only_when_asked_and_only_off_a_non_working_day():
    moved = term_end(date(2026, 11, 4), 10, "calendar", moves_to_working_day=True)  # ends Saturday 14 November
    assert (moved.natural, moved.last_day, moved.moved) == (date(2026, 11, 14), date(2026, 11, 16), True)
    kept = term_end(date(2026, 11, 4), 10, "calendar", moves_to_working_day=False)
    assert (kept.natural, kept.last_day, kept.moved) == (date(2026, 11, 14), date(2026, 11, 14), False)
    weekday = term_end(date(2026, 11, 2), 10, "calendar", moves_to_working_day=True)
    assert weekday.last_day == date(2026, 11, 12) and not weekday.moved


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 30))
def test_working_deadlines_end_on_working_days_and_moved_terms_never_end_earlier(start, days):
    end = add_days(start, days, "working")
    assert days == 0 or is_working_day(end)
    assert end >= add_days(start, days, "calendar")
    moved = term_end(start, days, "calendar", moves_to_working_day=True)
    assert is_working_day(moved.last_day) and moved.natural <= moved.last_day < moved.natural + timedelta(days=6)
