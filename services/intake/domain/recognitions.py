"""What intake knows of recognitions and exclusions, learned from the bus, to refuse a second
recognition for the same key, check a renewal, and refuse submissions from an excluded company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Key = tuple[str, str, str]  # (enterprise, establishment, training)


@dataclass(frozen=True)
class RecognitionView:
    recognition_id: str
    key: Key
    state: str  # granted | revoked | expired
    valid_from: date | None = None
    valid_until: date | None = None

    def status_on(self, today: date) -> str:
        """active | scheduled | expired | revoked, as the register speaks."""
        if self.state == "revoked":
            return "revoked"
        if self.state == "expired" or (self.valid_until and today > self.valid_until):
            return "expired"
        if self.valid_from and today < self.valid_from:
            return "scheduled"
        return "active"


@dataclass(frozen=True)
class Exclusion:
    measure_id: str
    enterprise_number: str
    establishment_number: str | None  # None: the whole enterprise
    until: date | None  # last day; None: definitive
    lifted: bool = False

    def applies(self, establishment_number: str, today: date) -> bool:
        if self.lifted or (self.until is not None and today > self.until):
            return False
        return self.establishment_number in (None, establishment_number)


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
