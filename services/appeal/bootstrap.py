"""The one composition root: the appeal service's ports on AWS, built at first use and cached."""

from __future__ import annotations

import functools

from appeal.ports import Ports
from kernel.settings import BusSettings, TimerSettings


class AppealSettings(BusSettings, TimerSettings):
    table_name: str


@functools.cache
def ports() -> Ports:
    """Raises MissingSetting when the template's environment variables are absent."""
    from appeal.adapters.dynamo import DynamoAppealStore
    from kernel.idempotency_keys import DynamoIdempotencyKeys
    from kernel.processed import DynamoProcessedEvents
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers

    settings = AppealSettings.from_environ()
    return Ports(
        store=DynamoAppealStore(settings.table_name),
        publisher=SnsEventPublisher(settings.event_topic_arn),
        timers=SchedulerTimers.from_settings(settings),
        keys=DynamoIdempotencyKeys(settings.table_name),
        processed=DynamoProcessedEvents(settings.table_name),
    )
