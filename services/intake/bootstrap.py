"""The one composition root of intake: adapters built from the environment at first use.

Imports sit inside the functions: the events function never needs the HTTP idempotency store
(which pulls in the Powertools event handler), and cold start pays only for what it uses.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kernel.settings import BusSettings, MissingSetting, TimerSettings

if TYPE_CHECKING:
    from intake.usecases import Ports
    from kernel.idempotency_keys import DynamoIdempotencyKeys
    from kernel.processed import DynamoProcessedEvents


class IntakeSettings(BusSettings):
    table_name: str
    documents_bucket: str


@functools.cache
def settings() -> IntakeSettings:
    return IntakeSettings.from_environ()


@functools.cache
def ports() -> Ports:
    from intake.adapters.access_log import DynamoAccessLog
    from intake.adapters.applications import DynamoApplicationStore
    from intake.adapters.documents import S3DocumentStorage
    from intake.adapters.projections import DynamoProjections
    from intake.adapters.retention import DynamoRetentionStore
    from intake.usecases import Ports
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers

    env = settings()
    ports = Ports(
        applications=DynamoApplicationStore(env.table_name),
        projections=DynamoProjections(env.table_name),
        documents=S3DocumentStorage(env.documents_bucket),
        publisher=SnsEventPublisher(env.event_topic_arn),
        retention=DynamoRetentionStore(env.table_name),
        access_log=DynamoAccessLog(env.table_name),
    )
    try:
        # Set on the events function only, which schedules the purge of sensitive documents.
        ports.timers = SchedulerTimers.from_settings(TimerSettings.from_environ())
    except MissingSetting:
        # The API function schedules nothing; if it ever tried, fail loudly rather than keep a
        # purge timer in memory where it would silently never fire.
        ports.timers = _NoTimers()
    return ports


class _NoTimers:
    def schedule(self, name: str, at: object, envelope: object) -> None:
        raise MissingSetting("SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and TIMER_QUEUE_ARN are needed to schedule timers")

    def cancel(self, name: str) -> None:
        raise MissingSetting("SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and TIMER_QUEUE_ARN are needed to cancel timers")


@functools.cache
def idempotency_keys() -> DynamoIdempotencyKeys:
    from kernel.idempotency_keys import DynamoIdempotencyKeys

    return DynamoIdempotencyKeys(settings().table_name)


@functools.cache
def processed_events() -> DynamoProcessedEvents:
    from kernel.processed import DynamoProcessedEvents

    return DynamoProcessedEvents(settings().table_name)
