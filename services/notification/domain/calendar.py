"""Dates on notices: Brussels calendar days, appeal deadlines and month arithmetic.

Working days skip weekends and Belgian public holidays (kernel.calendar, as routing's decision
deadline); the appeal window's last day moves off a non-working day when the terms say so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from kernel.calendar import TermEnd, brussels, term_end
from notification.domain.model import AppealTerms


def morning_of(day: date, hour: int = 8) -> datetime:
    """``hour`` o'clock in Brussels on ``day``, as a UTC instant: reminders arrive in office hours."""
    return datetime.combine(day, time(hour), tzinfo=brussels()).astimezone(UTC)


def receipt_date(dispatch: date, terms: AppealTerms) -> date:
    """When the notice counts as received (policy notice_receipt_offset_days, calendar days)."""
    return dispatch + timedelta(days=terms.receipt_offset_days)


def appeal_window(dispatch: date, terms: AppealTerms) -> TermEnd:
    """The window counted from the day after receipt (DOMAIN.md section 6), with its last day as
    counted and as moved to a working day."""
    return term_end(receipt_date(dispatch, terms), terms.window_days, terms.day_kind,
                    moves_to_working_day=terms.moves_to_working_day)


def appeal_deadline(dispatch: date, terms: AppealTerms) -> date:
    """The last day to appeal."""
    return appeal_window(dispatch, terms).last_day
