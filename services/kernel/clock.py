"""The one clock every handler reads.

``now()`` is a UTC instant; ``today()`` is the procedure's day, the date in Brussels (DOMAIN.md:
every term is a Belgian day), never the UTC date, which lags an hour or two after midnight.
On AWS it is the system clock. The local runtime moves it forward (``POST /_local/clock``) by
setting an offset before each invocation, so deadlines and schedules can be exercised in seconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kernel.calendar import local_date

_offset = timedelta(0)


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """The current date in Brussels."""
    return local_date(now())


def set_offset(seconds: float) -> None:
    """Shift the clock by ``seconds`` from the system time (local runtime and tests only)."""
    global _offset
    _offset = timedelta(seconds=seconds)


def iso(instant: datetime) -> str:
    """ISO 8601 in UTC with a trailing ``Z``, as the contract writes instants."""
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
