"""Composition root of the notification service: adapters built once, at first use, from the
environment the template sets."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kernel.settings import BusSettings, Settings, TimerSettings

if TYPE_CHECKING:  # the bus edge imports this module; the adapters load at the first event
    from kernel.processed import ProcessedEvents
    from kernel.publisher import EventPublisher
    from kernel.timers import Timers
    from notification.adapters.archive import NoticeArchive
    from notification.adapters.mailer import Mailer
    from notification.adapters.store import NotificationStore
    from notification.domain.documents import NoticeDocument

DEFAULT_LANGUAGE = "nl"  # notification.domain.texts.DEFAULT_LANGUAGE, without importing the texts


class ApiSettings(Settings):
    table_name: str
    notices_bucket: str


class EventsSettings(ApiSettings, BusSettings, TimerSettings):
    mail_sender: str
    mail_configuration_set: str | None = None  # SES configuration set: the reputation alarms' metrics
    # The language notices are written in; English is the second template set.
    notice_language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ApiDependencies:
    store: NotificationStore
    archive: NoticeArchive


@dataclass(frozen=True)
class Dependencies:
    store: NotificationStore
    archive: NoticeArchive
    mailer: Mailer
    publisher: EventPublisher
    timers: Timers
    processed: ProcessedEvents
    render: Callable[[NoticeDocument], bytes]
    language: str = DEFAULT_LANGUAGE


@functools.cache
def api_dependencies() -> ApiDependencies:
    from notification.adapters.archive import S3NoticeArchive
    from notification.adapters.store import DynamoNotificationStore

    settings = ApiSettings.from_environ()
    return ApiDependencies(
        store=DynamoNotificationStore(settings.table_name), archive=S3NoticeArchive(settings.notices_bucket)
    )


@functools.cache
def dependencies() -> Dependencies:
    from kernel.processed import DynamoProcessedEvents
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers
    from notification.adapters.archive import S3NoticeArchive
    from notification.adapters.mailer import SesMailer
    from notification.adapters.pdf import render_pdf
    from notification.adapters.store import DynamoNotificationStore

    settings = EventsSettings.from_environ()
    return Dependencies(
        store=DynamoNotificationStore(settings.table_name),
        archive=S3NoticeArchive(settings.notices_bucket),
        mailer=SesMailer(settings.mail_sender, settings.mail_configuration_set),
        publisher=SnsEventPublisher(settings.event_topic_arn),
        timers=SchedulerTimers.from_settings(settings),
        processed=DynamoProcessedEvents(settings.table_name),
        render=render_pdf,
        language=settings.notice_language,
    )
