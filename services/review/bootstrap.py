"""Composition root of the review service: adapters built once, at first use, from the environment."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kernel.settings import BusSettings, Settings, TimerSettings

if TYPE_CHECKING:  # imported where built: each function loads only what it uses
    from kernel.idempotency_keys import DynamoIdempotencyKeys
    from kernel.processed import DynamoProcessedEvents
    from review.adapters.dynamo import DynamoReviewRepository
    from review.service.ports import Ports


class ReviewSettings(BusSettings, TimerSettings):
    table_name: str
    documents_bucket: str | None = None  # the events function hands out no links


class RegisterSettings(Settings):
    table_name: str


@functools.cache
def settings() -> ReviewSettings:
    return ReviewSettings.from_environ()


@functools.cache
def register_reader() -> DynamoReviewRepository:
    """The public register's reads only: the register function has the table and nothing else (no bus,
    no timers, no documents), so it needs no other setting."""
    from review.adapters.dynamo import DynamoReviewRepository

    return DynamoReviewRepository(RegisterSettings.from_environ().table_name)


@functools.cache
def ports() -> Ports:
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers
    from reference.partnerships import partnership_table
    from review.adapters.documents import S3DocumentLinks
    from review.adapters.dynamo import DynamoReviewRepository
    from review.service.ports import Ports

    s = settings()
    return Ports(
        repo=DynamoReviewRepository(s.table_name),
        publisher=SnsEventPublisher(s.event_topic_arn),
        timers=SchedulerTimers.from_settings(s),
        links=S3DocumentLinks(s.documents_bucket) if s.documents_bucket else None,
        supervisor_id=partnership_table().fallback,
    )


@functools.cache
def processed() -> DynamoProcessedEvents:
    from kernel.processed import DynamoProcessedEvents

    return DynamoProcessedEvents(settings().table_name)


@functools.cache
def idempotency_keys() -> DynamoIdempotencyKeys:
    from kernel.idempotency_keys import DynamoIdempotencyKeys

    return DynamoIdempotencyKeys(settings().table_name)
