"""kernel.clock moved to a chosen instant, for tests: the clock reads an offset from the system time, so a
test sets the offset, never sleeps, and puts it back at the end (the ``kernel_clock`` fixture does)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from kernel import clock

TEN_UTC = time(10)


class Clock:
    """Moves kernel.clock. Every move is absolute (from the system time), so moves never accumulate drift."""

    def at(self, instant: datetime) -> datetime:
        """kernel.clock.now() reads ``instant`` (give it a timezone: Brussels midnight, DST changes)."""
        clock.set_offset(0)
        clock.set_offset((instant - clock.now()).total_seconds())
        return instant

    def on(self, day: date, at: time = TEN_UTC) -> datetime:
        """kernel.clock.today() reads ``day`` (at 10:00 UTC unless ``at`` says otherwise)."""
        return self.at(datetime.combine(day, at, tzinfo=UTC))

    def advance(self, days: int = 0, **delta: float) -> datetime:
        """Moves the clock forward from where it is: ``advance(days=2)``, ``advance(hours=1)``."""
        return self.at(clock.now() + timedelta(days=days, **delta))

    @staticmethod
    def reset() -> None:
        clock.set_offset(0)


@pytest.fixture
def kernel_clock() -> Iterator[Clock]:
    """A Clock for the test; kernel.clock is back on the system time afterwards."""
    yield Clock()
    Clock.reset()
