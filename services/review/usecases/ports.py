"""The ports the review use cases need; adapters/ holds the DynamoDB, S3 and in-memory versions."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from kernel.errors import Conflict
from kernel.publisher import EventPublisher
from kernel.timers import Timers
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition, RegisterEntry
from review.domain.review_file import QueueEntry, ReviewFile

T = TypeVar("T")


class StaleWrite(Conflict):
    """The item changed since it was read; read it again and retry (kernel.optimistic.retry). One
    that keeps happening reaches the HTTP edge as 409."""

    def __init__(self, subject: str = "") -> None:
        super().__init__("It is being changed by someone else; try again.")
        self.subject = subject  # the item that changed, for the logs


class AlreadyDecided(Exception):
    """The application already has its one decision."""


@dataclass(frozen=True)
class Versioned(Generic[T]):
    item: T
    version: int


# ---------------------------------------------------------------------- the public register
class InvalidCursor(ValueError):
    """A register cursor that this query did not hand out."""


@dataclass(frozen=True)
class RegisterFilter:
    training_code: str | None = None
    postal_code: str | None = None
    enterprise_number: str | None = None

    def fingerprint(self) -> list[str | None]:
        return [self.training_code, self.postal_code, self.enterprise_number]


@dataclass(frozen=True)
class RegisterPage:
    entries: list[RegisterEntry]
    next_cursor: str | None  # None: this was the last page


@dataclass(frozen=True)
class RecognitionFilter:
    """A partnership's recognitions, all or those with one status on the day they are read."""

    partnership_id: str
    status: str | None = None
    enterprise_number: str | None = None

    def fingerprint(self) -> list[str | None]:
        return ["recognitions", self.partnership_id, self.status, self.enterprise_number]


@dataclass(frozen=True)
class RecognitionPage:
    recognitions: list[Recognition]
    next_cursor: str | None  # None: this was the last page


class _Filter(Protocol):
    def fingerprint(self) -> list[str | None]: ...


_SORT_KEY = re.compile(r"^[0-9A-Za-z_.#:-]{1,300}$")


def encode_cursor(where: _Filter, sort_key: str) -> str:
    """Opaque to clients: where the next page starts, tied to the filters it was handed out for."""
    raw = json.dumps({"f": where.fingerprint(), "k": sort_key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(where: _Filter, cursor: str) -> str:
    """The sort key a cursor stands for. Raises InvalidCursor for anything this filter did not hand out."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidCursor(cursor) from None
    if not isinstance(data, dict) or data.get("f") != where.fingerprint():
        raise InvalidCursor(cursor)
    key = data.get("k")
    if not isinstance(key, str) or not _SORT_KEY.match(key):
        raise InvalidCursor(cursor)
    return key


class RegisterReader(Protocol):
    """What the public routes read: register entries only, never whole recognitions."""

    def register_page(self, where: RegisterFilter, on: date, limit: int, cursor: str | None) -> RegisterPage:
        """At most ``limit`` entries active on ``on``, read from the filter's own index. Raises InvalidCursor."""
    def register_entries(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[RegisterEntry]:
        """Every entry of that key, history included."""


class ReviewRepository(Protocol):
    # files
    def get_file(self, application_id: str) -> Versioned[ReviewFile] | None: ...
    def create_file(self, file: ReviewFile, *, mark_event: bool = False) -> bool:
        """Store a new file; False when one exists already (a retry, or a withdrawal seen first).
        ``mark_event``: in one transaction with the idempotency marker of the event being handled
        (kernel.processed.current_marker), raising AlreadyProcessed when it is written already."""
    def save_file(self, file: ReviewFile, version: int) -> None:
        """Raises StaleWrite when the stored version is not ``version``."""
    def queue_entries(self, partnership_id: str, status: str | None = None) -> list[QueueEntry]:
        """The queue entries of the partnership's files (with ``status``: those with that status)."""
    def overdue_entries(self) -> list[QueueEntry]:
        """The queue entries of every open file whose deadline was missed, for the supervisor."""
    def record_decision(
        self, file: ReviewFile, version: int, recognition: Recognition | None, renewed: Versioned[Recognition] | None
    ) -> None:
        """Store the decided file, the new recognition and the renewed one in one transaction.
        Raises AlreadyDecided when the application has a decision, StaleWrite when something changed."""
    def decision_file(self, decision_id: str) -> ReviewFile | None: ...

    # recognitions
    def get_recognition(self, recognition_id: str) -> Versioned[Recognition] | None: ...
    def save_recognition(self, recognition: Recognition, version: int | None) -> None:
        """``version`` None creates it (no-op if it exists). Raises StaleWrite."""
    def recognitions_page(self, where: RecognitionFilter, on: date, limit: int, cursor: str | None) -> RecognitionPage:
        """At most ``limit`` of the partnership's recognitions, by valid_from then id; with a status, those
        with it on ``on`` (a page may then be short). Raises InvalidCursor."""
    def enterprise_recognitions(self, enterprise_number: str) -> list[Recognition]:
        """Every recognition of the enterprise, whole (mentors included), read consistently."""
    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]: ...

    # the public register
    def register_page(self, where: RegisterFilter, on: date, limit: int, cursor: str | None) -> RegisterPage: ...
    def register_entries(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[RegisterEntry]: ...

    # measures
    def save_measure(self, measure: Measure, exclusion: Exclusion | None = None) -> None: ...
    def get_measure(self, measure_id: str) -> Measure | None: ...
    def get_exclusion(self, measure_id: str, enterprise_number: str) -> Exclusion | None: ...
    def exclusions(self, enterprise_number: str) -> list[Exclusion]: ...

    # odds and ends
    def log_document_access(self, entry: dict[str, Any]) -> None: ...
    def save_support_request(self, partnership_id: str, request: dict[str, Any]) -> None: ...
    def support_requests(self, partnership_id: str) -> list[dict[str, Any]]: ...


class DocumentLinks(Protocol):
    def download_url(self, key: str, filename: str, expires_in: int, version_id: str | None = None) -> str: ...


@dataclass(frozen=True)
class Ports:
    repo: ReviewRepository
    publisher: EventPublisher
    timers: Timers
    links: DocumentLinks | None = None
    supervisor_id: str = "vpdl"
