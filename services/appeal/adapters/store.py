"""The appeal store port, and an in-memory fake with the same guarantees."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from appeal.domain.subjects import Notice, Subject, SubjectKind
from kernel.errors import Conflict

if TYPE_CHECKING:
    from appeal.domain.appeals import Appeal

SUBJECT_TAKEN = "An appeal against this decision or measure is already open or has been decided."


def stale(appeal_id: str) -> Conflict:
    return Conflict(f"Appeal {appeal_id} was changed by someone else at the same time; reload it and retry.")


class AppealStore(Protocol):
    def record_subject(
        self,
        subject_id: str,
        *,
        kind: SubjectKind,
        subject_type: str,
        enterprise_number: str,
        partnership_id: str | None,
        decided_at: datetime,
    ) -> None:
        """Remember a decision or measure; repeating it changes nothing."""

    def record_notice(self, subject_id: str, notice: Notice) -> None:
        """Remember the notice of a subject; the first notice recorded wins, in any event order."""

    def get_subject(self, subject_id: str) -> Subject | None:
        """The subject with its notice, or None while its decision or measure is not known."""

    def record_reference(self, reference: str, subject_id: str) -> None:
        """Remember which decision or measure a readable reference (DL-...) names."""

    def subject_for_reference(self, reference: str) -> str | None:
        """The decision or measure id a readable reference names, None when unknown."""

    def add(self, appeal: Appeal) -> None:
        """Store a new appeal, marked pending until ``announced``. Raises Conflict when another
        appeal holds its subject (even an appeal that is inadmissible at once is refused then: the
        open one answers the company)."""

    def pending(self, subject_id: str) -> list[Appeal]:
        """Appeals against the subject whose AppealLodged may not have reached the bus."""

    def announced(self, appeal: Appeal) -> None:
        """AppealLodged (and what goes with it) is on the bus: no longer pending."""

    def get(self, appeal_id: str) -> Appeal | None: ...

    def save(self, appeal: Appeal, *, expected_status: str) -> None:
        """Store a changed appeal (releasing its subject when it no longer holds it). Raises
        Conflict when the stored status is no longer ``expected_status``."""

    def flag_acknowledgement_overdue(self, appeal_id: str) -> bool:
        """Mark a still-lodged appeal as overdue for acknowledgement; False when it is not lodged."""

    def list(self, status: str | None = None) -> list[Appeal]:
        """Every appeal (or those with ``status``), oldest lodged first."""


@dataclass
class _SubjectFacts:
    subject_id: str
    kind: SubjectKind | None = None
    subject_type: str | None = None
    enterprise_number: str | None = None
    partnership_id: str | None = None
    decided_at: datetime | None = None
    notice: Notice | None = None


class InMemoryAppealStore:
    def __init__(self) -> None:
        self.subjects: dict[str, _SubjectFacts] = {}
        self.appeals: dict[str, Appeal] = {}
        self.holders: dict[str, str] = {}  # subject_id -> appeal_id
        self.unannounced: dict[str, set[str]] = {}  # subject_id -> appeal ids
        self.references: dict[str, str] = {}  # DL-... -> subject_id

    def record_subject(self, subject_id, *, kind, subject_type, enterprise_number, partnership_id, decided_at) -> None:
        facts = self.subjects.setdefault(subject_id, _SubjectFacts(subject_id))
        facts.kind, facts.subject_type, facts.decided_at = kind, subject_type, decided_at
        facts.enterprise_number, facts.partnership_id = enterprise_number, partnership_id

    def record_notice(self, subject_id: str, notice: Notice) -> None:
        facts = self.subjects.setdefault(subject_id, _SubjectFacts(subject_id))
        facts.notice = facts.notice or notice

    def get_subject(self, subject_id: str) -> Subject | None:
        f = self.subjects.get(subject_id)
        if f is None or f.kind is None or f.subject_type is None or f.enterprise_number is None or f.decided_at is None:
            return None
        return Subject(
            f.subject_id, f.kind, f.subject_type, f.enterprise_number, f.partnership_id, f.decided_at, f.notice
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
        return sorted((self.appeals[i] for i in self.unannounced.get(subject_id, ())), key=lambda a: a.lodged_at)

    def announced(self, appeal: Appeal) -> None:
        self.unannounced.get(appeal.subject_id, set()).discard(appeal.appeal_id)

    def get(self, appeal_id: str) -> Appeal | None:
        return self.appeals.get(appeal_id)

    def save(self, appeal: Appeal, *, expected_status: str) -> None:
        current = self.appeals.get(appeal.appeal_id)
        if current is None or current.status != expected_status:
            raise stale(appeal.appeal_id)
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
