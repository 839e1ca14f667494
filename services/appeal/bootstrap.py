"""The one composition root: the appeal service's ports on AWS, built at first use and cached.

Tests call ``override(ports)`` with fakes instead of monkeypatching, and ``reset()`` afterwards.
"""

from __future__ import annotations

import functools

from appeal.adapters.dynamo import DynamoAppealStore
from appeal.usecases.ports import Ports
from kernel.idempotency_keys import DynamoIdempotencyKeys
from kernel.processed import DynamoProcessedEvents
from kernel.publisher import SnsEventPublisher
from kernel.settings import BusSettings, TimerSettings
from kernel.timers import SchedulerTimers


class AppealSettings(BusSettings, TimerSettings):
    table_name: str


_override: Ports | None = None


def ports() -> Ports:
    """Raises MissingSetting when the template's environment variables are absent."""
    return _override or _ports()


def override(ports: Ports) -> None:
    """For tests: use these ports instead of the AWS adapters until ``reset()``."""
    global _override
    _override = ports


def reset() -> None:
    """Forget the override and the adapters built so far."""
    global _override
    _override = None
    _ports.cache_clear()


@functools.cache
def _ports() -> Ports:
    settings = AppealSettings.from_environ()
    return Ports(
        store=DynamoAppealStore(settings.table_name),
        publisher=SnsEventPublisher(settings.event_topic_arn),
        timers=SchedulerTimers.from_settings(settings),
        keys=DynamoIdempotencyKeys(settings.table_name),
        processed=DynamoProcessedEvents(settings.table_name),
    )
