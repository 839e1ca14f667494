"""The runtime's one clock: real time plus a shared offset.

Every part that reads business time reads it here: the scheduler (is a schedule due?) and every
function invocation (the offset travels with the invocation and the
worker calls ``kernel.clock.set_offset``). Real time keeps flowing; ``advance`` only adds to the
offset, so the clock never goes backwards. Token lifetimes (the JWT authorizer's exp/nbf/iat)
run on real time, as on AWS: an advance of days must not log everyone out.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime


def parse_instant(text: str) -> datetime:
    """ISO date or instant; naive values are UTC."""
    text = text.strip()
    if len(text) == 10:
        instant = datetime.combine(date.fromisoformat(text), datetime.min.time())
    else:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Clock:
    def __init__(self, start: str | None = None):
        self._lock = threading.Lock()
        self._offset = 0.0
        if start:  # LOCALRT_START: begin at a fixed instant, for reproducible demos
            self._offset = parse_instant(start).timestamp() - time.time()
        # (real time of the change, new offset): maps a real instant seen elsewhere (moto's
        # record of a sent e-mail) to what the runtime clock read at that instant.
        self._history: list[tuple[float, float]] = [(float("-inf"), self._offset)]

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def timestamp(self) -> float:
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def iso_now(self) -> str:
        return iso(self.now())

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            self._history.append((time.time(), self._offset))

    def at_real(self, real_timestamp: float) -> datetime:
        """The runtime time at a given real (epoch) instant."""
        with self._lock:
            offset = next(o for t, o in reversed(self._history) if t <= real_timestamp)
        return datetime.fromtimestamp(real_timestamp + offset, UTC)
