"""The one composition root of intake: adapters built from the environment at first use, cached.

Tests call ``override(ports, idempotency_keys=..., processed=...)`` with fakes instead of
monkeypatching, and ``reset()`` afterwards. Production ports never default to a fake: the API
function, which schedules nothing, gets timers that fail loudly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from intake.adapters.access_log import DynamoAccessLog
from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.documents import S3DocumentStorage
from intake.adapters.projections import DynamoProjections
from intake.adapters.retention import DynamoRetentionStore
from intake.usecases.ports import Ports
from kernel.idempotency_keys import DynamoIdempotencyKeys, IdempotencyKeys
from kernel.processed import DynamoProcessedEvents, ProcessedEvents
from kernel.publisher import SnsEventPublisher
from kernel.settings import BusSettings, MissingSetting, TimerSettings
from kernel.timers import SchedulerTimers, Timers


class IntakeSettings(BusSettings):
    table_name: str
    documents_bucket: str


@dataclass(frozen=True)
class _Override:
    ports: Ports
    idempotency_keys: IdempotencyKeys | None
    processed: ProcessedEvents | None


_override: _Override | None = None


@functools.cache
def settings() -> IntakeSettings:
    return IntakeSettings.from_environ()


def ports() -> Ports:
    return _override.ports if _override else _ports()


def idempotency_keys() -> IdempotencyKeys:
    return _override.idempotency_keys if _override and _override.idempotency_keys else _idempotency_keys()


def processed_events() -> ProcessedEvents:
    return _override.processed if _override and _override.processed else _processed_events()


def override(ports: Ports, *, idempotency_keys: IdempotencyKeys | None = None,
             processed: ProcessedEvents | None = None) -> None:
    """For tests: use these instead of the AWS adapters until ``reset()``."""
    global _override
    _override = _Override(ports, idempotency_keys, processed)


def reset() -> None:
    """Forget the override and the adapters built so far (the next call builds them from the environment)."""
    global _override
    _override = None
    for cached in (settings, _ports, _idempotency_keys, _processed_events):
        cached.cache_clear()


@functools.cache
def _ports() -> Ports:
    env = settings()
    try:
        # Set on the events function only, which schedules the purge of sensitive documents.
        timers: Timers = SchedulerTimers.from_settings(TimerSettings.from_environ())
    except MissingSetting:
        # The API function schedules nothing; if it ever tried, fail loudly rather than keep a
        # purge timer in memory where it would silently never fire.
        timers = _NoTimers()
    return Ports(
        applications=DynamoApplicationStore(env.table_name),
        projections=DynamoProjections(env.table_name),
        documents=S3DocumentStorage(env.documents_bucket),
        publisher=SnsEventPublisher(env.event_topic_arn),
        timers=timers,
        retention=DynamoRetentionStore(env.table_name),
        access_log=DynamoAccessLog(env.table_name),
    )


class _NoTimers:
    def schedule(self, name: str, at: object, envelope: object) -> None:
        raise MissingSetting("SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and TIMER_QUEUE_ARN are needed to schedule timers")

    def cancel(self, name: str) -> None:
        raise MissingSetting("SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and TIMER_QUEUE_ARN are needed to cancel timers")


@functools.cache
def _idempotency_keys() -> DynamoIdempotencyKeys:
    return DynamoIdempotencyKeys(settings().table_name)


@functools.cache
def _processed_events() -> DynamoProcessedEvents:
    return DynamoProcessedEvents(settings().table_name)
