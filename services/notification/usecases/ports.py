"""What the notification use cases need from the outside world: the Protocols the adapters
implement (adapters/, with their in-memory fakes in adapters/memory.py), the Ports bundle that
bootstrap builds, and the one stale-write exception."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kernel.errors import Conflict
from kernel.publisher import EventPublisher
from kernel.timers import Timers
from notification.domain.documents import NoticeDocument
from notification.domain.mails import Mail
from notification.domain.model import Addressee
from notification.domain.projection import AppealRecord, NoticeRecord, RecognitionRecord


class StaleWrite(Conflict):
    """A row changed between its read and a conditional write (the delivery status of a notice);
    kernel.optimistic.retry reads it again."""


class NotificationStore(Protocol):
    def save_application(self, addressee: Addressee, submitted_at: str, *, mark_event: bool = False) -> None:
        """Without a partnership: only if none is stored yet (a Routed came first with the same
        snapshot). ``mark_event``: in one transaction with the event's idempotency marker
        (kernel.processed.current_marker); raises AlreadyProcessed when it is written already."""
    def application(self, application_id: str) -> Addressee | None: ...
    def set_partnership(self, application_id: str, partnership_id: str) -> None: ...
    def latest_application_for(self, enterprise_number: str) -> Addressee | None: ...
    def save_recognition(self, record: RecognitionRecord, *, mark_event: bool = False) -> None:
        """``mark_event``: the handler's last write carries the event's idempotency marker."""
    def recognition(self, recognition_id: str) -> RecognitionRecord | None: ...
    def recognitions_for(self, enterprise_number: str) -> list[RecognitionRecord]: ...
    def save_subject(self, subject_id: str, application_id: str) -> None: ...
    def subject_application(self, subject_id: str) -> str | None: ...
    def save_appeal(self, record: AppealRecord) -> None: ...
    def appeal(self, appeal_id: str) -> AppealRecord | None: ...
    def notice(self, notice_id: str) -> NoticeRecord | None: ...
    def add_notice(self, record: NoticeRecord, *, subject_application: str | None = None,
                   application: tuple[Addressee, str] | None = None, claim: str | None = None) -> bool:
        """The notice and its partnership copy; ``subject_application``: also the application the
        notice's subject (a decision, a measure) is about, in the same write; ``application``: also
        an addressee as save_application keeps it (with its submission instant); ``claim``: also
        that mail's "sent" marker (claim_send), taken only when the notice is new. A notice stored
        already keeps its rows (the others but the claim are written all the same): False then."""
    def notices_in(self, partition: str) -> list[NoticeRecord]: ...
    def record_delivery(self, notice_id: str, outcome: str, at: str) -> bool:
        """What SES reported about the notice's mail (the latest report wins). False when nothing
        took it: an unknown notice (no row is made for it) or a later report already recorded."""
    def claim_send(self, marker: str, *, mark_event: bool = False) -> bool:
        """Claim the mail's "sent" marker (False: it was sent). ``mark_event``: the claim is the
        handler's last write and carries the event's idempotency marker (AlreadyProcessed when it
        is there); release_send then removes that marker too."""
    def release_send(self, marker: str) -> None: ...


class NoticeArchive(Protocol):
    def put_once(self, key: str, pdf: bytes) -> bool:
        """Store ``pdf`` at ``key`` unless something is there already. True when it was written."""

    def download_url(self, key: str, expires_in: int) -> str:
        """A presigned GET for ``key``, valid ``expires_in`` seconds."""


class Mailer(Protocol):
    def send(self, mail: Mail, attachment: bytes | None = None) -> str:
        """Send ``mail`` (with the PDF ``attachment`` if given). Returns the message id; raises on failure."""


Renderer = Callable[[NoticeDocument], bytes]


class ReadPorts(Protocol):
    """What GET /notices needs (the API function has the table and the bucket only)."""

    @property
    def store(self) -> NotificationStore: ...
    @property
    def archive(self) -> NoticeArchive: ...


@dataclass(frozen=True)
class ListingPorts:
    store: NotificationStore
    archive: NoticeArchive


@dataclass(frozen=True)
class Ports:
    """Everything the events function's use cases use. ``language`` is the language of a notice
    when the company chose none."""

    store: NotificationStore
    archive: NoticeArchive
    mailer: Mailer
    publisher: EventPublisher
    timers: Timers
    render: Renderer
    language: str
    portal_url: str | None = None  # the digital counter's address, printed in notices and mails
