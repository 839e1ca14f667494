"""A review file: one routed application as the competent partnership handles it.

The file keeps the application exactly as filed (the snapshot on ApplicationRouted), what the
partnership asked and saw, and the one decision it takes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kernel.decision_term import decision_due_after, waits
from kernel.errors import Conflict
from kernel.events import ApplicationSnapshot

FileStatus = Literal["in_review", "approved", "refused", "withdrawn"]
FILE_STATUSES: tuple[str, ...] = ("in_review", "approved", "refused", "withdrawn")


class Question(BaseModel):
    model_config = ConfigDict(defer_build=True)

    question_id: str
    message: str
    asked_at: datetime
    asked_by: str


class Answer(BaseModel):
    model_config = ConfigDict(defer_build=True)

    message_id: str
    message: str
    answered_at: datetime


class SiteVisit(BaseModel):
    model_config = ConfigDict(defer_build=True)

    visit_id: str
    planned_for: date
    planned_at: datetime
    findings: str | None = None
    satisfactory: bool | None = None
    reported_at: datetime | None = None


class Decision(BaseModel):
    model_config = ConfigDict(defer_build=True)

    decision_id: str
    outcome: Literal["approved", "refused"]
    reasons: list[str] = []
    # The conditions of recognition a refusal finds not met (kernel.conditions codes).
    conditions_not_met: list[str] = []
    decided_at: datetime
    decided_by: str
    recognition_id: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    # False from the decision's write until its events are on the bus: a decision whose publishing
    # failed is announced again by the next request or timer that touches the file (an outbox flag).
    announced: bool = True


class AppealGrant(BaseModel):
    """What an upheld appeal against the refusal did: the recognition it granted, or why the
    ledger granted none (an exclusion runs, the key is recognised already, ...)."""
    model_config = ConfigDict(defer_build=True)


    appeal_id: str
    blocked: bool
    reason: str | None = None
    recognition_id: str | None = None


AppealStatus = Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
# An appeal only moves forward; events may arrive out of order (the ruling before the lodging).
_APPEAL_STEP = {"lodged": 0, "admissible": 1, "inadmissible": 1, "upheld": 2, "dismissed": 2}


class AppealOnFile(BaseModel):
    """The appeal against the file's decision, as far as the appeal service has told: its status,
    the outcome once ruled, and the recognition an upheld appeal granted (None if the ledger granted
    none: ``blocked``)."""
    model_config = ConfigDict(defer_build=True)


    appeal_id: str
    status: AppealStatus
    outcome: Literal["upheld", "dismissed"] | None = None
    lodged_at: datetime | None = None
    decided_at: datetime | None = None
    recognition_id: str | None = None
    blocked: bool = False

    def moved_to(self, status: AppealStatus, **update: object) -> AppealOnFile:
        """This appeal at ``status`` (never backwards), with ``update``'s fields that are set."""
        step = _APPEAL_STEP[status] >= _APPEAL_STEP[self.status]
        fields = {k: v for k, v in update.items() if v is not None}
        return self.model_copy(update={**fields, **({"status": status} if step else {})})


class QueueEntry(BaseModel):
    """What the work queue shows of a file, stored beside it so a queue reads no whole file."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    application_id: str
    partnership_id: str | None = None
    status: FileStatus
    kind: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    company_name: str | None = None
    submitted_at: datetime | None = None
    routed_at: datetime | None = None
    decision_due: date | None = None
    decision_term_paused: bool = False
    deadline_warned: bool = False
    deadline_missed: bool = False
    open_questions: int = 0
    decision: dict | None = None  # the decision without who took it
    appeal: AppealOnFile | None = None

    def is_open(self) -> bool:
        return self.status == "in_review"

    def days_left(self, today: date) -> int | None:
        """Days to the last day of the term, for an open file only: a decided file has none."""
        if not self.is_open() or self.decision_due is None:
            return None
        return (self.decision_due - today).days

    def is_overdue(self, today: date) -> bool | None:
        """Still undecided after its last day (or the missed-deadline timer has said so); never
        while the term stands still for a question. None for a file that is no longer open."""
        if not self.is_open():
            return None
        if self.decision_due is None or self.decision_term_paused:
            return False
        return self.deadline_missed or today > self.decision_due


class ReviewFile(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    application_id: str
    partnership_id: str | None = None
    status: FileStatus
    decision_due: date | None = None  # the last day for the decision, after any pause for questions
    term_due: date | None = None  # the last day as pinned at submission (decision_due without pauses)
    decision_term_paused: bool = False  # a question waits and the policy stops the term meanwhile
    routed_at: datetime | None = None
    application: ApplicationSnapshot | None = None  # None for a withdrawal seen before the routing
    routing: dict | None = None
    questions: list[Question] = []
    answers: list[Answer] = []
    site_visits: list[SiteVisit] = []
    deadline_warned: bool = False
    deadline_missed: bool = False
    decision: Decision | None = None
    appeal_recognition_id: str | None = None
    appeal_grant: AppealGrant | None = None
    appeal: AppealOnFile | None = None  # the appeal against the decision, once lodged
    purged_documents: dict[str, datetime] = {}  # document id -> when intake deleted its bytes

    # ------------------------------------------------------------------ reading
    def is_open(self) -> bool:
        return self.status == "in_review"

    def days_left(self, today: date) -> int | None:
        return None if self.decision_due is None else (self.decision_due - today).days

    def is_overdue(self, today: date) -> bool:
        """Still undecided after its last day (or the missed-deadline timer has said so); never
        while the term stands still for a question."""
        if not self.is_open() or self.decision_due is None or self.decision_term_paused:
            return False
        return self.deadline_missed or today > self.decision_due

    def queue_entry(self) -> QueueEntry | None:
        """None for a withdrawal seen before its routing (no application to show)."""
        app = self.application
        if app is None:
            return None
        return QueueEntry(
            application_id=self.application_id, partnership_id=self.partnership_id, status=self.status,
            kind=app.kind, enterprise_number=app.enterprise_number,
            establishment_number=app.establishment_number, training_code=app.training_code,
            company_name=app.company.name if app.company else None, submitted_at=app.submitted_at,
            routed_at=self.routed_at, decision_due=self.decision_due, decision_term_paused=self.decision_term_paused,
            deadline_warned=self.deadline_warned, deadline_missed=self.deadline_missed,
            open_questions=max(0, len(self.questions) - len(self.answers)),
            decision=self.decision.model_dump(mode="json", exclude={"decided_by"}) if self.decision else None,
            appeal=self.appeal,
        )

    def with_appeal(self, appeal_id: str, status: AppealStatus, **update: object) -> ReviewFile:
        """The file's appeal moved to ``status``; a second appeal against the same decision replaces a
        first that was inadmissible or dismissed, never one that is still running or upheld."""
        current = self.appeal
        if current is None or (current.appeal_id != appeal_id and current.status in ("inadmissible", "dismissed")):
            fields = {k: v for k, v in update.items() if v is not None}
            appeal = AppealOnFile.model_validate({"appeal_id": appeal_id, "status": status, **fields})
        elif current.appeal_id == appeal_id:
            appeal = current.moved_to(status, **update)
        else:
            return self
        return self if appeal == current else self.model_copy(update={"appeal": appeal})

    def visible_to(self, partnership_id: str | None, supervisor_id: str, today: date) -> bool:
        """The competent partnership sees its file; the supervising partnership (the VPDL) also
        sees every file whose deadline was missed."""
        if partnership_id is None or self.application is None:
            return False
        if self.partnership_id == partnership_id:
            return True
        return partnership_id == supervisor_id and self.is_overdue(today)

    def handled_by(self, partnership_id: str | None) -> bool:
        return self.application is not None and partnership_id is not None and self.partnership_id == partnership_id

    def visit(self, visit_id: str) -> SiteVisit | None:
        return next((v for v in self.site_visits if v.visit_id == visit_id), None)

    # ------------------------------------------------------------------ changes
    def require_open(self) -> None:
        """Raises Conflict when the file is decided or withdrawn."""
        if self.status == "withdrawn":
            raise Conflict("The application was withdrawn.")
        if self.status != "in_review":
            raise Conflict("The application has already been decided.")

    def with_term(self, pause_during_questions: bool, day_kind: str) -> ReviewFile:
        """decision_due after the waits for answers (kernel.decision_term), when the policy pauses
        the term; a due date that moves is warned about and missed afresh."""
        if not pause_during_questions or self.decision_due is None:
            return self
        term = self.term_due or self.decision_due
        question_waits = waits([q.asked_at for q in self.questions], [a.answered_at for a in self.answers])
        due, paused = decision_due_after(term, question_waits, day_kind)
        update: dict = {"term_due": term, "decision_due": due, "decision_term_paused": paused and self.is_open()}
        if due != self.decision_due:
            update |= {"deadline_warned": False, "deadline_missed": False}
        return self.model_copy(update=update)

    def with_question(self, question: Question) -> ReviewFile:
        return self.model_copy(update={"questions": [*self.questions, question]})

    def with_answer(self, answer: Answer) -> ReviewFile:
        if any(a.message_id == answer.message_id for a in self.answers):
            return self
        return self.model_copy(update={"answers": [*self.answers, answer]})

    def with_visit(self, visit: SiteVisit) -> ReviewFile:
        return self.model_copy(update={"site_visits": [*self.site_visits, visit]})

    def with_report(self, visit_id: str, findings: str, satisfactory: bool, at: datetime) -> ReviewFile:
        """Raises Conflict when the visit was already reported."""
        visits = []
        for v in self.site_visits:
            if v.visit_id == visit_id:
                if v.reported_at is not None:
                    raise Conflict("This site visit has already been reported.")
                v = v.model_copy(update={"findings": findings, "satisfactory": satisfactory, "reported_at": at})
            visits.append(v)
        return self.model_copy(update={"site_visits": visits})

    def decided(self, decision: Decision) -> ReviewFile:
        return self.model_copy(update={"decision": decision, "status": decision.outcome, "decision_term_paused": False})

    def with_documents_purged(self, document_ids: list[str], at: datetime) -> ReviewFile:
        new = {i: at for i in document_ids if i not in self.purged_documents}
        return self.model_copy(update={"purged_documents": {**self.purged_documents, **new}}) if new else self

    def withdrawn(self) -> ReviewFile:
        if self.status != "in_review":
            return self
        return self.model_copy(update={"status": "withdrawn", "decision_term_paused": False})
