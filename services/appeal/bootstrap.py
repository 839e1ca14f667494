"""The one composition root: the appeal service's ports on AWS, built at first use and cached."""

from __future__ import annotations

import functools

from appeal.ports import Ports
from kernel.settings import Settings


class AppealSettings(Settings):
    table_name: str
    event_topic_arn: str
    schedule_group: str
    scheduler_role_arn: str
    timer_queue_arn: str
    timer_dead_letter_arn: str | None = None  # where undeliverable timers go (TimerDeadLetterQueue)


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
        timers=SchedulerTimers(settings.schedule_group, settings.scheduler_role_arn, settings.timer_queue_arn,
                               settings.timer_dead_letter_arn),
        keys=DynamoIdempotencyKeys(settings.table_name),
        processed=DynamoProcessedEvents(settings.table_name),
    )
