"""The ports the appeal use cases work through: the store's Protocol (DynamoDB in
adapters/dynamo.py, the fake in adapters/memory.py, both held to the same contract tests), the
Ports bundle bootstrap.py fills, and the one stale-write exception."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from appeal.domain.appeals import Appeal
from appeal.domain.subjects import Notice, Subject, SubjectKind
from kernel.errors import Conflict
from kernel.idempotency_keys import IdempotencyKeys
from kernel.processed import ProcessedEvents
from kernel.publisher import EventPublisher
from kernel.timers import Timers

SOURCE = "appeal"
SUBJECT_TAKEN = "An appeal against this decision or measure is already open or has been decided."


class StaleWrite(Conflict):
    """The appeal was changed by someone else since it was read (409 at the HTTP edge)."""

    def __init__(self, appeal_id: str) -> None:
        super().__init__(f"Appeal {appeal_id} was changed by someone else at the same time; reload it and retry.")
        self.appeal_id = appeal_id


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
        reference: str | None = None,
        mark_event: bool = False,
    ) -> None:
        """Remember a decision or measure; repeating it changes nothing. ``reference``: also
        record_reference(reference, subject_id), in the same write. ``mark_event``: in one
        transaction with the idempotency marker of the event being handled
        (kernel.processed.write_marked; raises AlreadyProcessed when it is written already)."""

    def record_notice(self, subject_id: str, notice: Notice, *, mark_event: bool = False) -> None:
        """Remember the notice of a subject; the first notice recorded wins, in any event order.
        ``mark_event`` as for record_subject."""

    def record_undelivered(self, subject_id: str, notice_id: str, *, mark_event: bool = False) -> None:
        """Remember that a notice of the subject did not reach the company (any event order; a
        repeat changes nothing). ``mark_event`` as for record_subject."""

    def get_subject(self, subject_id: str) -> Subject | None:
        """The subject with its notice, or None while its decision or measure is not known."""

    def record_reference(self, reference: str, subject_id: str) -> None:
        """Remember which decision or measure a readable reference (DL-...) names; the first stays."""

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
        StaleWrite when the stored status is no longer ``expected_status``."""

    def flag_acknowledgement_overdue(self, appeal_id: str) -> bool:
        """Mark a still-lodged appeal as overdue for acknowledgement; False when it is not lodged."""

    def list(self, status: str | None = None) -> list[Appeal]:
        """Every appeal (or those with ``status``), oldest lodged first."""

    def for_enterprise(self, enterprise_number: str) -> builtins.list[Appeal]:  # the class has its own list
        """The appeals lodged by one company, oldest lodged first."""


@dataclass(frozen=True)
class Ports:
    store: AppealStore
    publisher: EventPublisher
    timers: Timers
    keys: IdempotencyKeys
    processed: ProcessedEvents
