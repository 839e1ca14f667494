"""In-memory fake of the appeal store for unit tests; it passes the same contract tests as the
DynamoDB adapter (tests/integration/appeal/test_appeal_store_contract.py)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, replace
from datetime import datetime

from appeal.domain.appeals import Appeal
from appeal.domain.subjects import Notice, Subject, SubjectKind
from appeal.usecases.ports import SUBJECT_TAKEN, StaleWrite
from kernel.errors import Conflict
from kernel.processed import current_marker


@dataclass
class _SubjectFacts:
    subject_id: str
    kind: SubjectKind | None = None
    subject_type: str | None = None
    enterprise_number: str | None = None
    partnership_id: str | None = None
    decided_at: datetime | None = None
    notice: Notice | None = None
    undelivered: set[str] = field(default_factory=set)


def _record_marker(mark_event: bool) -> None:
    """As the DynamoDB adapter's transaction: the event's marker with the write (AlreadyProcessed
    when it is there)."""
    marker = current_marker() if mark_event else None
    if marker is not None:
        marker.record()


class InMemoryAppealStore:
    def __init__(self) -> None:
        self.subjects: dict[str, _SubjectFacts] = {}
        self.appeals: dict[str, Appeal] = {}
        self.holders: dict[str, str] = {}  # subject_id -> appeal_id
        self.unannounced: dict[str, set[str]] = {}  # subject_id -> appeal ids
        self.references: dict[str, str] = {}  # DL-... -> subject_id

    def record_subject(self, subject_id, *, kind, subject_type, enterprise_number, partnership_id, decided_at,
                       reference=None, mark_event=False) -> None:
        _record_marker(mark_event)
        facts = self.subjects.setdefault(subject_id, _SubjectFacts(subject_id))
        facts.kind, facts.subject_type, facts.decided_at = kind, subject_type, decided_at
        facts.enterprise_number, facts.partnership_id = enterprise_number, partnership_id
        if reference is not None:
            self.record_reference(reference, subject_id)

    def record_notice(self, subject_id: str, notice: Notice, *, mark_event: bool = False) -> None:
        _record_marker(mark_event)
        facts = self.subjects.setdefault(subject_id, _SubjectFacts(subject_id))
        facts.notice = facts.notice or notice

    def record_undelivered(self, subject_id: str, notice_id: str, *, mark_event: bool = False) -> None:
        _record_marker(mark_event)
        self.subjects.setdefault(subject_id, _SubjectFacts(subject_id)).undelivered.add(notice_id)

    def get_subject(self, subject_id: str) -> Subject | None:
        f = self.subjects.get(subject_id)
        if f is None or f.kind is None or f.subject_type is None or f.enterprise_number is None or f.decided_at is None:
            return None
        return Subject(
            f.subject_id, f.kind, f.subject_type, f.enterprise_number, f.partnership_id, f.decided_at, f.notice,
            frozenset(f.undelivered),
        )

    def record_reference(self, reference: str, subject_id: str) -> None:
        self.references.setdefault(reference, subject_id)

    def subject_for_reference(self, reference: str) -> str | None:
        return self.references.get(reference)

    def add(self, appeal: Appeal) -> None:
        if appeal.subject_id in self.holders:
            raise Conflict(SUBJECT_TAKEN)
        if appeal.holds_subject():
            self.holders[appeal.subject_id] = appeal.appeal_id
        self.appeals[appeal.appeal_id] = appeal
        self.unannounced.setdefault(appeal.subject_id, set()).add(appeal.appeal_id)

    def pending(self, subject_id: str) -> list[Appeal]:
        found = (self.appeals[i] for i in self.unannounced.get(subject_id, ()))
        return sorted(found, key=lambda a: (a.lodged_at, a.appeal_id))

    def announced(self, appeal: Appeal) -> None:
        self.unannounced.get(appeal.subject_id, set()).discard(appeal.appeal_id)

    def get(self, appeal_id: str) -> Appeal | None:
        return self.appeals.get(appeal_id)

    def save(self, appeal: Appeal, *, expected_status: str) -> None:
        current = self.appeals.get(appeal.appeal_id)
        if current is None or current.status != expected_status:
            raise StaleWrite(appeal.appeal_id)
        if not appeal.holds_subject() and self.holders.get(appeal.subject_id) == appeal.appeal_id:
            del self.holders[appeal.subject_id]
        self.appeals[appeal.appeal_id] = appeal

    def flag_acknowledgement_overdue(self, appeal_id: str) -> bool:
        current = self.appeals.get(appeal_id)
        if current is None or current.status != "lodged":
            return False
        self.appeals[appeal_id] = replace(current, acknowledgement_overdue=True)
        return True

    def list(self, status: str | None = None) -> list[Appeal]:
        chosen = [a for a in self.appeals.values() if status is None or a.status == status]
        return sorted(chosen, key=lambda a: (a.lodged_at, a.appeal_id))

    def for_enterprise(self, enterprise_number: str) -> builtins.list[Appeal]:  # the class has its own list
        return [a for a in self.list() if a.enterprise_number == enterprise_number]
