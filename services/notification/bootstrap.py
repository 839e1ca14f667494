"""The one composition root of the notification service: adapters built once, at first use, from
the environment the template sets. Tests call ``override(ports)``; production never sees a fake."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kernel.settings import BusSettings, Settings, TimerSettings

if TYPE_CHECKING:  # the edges import this module; the adapters load at the first request or event
    from kernel.processed import ProcessedEvents
    from notification.usecases.ports import Ports, ReadPorts

DEFAULT_LANGUAGE = "nl"  # notification.domain.texts.DEFAULT_LANGUAGE, without importing the texts


class ApiSettings(Settings):
    table_name: str
    notices_bucket: str


class EventsSettings(ApiSettings, BusSettings, TimerSettings):
    mail_sender: str
    mail_configuration_set: str | None = None  # SES configuration set: the reputation alarms' metrics
    # The language of a notice when the application chose none (Dutch: the language of the procedure).
    notice_language: str = DEFAULT_LANGUAGE
    portal_url: str | None = None  # the portal's address (the template's PortalUrl), for links in notices


class MailEventsSettings(BusSettings):
    """NotificationMailEventsFunction: its table, the mail, and the bus (NoticeDeliveryFailed); no
    bucket or timers."""

    table_name: str
    mail_sender: str
    mail_configuration_set: str | None = None


_overridden: Ports | None = None
_overridden_processed: ProcessedEvents | None = None


def override(ports: Ports | None, processed: ProcessedEvents | None = None) -> None:
    """Make both edges use ``ports`` (and ``processed`` for the consumer's duplicate check) until
    ``override(None)``; for tests."""
    global _overridden, _overridden_processed
    _overridden, _overridden_processed = ports, processed


def ports() -> Ports:
    """The events function's ports."""
    return _overridden if _overridden is not None else _built_ports()


def read_ports() -> ReadPorts:
    """GET /notices: the table and the bucket (the API function has no mail or bus settings)."""
    return _overridden if _overridden is not None else _built_read_ports()


def mail_event_ports() -> Ports:
    """SES's mail events: the store, the mailer and the bus are all they use (a record and, when a mail
    did not arrive, NoticeDeliveryFailed and the partnership's mail); the other ports refuse, since
    the function has no right to them."""
    return _overridden if _overridden is not None else _built_mail_event_ports()


def processed_events() -> ProcessedEvents:
    if _overridden_processed is not None:
        return _overridden_processed
    return _built_processed()


@functools.cache
def _built_read_ports() -> ReadPorts:
    from notification.adapters.archive import S3NoticeArchive
    from notification.adapters.store import DynamoNotificationStore
    from notification.usecases.ports import ListingPorts

    settings = ApiSettings.from_environ()
    return ListingPorts(store=DynamoNotificationStore(settings.table_name),
                        archive=S3NoticeArchive(settings.notices_bucket))


@functools.cache
def _built_ports() -> Ports:
    from kernel.publisher import SnsEventPublisher
    from kernel.timers import SchedulerTimers
    from notification.adapters.archive import S3NoticeArchive
    from notification.adapters.mailer import SesMailer
    from notification.adapters.pdf import render_pdf
    from notification.adapters.store import DynamoNotificationStore
    from notification.usecases.ports import Ports

    settings = EventsSettings.from_environ()
    return Ports(
        store=DynamoNotificationStore(settings.table_name),
        archive=S3NoticeArchive(settings.notices_bucket),
        mailer=SesMailer(settings.mail_sender, settings.mail_configuration_set),
        publisher=SnsEventPublisher(settings.event_topic_arn),
        timers=SchedulerTimers.from_settings(settings),
        render=render_pdf,
        language=settings.notice_language,
        portal_url=settings.portal_url,
    )


class _NotGranted:
    """A port NotificationMailEventsFunction has no permission for: a call is a bug, and fails loudly
    (the record is retried, then parked in the DLQ) instead of an AccessDenied deep in boto3."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"the mail events function has no {name!r} (no bucket, timers or rendering)")

    def __call__(self, *args: object) -> bytes:
        raise RuntimeError("the mail events function renders no notice")


@functools.cache
def _built_mail_event_ports() -> Ports:
    from typing import Any, cast

    from kernel.publisher import SnsEventPublisher
    from notification.adapters.mailer import SesMailer
    from notification.adapters.store import DynamoNotificationStore
    from notification.usecases.ports import Ports

    settings = MailEventsSettings.from_environ()
    refused = cast(Any, _NotGranted())
    return Ports(store=DynamoNotificationStore(settings.table_name), archive=refused,
                 mailer=SesMailer(settings.mail_sender, settings.mail_configuration_set),
                 publisher=SnsEventPublisher(settings.event_topic_arn), timers=refused, render=refused,
                 language=DEFAULT_LANGUAGE)


@functools.cache
def _built_processed() -> ProcessedEvents:
    from kernel.processed import DynamoProcessedEvents

    return DynamoProcessedEvents(ApiSettings.from_environ().table_name)


def reset() -> None:
    """Forget the built adapters and any override (tests that change the environment)."""
    override(None)
    for built in (_built_ports, _built_read_ports, _built_mail_event_ports, _built_processed):
        built.cache_clear()
