"""Composition root of the routing service: adapters built once, at first use."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kernel.processed import DynamoProcessedEvents
from kernel.publisher import SnsEventPublisher
from kernel.settings import BusSettings
from routing.service import RoutingLog


class RoutingSettings(BusSettings):
    table_name: str


@dataclass(frozen=True)
class Dependencies:
    publisher: SnsEventPublisher
    processed: DynamoProcessedEvents
    log: RoutingLog


@functools.cache
def dependencies() -> Dependencies:
    from routing.adapters.routing_log import DynamoRoutingLog

    settings = RoutingSettings.from_environ()
    return Dependencies(
        publisher=SnsEventPublisher(settings.event_topic_arn),
        processed=DynamoProcessedEvents(settings.table_name),
        log=DynamoRoutingLog(settings.table_name),
    )
