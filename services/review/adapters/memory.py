"""In-memory ports for the unit tests: same behaviour as the DynamoDB adapter, conditions included."""

from __future__ import annotations

from typing import Any

from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition
from review.domain.review_file import ReviewFile
from review.service.ports import AlreadyDecided, StaleWrite, Versioned


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

    def create_file(self, file: ReviewFile) -> bool:
        if file.application_id in self.files:
            return False
        self.files[file.application_id] = Versioned(file, 1)
        return True

    def save_file(self, file: ReviewFile, version: int) -> None:
        current = self.files.get(file.application_id)
        if current is None or current.version != version:
            raise StaleWrite(file.application_id)
        self.files[file.application_id] = Versioned(file, version + 1)

    def partnership_files(self, partnership_id: str) -> list[ReviewFile]:
        return [v.item for v in self.files.values() if v.item.partnership_id == partnership_id]

    def overdue_files(self) -> list[ReviewFile]:
        return [v.item for v in self.files.values() if v.item.deadline_missed and v.item.is_open()]

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

    def partnership_recognitions(self, partnership_id: str) -> list[Recognition]:
        return [v.item for v in self.recognitions.values() if v.item.partnership_id == partnership_id]

    def register(self, enterprise_number: str | None = None) -> list[Recognition]:
        return [v.item for v in self.recognitions.values() if enterprise_number in (None, v.item.enterprise_number)]

    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]:
        return [
            r for r in self.register(enterprise_number)
            if r.establishment_number == establishment_number and r.training_code == training_code
        ]

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
