"""Fakes and a movable clock for the appeal unit tests."""

from __future__ import annotations

import pytest
from testkit.clock import Clock

from appeal.adapters.memory import InMemoryAppealStore
from appeal.usecases.ports import Ports
from kernel.idempotency_keys import InMemoryIdempotencyKeys
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import InMemoryPublisher
from kernel.timers import InMemoryTimers


@pytest.fixture
def moving_clock():
    """kernel.clock moved with ``moving_clock.at(instant)``; back on the system time afterwards."""
    yield Clock()
    Clock.reset()


@pytest.fixture
def ports() -> Ports:
    return Ports(
        store=InMemoryAppealStore(),
        publisher=InMemoryPublisher(),
        timers=InMemoryTimers(),
        keys=InMemoryIdempotencyKeys(),
        processed=InMemoryProcessedEvents(),
    )
