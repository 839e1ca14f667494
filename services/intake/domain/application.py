"""The application aggregate: a draft the company fills in, submits, and then follows.

Statuses only move forward (draft -> submitted -> in_review -> approved | refused | withdrawn), so
bus events that arrive out of order never drag an application back. Each change appends a
history entry; entries caused by an event carry its id, so applying the event twice adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from intake.domain.fields import INVALID_NATIONAL_REGISTER_NUMBER
from intake.domain.national_register import is_national_register_number
from kernel.calendar import local_date
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
# Documents about one mentor: each counts for the mentor it names, never for the others.
PER_MENTOR_DOCUMENTS = ("criminal_record_extract", "derogation_proof")


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)


class DocumentRecord(_Record):
    id: str
    type: str
    filename: str
    content_type: str
    size_bytes: int
    # The mentor it belongs to (Mentor.mentor_id), resolved from mentor_index at upload; a
    # document whose mentor was taken off the list belongs to nobody listed and counts for none.
    mentor_id: str | None = None
    # Only read from drafts stored before mentor ids (their index at upload); cleared on load.
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
    # The question it answers; None on answers stored before answers named their question.
    question_id: str | None = None


AppealStatus = Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
_APPEAL_RANK = {"lodged": 0, "admissible": 1, "inadmissible": 2, "upheld": 2, "dismissed": 2}


class AppealRecord(_Record):
    """The company's appeal against this application's refusal, as the appeal service announced it."""

    appeal_id: str
    status: AppealStatus = "lodged"
    lodged_at: datetime | None = None
    # upheld: the company won (the refusal becomes a recognition from the appeal decision date);
    # dismissed: the refusal stands. None until decided.
    outcome: Literal["upheld", "dismissed"] | None = None
    reasons: list[str] = []
    decided_at: datetime | None = None


class Decision(_Record):
    decision_id: str
    outcome: Literal["approved", "refused"]
    decided_at: datetime
    reasons: list[str] = []
    conditions_not_met: list[str] = []  # the conditions of recognition a refusal finds not met (codes)


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
    # The last mentor number given (mentor ids m1, m2, ... are never reused in an application).
    mentor_serial: int = 0
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
    appeal: AppealRecord | None = None
    history: list[HistoryEntry] = []

    @model_validator(mode="after")
    def _identify_mentors(self) -> Application:
        """Give every mentor without an id the next one, and a document stored before mentor ids
        (an index) the id of the mentor at that index, unless the mentors changed since its upload:
        then who it was for is unknown and it belongs to nobody listed."""
        if any(m.mentor_id is None for m in self.mentors):
            identified = []
            for mentor in self.mentors:
                if mentor.mentor_id is None:
                    self.mentor_serial += 1
                    mentor = mentor.model_copy(update={"mentor_id": f"m{self.mentor_serial}"})
                identified.append(mentor)
            self.mentors = identified
        for document in self.documents:
            if document.mentor_index is not None:
                if document.mentor_id is None:
                    index, changed = document.mentor_index, self._mentors_changed_since(document.registered_at)
                    known = index < len(self.mentors) and not changed
                    document.mentor_id = self.mentors[index].mentor_id if known else f"unknown-{document.id}"
                document.mentor_index = None
        return self

    def _mentors_changed_since(self, at: datetime) -> bool:
        # History instants are whole seconds: a change in the same second counts as later.
        return any(
            h.what == "changed" and "mentors" in h.details.get("fields", []) and h.at >= at.replace(microsecond=0)
            for h in self.history
        )

    # ------------------------------------------------------------------ commands
    @classmethod
    def start(cls, application_id: str, fields: dict[str, Any], actor: Actor, now: datetime) -> Application:
        """A new draft from a validated CreateApplication dump. Raises RuleViolation (cross-field rules)."""
        content = _content(fields)
        content["mentors"] = [{**m, "mentor_id": None} for m in content["mentors"]]  # ids are intake's to give
        app = cls.model_validate(
            {**content, "id": application_id, "filed_by": actor, "created_at": now, "updated_at": now}
        )
        app._check_draft(local_date(now))
        app._log(now, _who(actor), "created", {"on_behalf_of": app.enterprise_number})
        return app

    def change(self, patch: dict[str, Any], actor: Actor, now: datetime) -> None:
        """Apply a JSON merge patch of a draft. Raises Conflict after submission, RuleViolation
        when the patch clears a field a draft needs."""
        self._require_draft("changed")
        cleared = [
            FieldError(f, "required", "A draft needs this field.")
            for f in DRAFT_REQUIRED
            if f in patch and patch[f] is None
        ]
        if cleared:
            raise RuleViolation("A draft needs these fields.", cleared)
        merged = merge_patch(self.model_dump(mode="json", include=_EDITABLE), patch)
        if patch.get("mentors") is not None:
            merged["mentors"] = same_mentors(self.mentors, merged["mentors"])
        updated = self.model_validate({**self.model_dump(), **_content({n: merged.get(n) for n in _EDITABLE})})
        updated._check_draft(local_date(now))
        for name in (*_EDITABLE, "mentor_serial"):
            setattr(self, name, getattr(updated, name))
        self.updated_at = now
        self._log(now, _who(actor), "changed", {"fields": sorted(patch)})

    def register_document(
        self, document: DocumentRecord, actor: Actor, now: datetime, *, mentor_index: int | None = None
    ) -> DocumentRecord:
        """Register ``document`` for the mentor at ``mentor_index`` (or the one ``document.mentor_id``
        names), stored with that mentor's id. Raises Conflict after submission, RuleViolation for
        too many documents or a mentor that is missing or not listed."""
        self._require_draft("given documents")
        if len(self.documents) >= MAX_DOCUMENTS:
            raise RuleViolation(
                f"An application holds at most {MAX_DOCUMENTS} documents.",
                [FieldError("documents", "too_many", f"At most {MAX_DOCUMENTS} documents.")],
            )
        mentor_id = self._mentor_for(document.type, mentor_index, document.mentor_id)
        document = document.model_copy(update={"mentor_id": mentor_id, "mentor_index": None})
        self.documents.append(document)
        self.updated_at = now
        self._log(now, _who(actor), "document_registered",
                  {"document_id": document.id, "type": document.type, "mentor_id": mentor_id})
        return document

    def mentor_index(self, mentor_id: str | None) -> int | None:
        """Where the mentor with ``mentor_id`` stands in the list now; None when not listed."""
        return next((i for i, m in enumerate(self.mentors) if mentor_id and m.mentor_id == mentor_id), None)

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
        """Raises Conflict once decided or already withdrawn, RuleViolation when an intermediary
        withdraws a submitted application that carries no mandate."""
        if self.status in DECIDED or self.status == "withdrawn":
            raise Conflict(f"The application is {self.status}; it can no longer be withdrawn.")
        if self.status != "draft":
            self._require_mandate(actor)
        self.status = "withdrawn"
        self.decision_term_paused = False
        self.withdrawn_at = now
        self.updated_at = now
        self._log(now, _who(actor), "withdrawn")

    def open_questions(self) -> list[Question]:
        """The partnership's questions not answered yet, oldest first. An answer stored before
        answers named their question answers the oldest question still open when it was given."""
        named = {a.question_id for a in self.messages if a.question_id}
        unnamed = sorted(a.answered_at for a in self.messages if not a.question_id)
        still_open = []
        for question in sorted(self.questions, key=lambda q: q.asked_at):
            if question.question_id in named:
                continue
            if unnamed and unnamed[0] >= question.asked_at:
                unnamed.pop(0)
                continue
            still_open.append(question)
        return still_open

    def answer(self, message_id: str, question_id: str, message: str, actor: Actor, now: datetime) -> None:
        """Raises Conflict (state, in CONTRACT.md's order before the body: 409) before routing, once
        closed, with no open question, or for a question already answered; RuleViolation (422) for a
        question_id this application was never asked, or past the message limit."""
        if self.status != "in_review" or not self.partnership_id:
            raise Conflict("Messages go to the partnership once the application is routed and under review.")
        open_ids = [q.question_id for q in self.open_questions()]
        if not open_ids:
            raise Conflict("The partnership has no open question on this application; there is nothing to answer.")
        if question_id not in open_ids:
            if any(q.question_id == question_id for q in self.questions):
                raise Conflict(f"Question {question_id} has been answered already; open questions: "
                               f"{', '.join(open_ids)}.")
            raise RuleViolation("question_id names no question on this application.", [FieldError(
                "question_id", "unknown_question", f"Answer one of the open questions: {', '.join(open_ids)}.")])
        if len(self.messages) >= MAX_MESSAGES:
            raise RuleViolation(f"At most {MAX_MESSAGES} messages per application.")
        self._require_mandate(actor)
        self.messages.append(Answer(message_id=message_id, message=message, answered_at=now, answered_by=actor,
                                    question_id=question_id))
        self.updated_at = now
        self._log(now, _who(actor), "question_answered", {"message_id": message_id, "question_id": question_id})
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

    def site_visit_planned(
        self, partnership_id: str, visit_id: str, planned_for: date, at: datetime, event_id: str
    ) -> bool:
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

    def appeal_lodged(self, appeal_id: str, status: str, lodged_at: datetime, event_id: str) -> bool:
        """AppealLodged against this application's decision (inadmissible at once when late or unmotivated)."""
        if self._seen(event_id):
            return False
        record = self._appeal(appeal_id)
        record.lodged_at = lodged_at
        self._appeal_status(record, "inadmissible" if status == "inadmissible" else "lodged")
        self._log(lodged_at, {"role": "employer"}, "appeal_lodged", {"appeal_id": appeal_id, "status": status},
                  event_id)
        return True

    def appeal_admissibility(self, appeal_id: str, admissible: bool, reasons: list[str], at: datetime,
                             event_id: str) -> bool:
        if self._seen(event_id):
            return False
        record = self._appeal(appeal_id)
        self._appeal_status(record, "admissible" if admissible else "inadmissible")
        if not admissible:
            record.reasons = list(reasons)
        self._log(at, {"role": "appeals"}, "appeal_admissibility_decided",
                  {"appeal_id": appeal_id, "admissible": admissible, "reasons": list(reasons)}, event_id)
        return True

    def appeal_decided(self, appeal_id: str, outcome: Literal["upheld", "dismissed"], reasons: list[str],
                       at: datetime, event_id: str) -> bool:
        if self._seen(event_id):
            return False
        record = self._appeal(appeal_id)
        self._appeal_status(record, outcome)
        record.outcome, record.reasons, record.decided_at = outcome, list(reasons), at
        self._log(at, {"role": "appeals"}, "appeal_decided",
                  {"appeal_id": appeal_id, "outcome": outcome, "reasons": list(reasons)}, event_id)
        return True

    def recognised_on_appeal(self, appeal_id: str, recognition_id: str, at: datetime, event_id: str) -> bool:
        """The recognition review granted after the upheld appeal. ``status`` stays the partnership's
        decision (refused); ``recognition_id`` and ``appeal`` say what the appeal changed."""
        if self._seen(event_id):
            return False
        self._appeal(appeal_id)
        self.recognition_id = recognition_id
        self._log(at, {"role": "review"}, "recognised_on_appeal",
                  {"appeal_id": appeal_id, "recognition_id": recognition_id}, event_id)
        return True

    def _appeal(self, appeal_id: str) -> AppealRecord:
        # One appeal per decision (the appeal service refuses a second while one holds it); a new
        # appeal after an inadmissible one replaces it.
        if self.appeal is None or self.appeal.appeal_id != appeal_id:
            if self.appeal is None or self.appeal.status == "inadmissible":
                self.appeal = AppealRecord(appeal_id=appeal_id)
            else:
                return AppealRecord(appeal_id=appeal_id)  # not ours to show: the current appeal stays
        return self.appeal

    @staticmethod
    def _appeal_status(record: AppealRecord, status: AppealStatus) -> None:
        # Events arrive in any order: the status only moves forward.
        if _APPEAL_RANK[status] >= _APPEAL_RANK[record.status]:
            record.status = status

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
            documents=[DocumentRef.model_validate({**d.model_dump(), "mentor_index": self.mentor_index(d.mentor_id)})
                       for d in self.documents],
            filed_by=self.filed_by,
            submitted_at=self.submitted_at,
            decision_due=self.decision_due,
            policy_version=self.policy_version,
            policy=self.policy,
        )

    def acted_on_by_intermediary(self) -> bool:
        """Whether an intermediary took any step on this application (created, changed, uploaded,
        submitted): the company's mandate must then be filed with it (policy required_documents)."""
        return any(h.actor.get("role") == "intermediary" for h in self.history)

    # ------------------------------------------------------------------ internals
    def _mentor_for(self, doc_type: str, index: int | None, mentor_id: str | None) -> str | None:
        """The id of the mentor a new document names by index or by id. Raises RuleViolation."""
        field = "mentor_id" if mentor_id is not None and index is None else "mentor_index"
        if index is not None and index >= len(self.mentors):
            raise RuleViolation(
                "No mentor at this index.",
                [FieldError("mentor_index", "no_such_mentor", f"The application lists {len(self.mentors)} mentor(s).")],
            )
        if mentor_id is not None and self.mentor_index(mentor_id) is None:
            raise RuleViolation(
                "No mentor with this id.", [FieldError("mentor_id", "no_such_mentor", "Not a listed mentor.")]
            )
        if index is not None and mentor_id is not None and self.mentors[index].mentor_id != mentor_id:
            raise RuleViolation("mentor_index and mentor_id name different mentors.",
                                [FieldError(field, "mentor_mismatch", "Name the mentor once, or twice the same.")])
        resolved = self.mentors[index].mentor_id if index is not None else mentor_id
        if doc_type in PER_MENTOR_DOCUMENTS and resolved is None:
            raise RuleViolation(
                f"A {doc_type} belongs to one mentor.",
                [FieldError("mentor_index", "required", "Name the mentor (index in mentors) this document is for.")],
            )
        return resolved

    def _require_mandate(self, actor: Actor) -> None:
        """An intermediary acts on a submitted application only with the company's mandate in the
        file: documents can no longer be added, so without it the company acts itself."""
        if actor.role == "intermediary" and not any(d.type == "mandate" for d in self.documents):
            raise RuleViolation(
                "An intermediary acts for the company only with its signed mandate in the application.",
                [FieldError("documents.mandate", "missing_document",
                            "The application holds no mandate; the company itself can take this step.")],
            )
    def _pinned(self, name: str) -> Any:
        return ((self.policy or {}).get("values") or {}).get(name)

    def _follow_term(self, at: datetime) -> None:
        """decision_due after the waits for answers, as review computes it (kernel.decision_term),
        when the pinned policy pauses the term during questions."""
        # Whatever the status: a QuestionAsked that arrives after the decision still moved review's date.
        if not self._pinned("pause_during_questions") or self.term_due is None:
            return
        question_waits = waits([q.asked_at for q in self.questions], [m.answered_at for m in self.messages])
        due, paused = decision_due_after(
            self.term_due, question_waits, self._pinned("decision_term_day_kind") or "calendar"
        )
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
        # The check digits alone may decode a date after today (the 2000+ rule): no such person.
        if mentor.national_register_number and not is_national_register_number(mentor.national_register_number, today):
            errors.append(FieldError(f"mentors[{i}].national_register_number", "invalid_national_register_number",
                                     INVALID_NATIONAL_REGISTER_NUMBER))
        if mentor.extract_issued_on and mentor.extract_issued_on > today:
            errors.append(
                FieldError(
                    f"mentors[{i}].extract_issued_on", "in_future", "The extract cannot be issued in the future."
                )
            )
    return errors


def same_mentors(listed: list[Mentor], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The new mentor list with each mentor that is a listed person keeping its id, so that its
    documents stay its own. The national register number decides who is who; where one side has
    none, the echoed mentor_id, then the same first and last name, tell. Everyone else is new."""
    unclaimed = list(listed)
    ids: list[str | None] = [None] * len(given)

    def differ(m: Mentor, number: str | None) -> bool:  # two numbers that say: another person
        return bool(number and m.national_register_number and m.national_register_number != number)

    rules = (
        lambda m, g: (
            bool(g.get("national_register_number")) and m.national_register_number == g["national_register_number"]
        ),
        lambda m, g: (
            bool(g.get("mentor_id"))
            and m.mentor_id == g["mentor_id"]
            and not differ(m, g.get("national_register_number"))
        ),
        lambda m, g: (
            not (g.get("national_register_number") and m.national_register_number)
            and _name(m.first_name, m.last_name) == _name(g.get("first_name"), g.get("last_name"))
        ),
    )
    for rule in rules:  # a pass per rule, so a number match is never taken by a name match first
        for i, mentor in enumerate(given):
            found = None if ids[i] else next((m for m in unclaimed if rule(m, mentor)), None)
            if found is not None:
                unclaimed.remove(found)
                ids[i] = found.mentor_id
    return [{**mentor, "mentor_id": ids[i]} for i, mentor in enumerate(given)]


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".casefold().strip()


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
