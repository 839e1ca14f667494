from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeal.domain.deadlines import (
    acknowledgement_due,
    add_days,
    appeal_deadline_from,
    appeal_decision_due,
    grounds_minimum_length,
)
from kernel.calendar import is_working_day, next_working_day
from reference.policy import policy

UTC = UTC


def _with(**values):
    """The base effective policy with some bare values replaced."""
    effective = policy().for_partnership(None)
    changed = {name: getattr(effective.values, name).model_copy(update={"value": v}) for name, v in values.items()}
    return effective.model_copy(update={"values": effective.values.model_copy(update=changed)})


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


BASE = policy().for_partnership(None)


def test_an_appeal_is_due_ten_calendar_days_after_the_notice_is_sent():
    assert appeal_deadline_from(_noon(date(2026, 3, 2)), BASE) == date(2026, 3, 12)


@pytest.mark.parametrize(
    ("sent", "last_day"),
    [
        (date(2026, 1, 25), date(2026, 2, 4)),  # across a month end
        (date(2026, 12, 27), date(2027, 1, 6)),  # across a year end
        (date(2027, 2, 25), date(2027, 3, 8)),  # February of a common year (Sunday 7 March moves to Monday)
        (date(2028, 2, 25), date(2028, 3, 6)),  # February of a leap year has its 29th
        (date(2028, 2, 29), date(2028, 3, 10)),  # sent on a leap day
        (date(2026, 4, 30), date(2026, 5, 11)),  # Sunday 10 May moves to Monday
    ],
)
def test_the_window_runs_over_month_ends_and_leap_days(sent, last_day):
    assert appeal_deadline_from(_noon(sent), BASE) == last_day


def test_a_notice_sent_late_in_the_evening_utc_counts_from_the_brussels_date():
    sent = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Brussels
    assert appeal_deadline_from(sent, BASE) == date(2026, 3, 12)


def test_summer_time_moves_the_brussels_midnight_to_ten_pm_utc():
    sent = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 July in Brussels
    assert appeal_deadline_from(sent, _with(terms_moved_to_next_working_day=())) == date(2026, 7, 12)
    assert appeal_deadline_from(sent, BASE) == date(2026, 7, 13)  # Sunday 12 July moves to Monday


def test_the_receipt_offset_postpones_the_start_of_the_window():
    three_days = _with(notice_receipt_offset_days=3, terms_moved_to_next_working_day=())
    assert appeal_deadline_from(_noon(date(2026, 3, 2)), three_days) == date(2026, 3, 15)


def test_a_working_day_window_skips_weekends():
    friday = _noon(date(2026, 3, 6))
    assert appeal_deadline_from(friday, _with(appeal_window_day_kind="working")) == date(2026, 3, 20)


def test_the_receipt_offset_is_in_calendar_days_even_for_a_working_day_window():
    thursday = _noon(date(2026, 3, 5))  # received Sunday 8 March, then 10 working days
    policy_ = _with(appeal_window_day_kind="working", notice_receipt_offset_days=3)
    assert appeal_deadline_from(thursday, policy_) == date(2026, 3, 20)


def test_the_window_length_is_the_policy_number():
    assert appeal_deadline_from(_noon(date(2026, 3, 2)), _with(appeal_window_days=15)) == date(2026, 3, 17)


def test_receipt_is_acknowledged_within_ten_calendar_days_of_lodging():
    assert acknowledgement_due(_noon(date(2026, 2, 22)), BASE) == date(2026, 3, 4)
    assert acknowledgement_due(_noon(date(2028, 2, 22)), BASE) == date(2028, 3, 3)


def test_acknowledgement_in_working_days_when_the_policy_says_so():
    friday = _noon(date(2026, 3, 6))
    assert acknowledgement_due(friday, _with(appeal_acknowledgement_day_kind="working")) == date(2026, 3, 20)


def test_no_appeal_decision_term_until_the_policy_sets_one():
    assert appeal_decision_due(date(2026, 3, 2), BASE) is None


def test_any_non_blank_text_is_a_motivation_by_default():
    assert grounds_minimum_length(BASE) == 1


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        appeal_deadline_from(datetime(2026, 3, 2, 12, 0), BASE)


def test_negative_day_counts_are_refused():
    with pytest.raises(ValueError):
        add_days(date(2026, 3, 2), -1, "calendar")


@given(
    sent=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    window=st.integers(min_value=0, max_value=60),
    offset=st.integers(min_value=0, max_value=5),
)
def test_a_calendar_window_is_exactly_offset_plus_window_days(sent, window, offset):
    fixed = _with(appeal_window_days=window, notice_receipt_offset_days=offset, terms_moved_to_next_working_day=())
    assert appeal_deadline_from(_noon(sent), fixed) - sent == timedelta(days=window + offset)
    moving = _with(appeal_window_days=window, notice_receipt_offset_days=offset)
    assert appeal_deadline_from(_noon(sent), moving) == next_working_day(sent + timedelta(days=window + offset))


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    days=st.integers(min_value=1, max_value=40),
)
def test_a_working_day_term_ends_on_a_working_day_and_counts_exactly_that_many_working_days(start, days):
    end = add_days(start, days, "working")
    assert is_working_day(end)
    counted = sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))
    assert counted == days


def test_a_window_ending_on_a_saturday_moves_to_the_next_working_day():
    assert appeal_deadline_from(_noon(date(2026, 11, 4)), BASE) == date(2026, 11, 16)  # Sat 14 -> Mon 16
    assert appeal_deadline_from(_noon(date(2026, 11, 4)), _with(terms_moved_to_next_working_day=())) == date(
        2026, 11, 14
    )


def test_a_window_ending_on_a_public_holiday_moves_past_it():
    assert appeal_deadline_from(_noon(date(2026, 12, 15)), BASE) == date(2026, 12, 28)  # Fri 25 Dec -> Mon 28


def test_working_day_terms_skip_belgian_public_holidays():
    working = _with(appeal_acknowledgement_day_kind="working")
    assert acknowledgement_due(_noon(date(2026, 12, 17)), working) == date(2027, 1, 4)


def test_other_terms_move_only_when_the_policy_names_them():
    lodged = _noon(date(2026, 11, 4))  # ten calendar days end on Saturday 14 November
    assert acknowledgement_due(lodged, BASE) == date(2026, 11, 14)
    moving = _with(terms_moved_to_next_working_day=("appeal_window", "appeal_acknowledgement"))
    assert acknowledgement_due(lodged, moving) == date(2026, 11, 16)
