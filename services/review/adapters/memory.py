"""In-memory ports for the unit tests: same behaviour as the DynamoDB adapter, conditions included."""

from __future__ import annotations

from datetime import date
from typing import Any

from kernel.processed import AlreadyProcessed, current_marker
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition, RegisterEntry
from review.domain.review_file import QueueEntry, ReviewFile
from review.usecases.ports import (
    AlreadyDecided,
    RecognitionFilter,
    RecognitionPage,
    RegisterFilter,
    RegisterPage,
    StaleWrite,
    Versioned,
    decode_cursor,
    encode_cursor,
)


class InMemoryReviewRepository:
    def __init__(self) -> None:
        self.files: dict[str, Versioned[ReviewFile]] = {}
        self.decisions: dict[str, str] = {}  # decision_id -> application_id
        self.recognitions: dict[str, Versioned[Recognition]] = {}
        self.measures: dict[str, Measure] = {}
        self.exclusion_items: dict[str, Exclusion] = {}
        self.access_log: list[dict[str, Any]] = []
        self.support: dict[str, list[dict[str, Any]]] = {}

    # files
    def get_file(self, application_id: str) -> Versioned[ReviewFile] | None:
        return self.files.get(application_id)

    def create_file(self, file: ReviewFile, *, mark_event: bool = False) -> bool:
        marker = current_marker() if mark_event else None
        if marker is not None and marker.is_recorded():
            raise AlreadyProcessed(marker.event_id)
        if file.application_id in self.files:
            return False
        if marker is not None:
            marker.record()
        self.files[file.application_id] = Versioned(file, 1)
        return True

    def save_file(self, file: ReviewFile, version: int) -> None:
        current = self.files.get(file.application_id)
        if current is None or current.version != version:
            raise StaleWrite(file.application_id)
        self.files[file.application_id] = Versioned(file, version + 1)

    def queue_entries(self, partnership_id: str, status: str | None = None) -> list[QueueEntry]:
        found = (v.item.queue_entry() for v in self.files.values()
                 if v.item.partnership_id == partnership_id and status in (None, v.item.status))
        return [e for e in found if e is not None]

    def overdue_entries(self) -> list[QueueEntry]:
        found = (v.item.queue_entry() for v in self.files.values() if v.item.deadline_missed and v.item.is_open())
        return [e for e in found if e is not None]

    def record_decision(
        self, file: ReviewFile, version: int, recognition: Recognition | None, renewed: Versioned[Recognition] | None
    ) -> None:
        current = self.files[file.application_id]
        if current.item.decision is not None:
            raise AlreadyDecided(file.application_id)
        if current.version != version:
            raise StaleWrite(file.application_id)
        if renewed is not None and self.recognitions[renewed.item.recognition_id].version != renewed.version:
            raise StaleWrite(renewed.item.recognition_id)
        self.files[file.application_id] = Versioned(file, version + 1)
        assert file.decision is not None
        self.decisions[file.decision.decision_id] = file.application_id
        if recognition is not None:
            self.recognitions[recognition.recognition_id] = Versioned(recognition, 1)
        if renewed is not None:
            self.recognitions[renewed.item.recognition_id] = Versioned(renewed.item, renewed.version + 1)

    def decision_file(self, decision_id: str) -> ReviewFile | None:
        application_id = self.decisions.get(decision_id)
        return self.files[application_id].item if application_id else None

    # recognitions
    def get_recognition(self, recognition_id: str) -> Versioned[Recognition] | None:
        return self.recognitions.get(recognition_id)

    def save_recognition(self, recognition: Recognition, version: int | None) -> None:
        current = self.recognitions.get(recognition.recognition_id)
        if version is None:
            if current is None:
                self.recognitions[recognition.recognition_id] = Versioned(recognition, 1)
            return
        if current is None or current.version != version:
            raise StaleWrite(recognition.recognition_id)
        self.recognitions[recognition.recognition_id] = Versioned(recognition, version + 1)

    def recognitions_page(self, where: RecognitionFilter, on: date, limit: int, cursor: str | None) -> RecognitionPage:
        def sort_key(r: Recognition) -> str:
            return f"{r.valid_from.isoformat()}#{r.recognition_id}"

        mine = sorted((v.item for v in self.recognitions.values() if v.item.partnership_id == where.partnership_id
                       and where.status in (None, v.item.status_on(on))), key=sort_key)
        start = decode_cursor(where, cursor) if cursor else None
        after = [r for r in mine if start is None or sort_key(r) > start]
        page = after[:limit]
        more = len(after) > limit
        return RecognitionPage(page, encode_cursor(where, sort_key(page[-1])) if more and page else None)

    def enterprise_recognitions(self, enterprise_number: str) -> list[Recognition]:
        return [v.item for v in self.recognitions.values() if v.item.enterprise_number == enterprise_number]

    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]:
        return [
            r for r in self.enterprise_recognitions(enterprise_number)
            if r.establishment_number == establishment_number and r.training_code == training_code
        ]

    # the public register: the DynamoDB adapter's pages and order, from a sorted list
    def register_entries(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[RegisterEntry]:
        found = self.recognitions_for_key(enterprise_number, establishment_number, training_code)
        return [r.register_entry() for r in found]

    def register_page(self, where: RegisterFilter, on: date, limit: int, cursor: str | None) -> RegisterPage:
        def sort_key(e: RegisterEntry) -> str:
            if where.enterprise_number:
                return f"{e.establishment_number}#{e.training_code}#{e.recognition_id}"
            if where.training_code:
                return f"{e.postal_code or '-'}#{e.enterprise_number}#{e.establishment_number}#{e.recognition_id}"
            return f"{e.enterprise_number}#{e.establishment_number}#{e.training_code}#{e.recognition_id}"

        listed = sorted(
            (e for e in (v.item.register_entry() for v in self.recognitions.values()
                         if where.enterprise_number or not v.item.ended)
             if e.is_valid_on(on) and all(wanted in (None, value) for wanted, value in (
                 (where.enterprise_number, e.enterprise_number), (where.training_code, e.training_code),
                 (where.postal_code, e.postal_code)))),
            key=sort_key)
        start = decode_cursor(where, cursor) if cursor else None
        after = [e for e in listed if start is None or sort_key(e) > start]
        page = after[:limit]
        more = len(after) > limit
        return RegisterPage(page, encode_cursor(where, sort_key(page[-1])) if more and page else None)

    # measures
    def save_measure(self, measure: Measure, exclusion: Exclusion | None = None) -> None:
        self.measures[measure.measure_id] = measure
        if exclusion is not None:
            self.exclusion_items[exclusion.measure_id] = exclusion

    def get_measure(self, measure_id: str) -> Measure | None:
        return self.measures.get(measure_id)

    def get_exclusion(self, measure_id: str, enterprise_number: str) -> Exclusion | None:
        return self.exclusion_items.get(measure_id)

    def exclusions(self, enterprise_number: str) -> list[Exclusion]:
        return [e for e in self.exclusion_items.values() if e.enterprise_number == enterprise_number]

    # odds and ends
    def log_document_access(self, entry: dict[str, Any]) -> None:
        self.access_log.append(entry)

    def save_support_request(self, partnership_id: str, request: dict[str, Any]) -> None:
        items = self.support.setdefault(partnership_id, [])
        if all(r["support_request_id"] != request["support_request_id"] for r in items):
            items.append(request)

    def support_requests(self, partnership_id: str) -> list[dict[str, Any]]:
        return list(self.support.get(partnership_id, []))


class FakeDocumentLinks:
    def download_url(self, key: str, filename: str, expires_in: int, version_id: str | None = None) -> str:
        pinned = f"&versionId={version_id}" if version_id else ""
        return f"https://documents.example/{key}?expires_in={expires_in}{pinned}"
