"""The one composition root of intake: adapters built from the environment at first use.

Imports sit inside the functions: the events function never needs the HTTP idempotency store
(which pulls in the Powertools event handler), and cold start pays only for what it uses.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kernel.settings import Settings

if TYPE_CHECKING:
    from kernel.idempotency_keys import DynamoIdempotencyKeys
    from kernel.processed import DynamoProcessedEvents

    from intake.usecases import Ports


class IntakeSettings(Settings):
    table_name: str
    documents_bucket: str
    event_topic_arn: str


@functools.cache
def settings() -> IntakeSettings:
    return IntakeSettings.from_environ()


@functools.cache
def ports() -> Ports:
    from kernel.publisher import SnsEventPublisher

    from intake.adapters.applications import DynamoApplicationStore
    from intake.adapters.documents import S3DocumentStorage
    from intake.adapters.projections import DynamoProjections
    from intake.usecases import Ports

    env = settings()
    return Ports(
        applications=DynamoApplicationStore(env.table_name),
        projections=DynamoProjections(env.table_name),
        documents=S3DocumentStorage(env.documents_bucket),
        publisher=SnsEventPublisher(env.event_topic_arn),
    )


@functools.cache
def idempotency_keys() -> DynamoIdempotencyKeys:
    from kernel.idempotency_keys import DynamoIdempotencyKeys

    return DynamoIdempotencyKeys(settings().table_name)


@functools.cache
def processed_events() -> DynamoProcessedEvents:
    from kernel.processed import DynamoProcessedEvents

    return DynamoProcessedEvents(settings().table_name)
