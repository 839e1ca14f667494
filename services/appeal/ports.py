"""The ports a use case works through; bootstrap.py fills them for AWS, tests with fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bus edge builds Ports without importing the HTTP-side modules
    from appeal.adapters.store import AppealStore
    from kernel.idempotency_keys import IdempotencyKeys
    from kernel.processed import ProcessedEvents
    from kernel.publisher import EventPublisher
    from kernel.timers import Timers


@dataclass(frozen=True)
class Ports:
    store: AppealStore
    publisher: EventPublisher
    timers: Timers
    keys: IdempotencyKeys
    processed: ProcessedEvents
