"""The ports the review use cases need; adapters/ holds the DynamoDB, S3 and in-memory versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from kernel.publisher import EventPublisher
from kernel.timers import Timers
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition
from review.domain.review_file import ReviewFile

T = TypeVar("T")


class StaleWrite(Exception):
    """The item changed since it was read; read it again and retry."""


class AlreadyDecided(Exception):
    """The application already has its one decision."""


@dataclass(frozen=True)
class Versioned(Generic[T]):
    item: T
    version: int


class ReviewRepository(Protocol):
    # files
    def get_file(self, application_id: str) -> Versioned[ReviewFile] | None: ...
    def create_file(self, file: ReviewFile) -> bool:
        """Store a new file; False when one exists already (a retry, or a withdrawal seen first)."""
    def save_file(self, file: ReviewFile, version: int) -> None:
        """Raises StaleWrite when the stored version is not ``version``."""
    def partnership_files(self, partnership_id: str) -> list[ReviewFile]: ...
    def overdue_files(self) -> list[ReviewFile]: ...
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
    def partnership_recognitions(self, partnership_id: str) -> list[Recognition]: ...
    def register(self, enterprise_number: str | None = None) -> list[Recognition]: ...
    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]: ...

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

