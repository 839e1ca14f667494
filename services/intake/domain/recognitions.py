"""What intake knows of recognitions and exclusions, learned from the bus: the facts of the one
ledger (kernel.ledger) that review keeps too, so that a submission is checked by the same rules
review applies when it grants."""

from __future__ import annotations

from datetime import date

from kernel.ledger import Bar, Entry, Key

__all__ = ["Bar", "Entry", "Key", "add_months"]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
