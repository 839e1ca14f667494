"""Dates on notices: appeal deadlines under every policy choice, month arithmetic."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kernel.calendar import add_days, add_months
from notification.domain.calendar import appeal_deadline, receipt_date
from notification.domain.model import AppealTerms


def test_a_notice_sent_on_monday_with_ten_calendar_days_can_be_appealed_until_thursday_week():
    terms = AppealTerms(window_days=10, day_kind="calendar", receipt_offset_days=0)
    assert appeal_deadline(date(2027, 3, 1), terms) == date(2027, 3, 11)


def test_a_receipt_offset_moves_the_deadline_by_as_many_days():
    terms = AppealTerms(window_days=10, day_kind="calendar", receipt_offset_days=3)
    assert receipt_date(date(2027, 3, 1), terms) == date(2027, 3, 4)
    assert appeal_deadline(date(2027, 3, 1), terms) == date(2027, 3, 14)


def test_working_days_skip_weekends():
    terms = AppealTerms(window_days=10, day_kind="working", receipt_offset_days=0)
    assert appeal_deadline(date(2027, 3, 5), terms) == date(2027, 3, 19)  # Friday + 10 working days


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 30))
def test_working_deadlines_never_end_on_a_weekend_and_never_before_calendar_ones(start, days):
    end = add_days(start, days, "working")
    assert end >= add_days(start, days, "calendar")
    assert days == 0 or end.weekday() < 5


def test_months_are_added_with_the_day_clamped_to_the_month_end():
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 3, 1), 12) == date(2028, 3, 1)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_working_days_skip_belgian_public_holidays():
    terms = AppealTerms(window_days=10, day_kind="working", receipt_offset_days=0)
    assert appeal_deadline(date(2026, 12, 17), terms) == date(2027, 1, 4)  # past Christmas and New Year's Day


def test_a_window_ending_on_a_weekend_moves_to_monday_when_the_terms_say_so():
    moving = AppealTerms(window_days=10, day_kind="calendar", receipt_offset_days=0, moves_to_working_day=True)
    fixed = AppealTerms(window_days=10, day_kind="calendar", receipt_offset_days=0, moves_to_working_day=False)
    assert appeal_deadline(date(2027, 3, 3), moving) == date(2027, 3, 15)
    assert appeal_deadline(date(2027, 3, 3), fixed) == date(2027, 3, 13)
