"""The one composition root of the review service: adapters built once, at first use, from the
environment. Tests call ``override(...)`` with fakes instead of monkeypatching; ``reset()`` forgets
them. Production ports never default to a fake."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kernel.settings import BusSettings, Settings, TimerSettings

if TYPE_CHECKING:  # imported where built: each function loads only what it uses
    from kernel.idempotency_keys import IdempotencyKeys
    from kernel.processed import ProcessedEvents
    from review.usecases.ports import Ports, RegisterReader


class ReviewSettings(BusSettings, TimerSettings):
    table_name: str
    documents_bucket: str | None = None  # the events function hands out no links


class RegisterSettings(Settings):
    table_name: str


# What a test put in place of the real thing (override); None: build it from the environment.
_overrides: dict[str, object] = {}


def override(
    ports: Ports | None = None,
    *,
    register_reader: RegisterReader | None = None,
    idempotency_keys: IdempotencyKeys | None = None,
    processed: ProcessedEvents | None = None,
) -> None:
    """For tests: use these instead of the adapters built from the environment. The register reads
    the given ports' repository unless another reader is given."""
    reset()
    given = {"ports": ports, "register_reader": register_reader or (ports.repo if ports else None),
             "idempotency_keys": idempotency_keys, "processed": processed}
    _overrides.update({k: v for k, v in given.items() if v is not None})


def reset() -> None:
    _overrides.clear()
    for cached in (_ports, _register_reader, _idempotency_keys, _processed, settings):
        cached.cache_clear()


@functools.cache
def settings() -> ReviewSettings:
    return ReviewSettings.from_environ()


def register_reader() -> RegisterReader:
    """The public register's reads only: the register function has the table and nothing else (no bus,
    no timers, no documents), so it needs no other setting."""
    return _overrides.get("register_reader") or _register_reader()  # type: ignore[return-value]


def ports() -> Ports:
    return _overrides.get("ports") or _ports()  # type: ignore[return-value]


def idempotency_keys() -> IdempotencyKeys:
    return _overrides.get("idempotency_keys") or _idempotency_keys()  # type: ignore[return-value]


def processed() -> ProcessedEvents:
    return _overrides.get("processed") or _processed()  # type: ignore[return-value]


@functools.cache
def _register_reader() -> RegisterReader:
    from review.adapters.dynamo import DynamoReviewRepository

    return DynamoReviewRepository(RegisterSettings.from_environ().table_name)


@functools.cache
def _ports() -> Ports:
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers
    from reference.partnerships import partnership_table
    from review.adapters.documents import S3DocumentLinks
    from review.adapters.dynamo import DynamoReviewRepository
    from review.usecases.ports import Ports

    s = settings()
    return Ports(
        repo=DynamoReviewRepository(s.table_name),
        publisher=SnsEventPublisher(s.event_topic_arn),
        timers=SchedulerTimers.from_settings(s),
        links=S3DocumentLinks(s.documents_bucket) if s.documents_bucket else None,
        supervisor_id=partnership_table().fallback,
    )


@functools.cache
def _processed() -> ProcessedEvents:
    from kernel.processed import DynamoProcessedEvents

    return DynamoProcessedEvents(settings().table_name)


@functools.cache
def _idempotency_keys() -> IdempotencyKeys:
    from kernel.idempotency_keys import DynamoIdempotencyKeys

    return DynamoIdempotencyKeys(settings().table_name)
