"""The one composition root of routing: adapters built from the environment at first use, cached.

Tests call ``override(ports, processed=...)`` with fakes instead of monkeypatching, and ``reset()``
afterwards.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kernel.processed import DynamoProcessedEvents, ProcessedEvents
from kernel.publisher import SnsEventPublisher
from kernel.settings import BusSettings
from reference.partnerships import partnership_table
from routing.adapters.routing_log import DynamoRoutingLog
from routing.usecases.ports import Ports


class RoutingSettings(BusSettings):
    table_name: str


@dataclass(frozen=True)
class _Override:
    ports: Ports
    processed: ProcessedEvents | None


_override: _Override | None = None


@functools.cache
def settings() -> RoutingSettings:
    return RoutingSettings.from_environ()


def ports() -> Ports:
    return _override.ports if _override else _ports()


def processed_events() -> ProcessedEvents:
    return _override.processed if _override and _override.processed else _processed_events()


def override(ports: Ports, *, processed: ProcessedEvents | None = None) -> None:
    """For tests: use these instead of the AWS adapters until ``reset()``."""
    global _override
    _override = _Override(ports, processed)


def reset() -> None:
    global _override
    _override = None
    for cached in (settings, _ports, _processed_events):
        cached.cache_clear()


@functools.cache
def _ports() -> Ports:
    env = settings()
    return Ports(publisher=SnsEventPublisher(env.event_topic_arn), log=DynamoRoutingLog(env.table_name),
                 partnerships=partnership_table())


@functools.cache
def _processed_events() -> DynamoProcessedEvents:
    return DynamoProcessedEvents(settings().table_name)
