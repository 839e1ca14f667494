"""How long a recognition is valid (CONTRACT.md "Readings"): ``valid_until`` is the last valid day,
``valid_from`` + N years − 1 day; a renewal continues the old recognition without gap or overlap.

The rules live in kernel.ledger, which intake applies too; these names stay for review's readers.
"""

from __future__ import annotations

from datetime import date

from kernel.ledger import add_years, renewal_start, valid_until

__all__ = ["add_years", "renewal_start", "valid_until", "validity_period"]


def validity_period(decided_on: date, years: int, renewed_until: date | None = None) -> tuple[date, date]:
    """(valid_from, valid_until) of a recognition granted on ``decided_on``."""
    start = renewal_start(decided_on, renewed_until)
    return start, valid_until(start, years)
