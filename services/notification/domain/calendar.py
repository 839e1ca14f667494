"""Dates on notices: Brussels calendar days, appeal deadlines and month arithmetic.

Working days skip Saturdays and Sundays only; Belgian public holidays are out of scope (as in
routing's decision deadline).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kernel.calendar import add_days, add_months, at_hour, brussels, local_date

from notification.domain.model import AppealTerms


def morning_of(day: date, hour: int = 8) -> datetime:
    """``hour`` o'clock in Brussels on ``day``, as a UTC instant: reminders arrive in office hours."""
    return at_hour(day, hour)


def receipt_date(dispatch: date, terms: AppealTerms) -> date:
    """When the notice counts as received (policy notice_receipt_offset_days, calendar days)."""
    return dispatch + timedelta(days=terms.receipt_offset_days)


def appeal_deadline(dispatch: date, terms: AppealTerms) -> date:
    """The last day to appeal: the window counted from the day after receipt (DOMAIN.md section 6)."""
    return add_days(receipt_date(dispatch, terms), terms.window_days, terms.day_kind)
