"""The application aggregate: a draft the company fills in, submits, and then follows.

Statuses only move forward (draft -> submitted -> in_review -> approved | refused | withdrawn), so
bus events that arrive out of order never drag an application back. Each change appends a
history entry; entries caused by an event carry its id, so applying the event twice adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kernel.decision_term import decision_due_after, waits
from kernel.errors import Conflict, FieldError, NotFound, RuleViolation
from kernel.events import Actor, ApplicationSnapshot, Company, Contact, Declarations, DocumentRef, Mentor

Status = Literal["draft", "submitted", "in_review", "approved", "refused", "withdrawn"]
_RANK = {"draft": 0, "submitted": 1, "in_review": 2, "approved": 3, "refused": 3, "withdrawn": 3}
OPEN = ("submitted", "in_review")
DECIDED = ("approved", "refused")
MAX_DOCUMENTS = 60
MAX_MESSAGES = 100
DRAFT_REQUIRED = ("establishment_number", "training_code", "kind")


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DocumentRecord(_Record):
    id: str
    type: str
    filename: str
    content_type: str
    size_bytes: int
    mentor_index: int | None = None
    bucket: str
    key: str
    registered_at: datetime
    sha256: str | None = None
    version_id: str | None = None
    verified_at: datetime | None = None
    # Set once the retention job deleted the stored bytes (intake.domain.retention).
    purged_at: datetime | None = None


class HistoryEntry(_Record):
    at: datetime
    actor: dict[str, str]
    what: str
    details: dict[str, Any] = {}
    event_id: str | None = None


class Question(_Record):
    question_id: str
    partnership_id: str
    message: str
    asked_at: datetime


class Answer(_Record):
    message_id: str
    message: str
    answered_at: datetime
    answered_by: Actor


class Decision(_Record):
    decision_id: str
    outcome: Literal["approved", "refused"]
    decided_at: datetime
    reasons: list[str] = []


class Application(_Record):
    id: str
    status: Status = "draft"
    version: int = 0
    enterprise_number: str
    establishment_number: str
    training_code: str
    kind: Literal["new", "renewal"]
    renews_recognition_id: str | None = None
    company: Company | None = None
    contact: Contact | None = None
    mentors: list[Mentor] = []
    declarations: Declarations | None = None
    documents: list[DocumentRecord] = []
    filed_by: Actor
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    submitted_by: Actor | None = None
    decision_due: date | None = None  # after any pause for questions (kernel.decision_term)
    term_due: date | None = None  # as pinned at submission
    decision_term_paused: bool = False
    partnership_id: str | None = None
    policy_version: str | None = None
    policy: dict[str, Any] | None = None
    decision: Decision | None = None
    recognition_id: str | None = None
    withdrawn_at: datetime | None = None
    questions: list[Question] = []
    messages: list[Answer] = []
    history: list[HistoryEntry] = []

    # ------------------------------------------------------------------ commands
    @classmethod
    def start(cls, application_id: str, fields: dict[str, Any], actor: Actor, now: datetime) -> Application:
        """A new draft from a validated CreateApplication dump. Raises RuleViolation (cross-field rules)."""
        app = cls.model_validate(
            {**_content(fields), "id": application_id, "filed_by": actor, "created_at": now, "updated_at": now}
        )
        app._check_draft(now.date())
        app._log(now, _who(actor), "created", {"on_behalf_of": app.enterprise_number})
        return app

    def change(self, patch: dict[str, Any], actor: Actor, now: datetime) -> None:
        """Apply a JSON merge patch of a draft. Raises Conflict after submission, RuleViolation
        when the patch clears a field a draft needs."""
        self._require_draft("changed")
        cleared = [FieldError(f, "required", "A draft needs this field.") for f in DRAFT_REQUIRED if f in patch and patch[f] is None]
        if cleared:
            raise RuleViolation("A draft needs these fields.", cleared)
        merged = merge_patch(self.model_dump(mode="json", include=_EDITABLE), patch)
        updated = self.model_validate({**self.model_dump(), **_content({n: merged.get(n) for n in _EDITABLE})})
        updated._check_draft(now.date())
        for name in _EDITABLE:
            setattr(self, name, getattr(updated, name))
        self.updated_at = now
        self._log(now, _who(actor), "changed", {"fields": sorted(patch)})

    def register_document(self, document: DocumentRecord, actor: Actor, now: datetime) -> None:
        """Raises Conflict after submission, RuleViolation for too many documents or a bad mentor_index."""
        self._require_draft("given documents")
        if len(self.documents) >= MAX_DOCUMENTS:
            raise RuleViolation(
                f"An application holds at most {MAX_DOCUMENTS} documents.",
                [FieldError("documents", "too_many", f"At most {MAX_DOCUMENTS} documents.")],
            )
        index = document.mentor_index
        if document.type == "criminal_record_extract" and index is None:
            raise RuleViolation(
                "A criminal-record extract belongs to one mentor.",
                [FieldError("mentor_index", "required", "Name the mentor (index in mentors) this extract is for.")],
            )
        if index is not None and index >= len(self.mentors):
            raise RuleViolation(
                "No mentor at this index.",
                [FieldError("mentor_index", "no_such_mentor", f"The application lists {len(self.mentors)} mentor(s).")],
            )
        self.documents.append(document)
        self.updated_at = now
        self._log(now, _who(actor), "document_registered", {"document_id": document.id, "type": document.type})

    def remove_document(self, document_id: str, actor: Actor, now: datetime) -> DocumentRecord:
        """Drop a document slot (a wrong file, an upload URL that expired). Raises Conflict after
        submission, NotFound for an unknown document."""
        self._require_draft("changed")
        document = next((d for d in self.documents if d.id == document_id), None)
        if document is None:
            raise NotFound("No such document.")
        self.documents.remove(document)
        self.updated_at = now
        self._log(now, _who(actor), "document_removed", {"document_id": document.id, "type": document.type})
        return document

    def mark_submitted(
        self, *, actor: Actor, now: datetime, decision_due: date, policy: dict[str, Any], verified: list[DocumentRecord]
    ) -> None:
        self._require_draft("submitted")
        self.status = "submitted"
        self.submitted_at = now
        self.submitted_by = actor
        self.decision_due = decision_due
        self.term_due = decision_due
        self.policy = policy
        self.policy_version = str(policy.get("version"))
        self.documents = verified
        self.updated_at = now
        self._log(now, _who(actor), "submitted", {"decision_due": decision_due.isoformat()})

    def withdraw(self, actor: Actor, now: datetime) -> None:
        """Raises Conflict once decided or already withdrawn."""
        if self.status in DECIDED or self.status == "withdrawn":
            raise Conflict(f"The application is {self.status}; it can no longer be withdrawn.")
        self.status = "withdrawn"
        self.decision_term_paused = False
        self.withdrawn_at = now
        self.updated_at = now
        self._log(now, _who(actor), "withdrawn")

    def answer(self, message_id: str, message: str, actor: Actor, now: datetime) -> None:
        """Raises Conflict before routing or once closed, RuleViolation past the message limit."""
        if self.status != "in_review" or not self.partnership_id:
            raise Conflict("Messages go to the partnership once the application is routed and under review.")
        if len(self.messages) >= MAX_MESSAGES:
            raise RuleViolation(f"At most {MAX_MESSAGES} messages per application.")
        self.messages.append(Answer(message_id=message_id, message=message, answered_at=now, answered_by=actor))
        self.updated_at = now
        self._log(now, _who(actor), "question_answered", {"message_id": message_id})
        self._follow_term(now)

    # ------------------------------------------------------------------ what the bus tells us
    def routed(self, partnership_id: str, decision_due: date, at: datetime, event_id: str) -> bool:
        if self._seen(event_id):
            return False
        self.partnership_id = self.partnership_id or partnership_id
        self.term_due = decision_due  # routing carries the due date pinned at submission
        self.decision_due = decision_due
        self._advance("in_review")
        self._log(at, {"role": "routing"}, "routed", {"partnership_id": partnership_id}, event_id)
        self._follow_term(at)
        return True

    def question_asked(self, question: Question, event_id: str) -> bool:
        if self._seen(event_id):
            return False
        self.partnership_id = self.partnership_id or question.partnership_id
        self.questions.append(question)
        self._log(question.asked_at, _partnership(question.partnership_id), "question_asked",
                  {"question_id": question.question_id, "message": question.message}, event_id)
        self._follow_term(question.asked_at)
        return True

    def site_visit_planned(self, partnership_id: str, visit_id: str, planned_for: date, at: datetime, event_id: str) -> bool:
        if self._seen(event_id):
            return False
        self._log(at, _partnership(partnership_id), "site_visit_planned",
                  {"visit_id": visit_id, "planned_for": planned_for.isoformat()}, event_id)
        return True

    def decided(self, decision: Decision, partnership_id: str, recognition_id: str | None, event_id: str) -> bool:
        if self._seen(event_id):
            return False
        self.partnership_id = self.partnership_id or partnership_id
        self.decision = decision
        self.recognition_id = recognition_id or self.recognition_id
        self.decision_term_paused = False
        if self.status == "withdrawn":
            # The partnership decided before the withdrawal reached it: review keeps its decision
            # (the notice goes out), so the company's view shows it too; the history keeps both.
            self.status = decision.outcome
        self._advance(decision.outcome)
        self._log(decision.decided_at, _partnership(partnership_id), "decision_recorded",
                  {"decision_id": decision.decision_id, "outcome": decision.outcome}, event_id)
        return True

    def documents_purged(self, document_ids: list[str], actor: dict[str, str], at: datetime, event_id: str) -> bool:
        """Mark documents whose bytes were deleted; False when there is nothing new to mark."""
        purged = [d for d in self.documents if d.id in document_ids and d.purged_at is None]
        if self._seen(event_id) or not purged:
            return False
        for document in purged:
            document.purged_at = at
        self._log(at, actor, "documents_purged",
                  {"document_ids": [d.id for d in purged], "types": sorted({d.type for d in purged})}, event_id)
        return True

    # ------------------------------------------------------------------ views
    def key(self) -> tuple[str, str, str]:
        return (self.enterprise_number, self.establishment_number, self.training_code)

    def snapshot(self) -> ApplicationSnapshot:
        """The application as filed, for ApplicationSubmitted (full mentor data: the bus is encrypted)."""
        if self.submitted_at is None or self.decision_due is None:
            raise ValueError("only a submitted application has a snapshot")
        return ApplicationSnapshot(
            application_id=self.id,
            enterprise_number=self.enterprise_number,
            establishment_number=self.establishment_number,
            training_code=self.training_code,
            kind=self.kind,
            renews_recognition_id=self.renews_recognition_id,
            company=self.company,
            contact=self.contact,
            mentors=self.mentors,
            declarations=self.declarations,
            documents=[DocumentRef.model_validate(d.model_dump()) for d in self.documents],
            filed_by=self.filed_by,
            submitted_at=self.submitted_at,
            decision_due=self.decision_due,
            policy_version=self.policy_version,
            policy=self.policy,
        )

    # ------------------------------------------------------------------ internals
    def _pinned(self, name: str) -> Any:
        return ((self.policy or {}).get("values") or {}).get(name)

    def _follow_term(self, at: datetime) -> None:
        """decision_due after the waits for answers, as review computes it (kernel.decision_term),
        when the pinned policy pauses the term during questions."""
        # Whatever the status: a QuestionAsked that arrives after the decision still moved review's date.
        if not self._pinned("pause_during_questions") or self.term_due is None:
            return
        question_waits = waits([q.asked_at for q in self.questions], [m.answered_at for m in self.messages])
        due, paused = decision_due_after(self.term_due, question_waits, self._pinned("decision_term_day_kind") or "calendar")
        self.decision_term_paused = paused and self.status in OPEN
        if due != self.decision_due:
            self._log(at, {"role": "system"}, "decision_due_moved",
                      {"from": self.decision_due.isoformat() if self.decision_due else None, "to": due.isoformat()})
            self.decision_due = due

    def _require_draft(self, what: str) -> None:
        if self.status != "draft":
            raise Conflict(f"The application is {self.status}; only a draft can be {what}.")

    def _check_draft(self, today: date) -> None:
        errors = draft_errors(self, today)
        if errors:
            raise RuleViolation("Some fields are missing or invalid.", errors)

    def _advance(self, status: Status) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status

    def _seen(self, event_id: str) -> bool:
        return any(h.event_id == event_id for h in self.history)

    def _log(self, at: datetime, actor: dict[str, str], what: str, details: dict[str, Any] | None = None,
             event_id: str | None = None) -> None:
        # Whole seconds, as the bus carries instants: the timeline sorts stably on them, so an
        # event and a local step within the same second stay in the order they were recorded.
        at = at.replace(microsecond=0)
        self.history.append(HistoryEntry(at=at, actor=actor, what=what, details=details or {}, event_id=event_id))


_EDITABLE = {
    "establishment_number", "training_code", "kind", "renews_recognition_id",
    "company", "contact", "mentors", "declarations",
}


def draft_errors(app: Application, today: date) -> list[FieldError]:
    """Rules across fields that hold for a draft already."""
    errors: list[FieldError] = []
    if app.kind == "renewal" and not app.renews_recognition_id:
        errors.append(FieldError("renews_recognition_id", "required", "A renewal names the recognition it renews."))
    if app.kind == "new" and app.renews_recognition_id:
        errors.append(FieldError("renews_recognition_id", "not_allowed", "Only a renewal names a recognition."))
    for i, mentor in enumerate(app.mentors):
        if mentor.extract_issued_on and mentor.extract_issued_on > today:
            errors.append(FieldError(f"mentors[{i}].extract_issued_on", "in_future", "The extract cannot be issued in the future."))
    return errors


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def _content(fields: dict[str, Any]) -> dict[str, Any]:
    content = dict(fields)
    if content.get("mentors") is None:
        content["mentors"] = []
    return content


def _who(actor: Actor) -> dict[str, str]:
    return {"sub": actor.sub, "role": actor.role}


def _partnership(partnership_id: str) -> dict[str, str]:
    return {"role": "partnership", "partnership_id": partnership_id}
