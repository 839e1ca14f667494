"""How long a recognition is valid (CONTRACT.md "Readings"): ``valid_until`` is the last valid day,
``valid_from`` + N years − 1 day; a renewal continues the old recognition without gap or overlap.
"""

from __future__ import annotations

from datetime import date, timedelta


def add_years(start: date, years: int) -> date:
    """The same day ``years`` later. A 29 February without a counterpart becomes 1 March, so that
    the day before it (the last valid day) is 28 February: the period is never shorter than N years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def valid_until(valid_from: date, years: int) -> date:
    """The last valid day of a recognition starting on ``valid_from`` and lasting ``years``."""
    return add_years(valid_from, years) - timedelta(days=1)


def renewal_start(decided_on: date, renewed_until: date | None) -> date:
    """The first day of a renewal: the day after the old recognition ends when decided on or
    before its last day (no gap, no overlap); otherwise the day of the decision."""
    if renewed_until is not None and decided_on <= renewed_until:
        return renewed_until + timedelta(days=1)
    return decided_on


def validity_period(decided_on: date, years: int, renewed_until: date | None = None) -> tuple[date, date]:
    """(valid_from, valid_until) of a recognition granted on ``decided_on``."""
    start = renewal_start(decided_on, renewed_until)
    return start, valid_until(start, years)
