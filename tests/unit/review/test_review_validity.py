from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from review.domain.validity import add_years, renewal_start, valid_until, validity_period


def test_a_recognition_is_valid_five_years_minus_one_day():
    assert valid_until(date(2026, 3, 2), 5) == date(2031, 3, 1)


def test_a_recognition_starting_on_29_february_ends_on_28_february():
    assert valid_until(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_a_recognition_starting_on_1_march_may_end_on_29_february():
    assert valid_until(date(2023, 3, 1), 5) == date(2028, 2, 29)


def test_a_29_february_anniversary_without_counterpart_falls_on_1_march():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)


def test_a_renewal_decided_before_the_old_end_starts_the_day_after_it():
    assert renewal_start(date(2031, 1, 10), date(2031, 3, 1)) == date(2031, 3, 2)


def test_a_renewal_decided_on_the_old_last_day_starts_the_day_after_it():
    assert renewal_start(date(2031, 3, 1), date(2031, 3, 1)) == date(2031, 3, 2)


def test_a_renewal_decided_after_the_old_end_starts_on_its_decision_date():
    assert renewal_start(date(2031, 4, 1), date(2031, 3, 1)) == date(2031, 4, 1)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(start=days, years=st.integers(min_value=1, max_value=10))
def test_the_period_is_never_shorter_than_the_years_granted(start, years):
    end = valid_until(start, years)
    assert end >= start
    assert add_years(start, years) == end + timedelta(days=1) or start.month == 2 and start.day == 29


@given(old_from=days, decided_offset=st.integers(min_value=-2000, max_value=0))
def test_a_timely_renewal_continues_without_gap_or_overlap(old_from, decided_offset):
    old_until = valid_until(old_from, 5)
    decided_on = old_until + timedelta(days=decided_offset)
    new_from, new_until = validity_period(decided_on, 5, old_until)
    assert new_from == old_until + timedelta(days=1)
    assert new_until == valid_until(new_from, 5)


@given(old_from=days, late_by=st.integers(min_value=1, max_value=400))
def test_a_late_renewal_starts_on_its_decision_date(old_from, late_by):
    old_until = valid_until(old_from, 5)
    decided_on = old_until + timedelta(days=late_by)
    assert validity_period(decided_on, 5, old_until)[0] == decided_on
