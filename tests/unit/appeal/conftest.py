"""Fakes and a movable clock for the appeal unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from appeal.adapters.store import InMemoryAppealStore
from appeal.ports import Ports
from kernel import clock
from kernel.idempotency_keys import InMemoryIdempotencyKeys
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import InMemoryPublisher
from kernel.timers import InMemoryTimers

UTC = UTC


class Clock:
    """Sets kernel.clock to a chosen instant (the offset from the system time)."""

    def at(self, instant: datetime) -> datetime:
        clock.set_offset((instant - datetime.now(UTC)).total_seconds())
        return instant


@pytest.fixture
def moving_clock():
    yield Clock()
    clock.set_offset(0)


@pytest.fixture
def ports() -> Ports:
    return Ports(
        store=InMemoryAppealStore(),
        publisher=InMemoryPublisher(),
        timers=InMemoryTimers(),
        keys=InMemoryIdempotencyKeys(),
        processed=InMemoryProcessedEvents(),
    )
