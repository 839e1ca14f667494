from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.calendar import is_working_day
from reference.policy import policy
from routing.domain.deadlines import add_days, decision_due

UTC = UTC


def _with(**values):
    """The base effective policy with some bare values replaced."""
    effective = policy().for_partnership(None)
    changed = {
        name: getattr(effective.values, name).model_copy(update={"value": value}) for name, value in values.items()
    }
    return effective.model_copy(update={"values": effective.values.model_copy(update=changed)})


def test_decision_is_due_fourteen_calendar_days_after_submission():
    submitted = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert decision_due(submitted, policy().for_partnership("vpdl")) == date(2026, 3, 16)


def test_late_evening_utc_submission_counts_from_the_brussels_date():
    submitted = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Brussels
    assert decision_due(submitted, policy().for_partnership(None)) == date(2026, 3, 16)


def test_working_days_skip_weekends():
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert decision_due(friday, _with(decision_term_day_kind="working")) == date(2026, 3, 26)


def test_term_follows_the_policy_number():
    submitted = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert decision_due(submitted, _with(decision_term_days=30)) == date(2026, 4, 1)


def test_horeca_counts_from_when_documents_are_complete():
    submitted = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    complete = submitted + timedelta(days=5)
    assert decision_due(submitted, policy().for_partnership("horeca"), documents_complete_at=complete) == date(
        2026, 3, 21
    )
    assert decision_due(submitted, policy().for_partnership("vpdl"), documents_complete_at=complete) == date(
        2026, 3, 16
    )


def test_naive_submission_time_is_refused():
    with pytest.raises(ValueError):
        decision_due(datetime(2026, 3, 2, 10, 0), policy().for_partnership(None))


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), days=st.integers(1, 60))
def test_working_day_deadline_is_a_working_day_with_exactly_that_many_working_days_in_between(start, days):
    due = add_days(start, days, "working")
    assert is_working_day(due)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(is_working_day(d) for d in between) == days


def test_working_days_skip_belgian_public_holidays():
    thursday = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)  # Easter Monday 6 April is no working day
    assert decision_due(thursday, _with(decision_term_days=2, decision_term_day_kind="working")) == date(2026, 4, 7)


def test_the_decision_term_moves_off_a_weekend_only_when_the_policy_names_it():
    submitted = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)  # 14 days end on Saturday 14 November
    assert decision_due(submitted, policy().for_partnership(None)) == date(2026, 11, 14)
    moving = _with(terms_moved_to_next_working_day=("appeal_window", "decision_term"))
    assert decision_due(submitted, moving) == date(2026, 11, 16)
