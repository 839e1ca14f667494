"""The ports intake's use cases work through: the Protocols its adapters implement (AWS in
adapters/, fakes in adapters/memory.py, both held to the same contract tests), the Ports bundle
bootstrap.py fills, and the one stale-write exception.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from intake.domain.application import Application
from intake.domain.documents import StoredObject
from intake.domain.recognitions import Bar, Entry, Key
from intake.domain.retention import RetentionFacts
from kernel.errors import Conflict
from kernel.publisher import EventPublisher
from kernel.timers import Timers

SOURCE = "intake"


class KeyHeld(Exception):
    """Another application holds the key a save was to take (ApplicationStore.save); nothing was written."""


class StaleWrite(Conflict):
    """Someone else saved the application since it was read (an optimistic write lost its race).
    kernel.optimistic.retry re-reads and retries it; at the HTTP edge it is a 409."""

    def __init__(self, application_id: str = "") -> None:
        super().__init__("The application was changed at the same time; read it again and retry.")
        self.application_id = application_id


class Principal(Protocol):
    """Who is calling (kernel.auth.Caller fits; read-only, as a frozen dataclass has them)."""

    @property
    def sub(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def enterprise_number(self) -> str | None: ...
    @property
    def mandates(self) -> frozenset[str]: ...

    def may_act_for(self, enterprise_number: str) -> bool: ...


@dataclass(frozen=True)
class Decided:
    """What a recorded decision changes besides its application, for the application's own save
    (ApplicationStore.save): the key the application held, freed, with the facts of the recognition
    the decision gave (as Projections.release_key), and the decision's retention facts (as
    RetentionStore.record_decision)."""

    key: Key
    decision_id: str
    facts: dict[str, Any]
    recognition_id: str | None = None
    partnership_id: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class ApplicationStore(Protocol):
    def get(self, application_id: str) -> tuple[Application, list[str]] | None:
        """The application and its unpublished events, or None."""

    def add(self, app: Application) -> None:
        """Store a new application. Raises StaleWrite if the id is taken."""

    def save(self, app: Application, outbox: list[str], *, mark_event: bool = False,
             hold_key: Key | None = None, decided: Decided | None = None) -> None:
        """Store ``app`` if nobody saved since it was read (``app.version``), then bump the version.
        Raises StaleWrite otherwise. ``mark_event``: in one transaction with the idempotency marker
        of the event being handled (kernel.processed.current_marker); raises AlreadyProcessed when
        it is written already. ``hold_key``: in the same write, take that key for the application
        (Projections.hold_key); raises KeyHeld, writing nothing, when another application holds it.
        ``decided``: in the same write, free the application's key (unless another application
        holds it: then the rest is written), record the recognition's facts and the retention facts."""

    def clear_outbox(self, application_id: str, version: int) -> None: ...

    def for_enterprise(self, enterprise_number: str) -> list[Application]: ...


class Projections(Protocol):
    def recognitions_for(self, key: Key) -> list[Entry]: ...

    def recognition(self, recognition_id: str) -> Entry | None: ...

    def record_recognition(
        self, recognition_id: str, key: Key, state: str | None, as_of: datetime, *,
        partnership_id: str | None = None, valid_from: date | None = None, valid_until: date | None = None,
        revoked_on: date | None = None, renews: str | None = None, mark_event: bool = False,
    ) -> None:
        """Record what an event says. ``state`` (granted | revoked | expired) and the revocation
        date follow the newest event (``as_of``): granted (restored) clears the revocation,
        revoked sets ``revoked_on``; ``state`` None only adds facts (dates, partnership, renewal
        link), which never change for a recognition. ``mark_event``: the write that records the
        event's state carries its idempotency marker (kernel.processed.current_marker)."""

    def exclusions_for(self, enterprise_number: str) -> list[Bar]: ...

    def record_exclusion(
        self, measure_id: str, enterprise_number: str, establishment_number: str | None, until: date | None, *,
        partnership_id: str | None = None, starts_on: date | None = None,
    ) -> None: ...

    def lift_exclusion(self, measure_id: str, enterprise_number: str) -> None: ...

    def open_application(self, key: Key) -> str | None: ...

    def hold_key(self, key: Key, application_id: str) -> bool:
        """Take the key for ``application_id``; False when another application holds it."""

    def release_key(self, key: Key, application_id: str, *, recognition_id: str | None = None,
                    partnership_id: str | None = None, valid_from: date | None = None,
                    valid_until: date | None = None) -> None:
        """Free the key if ``application_id`` holds it. With ``recognition_id``: also, in the same
        write, the facts of the recognition the decision gave (record_recognition with state None),
        so that the key is never free without the recognition that now blocks it."""


class DocumentStorage(Protocol):
    bucket: str

    def upload_url(self, key: str, content_type: str, size_bytes: int, expires_in: int) -> tuple[str, dict[str, str]]:
        """A URL to PUT the bytes to (once, exactly ``size_bytes`` of ``content_type``), and the
        headers the PUT must carry."""

    def read(self, key: str) -> StoredObject | None:
        """Size, first bytes and SHA-256 of the object, or None when nothing was uploaded."""

    def delete(self, key: str) -> int:
        """Remove the object (every version: it may be a criminal-record extract) and seal the key
        so that an upload URL still valid cannot write it again; returns how many versions and
        delete markers were removed."""


class RetentionStore(Protocol):
    def record_decision(self, decision_id: str, *, mark_event: bool = False, **facts: Any) -> None:
        """Set the given DECISION fields (dates as ``date``); None values are left out. ``mark_event``:
        in one transaction with the event's idempotency marker (raises AlreadyProcessed when written)."""

    def record_appeal(
        self, decision_id: str, appeal_id: str, *, lodged: bool = False, closed_on: date | None = None
    ) -> None:
        """Mark the appeal lodged and/or closed; never unmarks."""

    def record_scheduled(self, decision_id: str, purge_on: date | None) -> None:
        """The purge timer now pending (None: none is)."""

    def record_undelivered(self, decision_id: str, notice_id: str) -> None:
        """A notice of the decision whose e-mail did not arrive; any order, a repeat changes nothing."""

    def facts(self, decision_id: str) -> RetentionFacts: ...


class AccessLog(Protocol):
    def record_purge(self, entry: dict[str, Any]) -> None:
        """``entry`` holds application_id, document_id, document_type, actor, at, versions_deleted."""

    def entries(self, application_id: str) -> list[dict[str, Any]]: ...


@dataclass
class Ports:
    applications: ApplicationStore
    projections: Projections
    documents: DocumentStorage
    publisher: EventPublisher
    timers: Timers
    retention: RetentionStore
    access_log: AccessLog
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
