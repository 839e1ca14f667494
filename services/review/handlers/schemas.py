"""Response bodies of the review routes (the partnership's back office and the public register), for the
OpenAPI document only (see intake/handlers/schemas.py): services/apidocs turns MODELS into components."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.conditions import CONDITION_DESCRIPTION, ConditionCode

FileStatus = Literal["submitted", "in_review", "approved", "refused", "withdrawn"]
RecognitionStatus = Literal["active", "scheduled", "expired", "revoked"]
RECOGNITION_STATUS_TEXT = (
    "active (valid today), scheduled (a renewal that has not started yet), expired (past valid_until), "
    "revoked (by a revocation measure)."
)


class _View(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


class FileDecision(_View):
    decision_id: str
    outcome: Literal["approved", "refused"]
    reasons: list[str] = []
    conditions_not_met: list[ConditionCode] = Field([], description=CONDITION_DESCRIPTION)
    decided_at: datetime
    recognition_id: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class QueueAppeal(_View):
    """The appeal against the file's decision, as far as the appeal service has told."""

    appeal_id: str
    status: Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
    outcome: Literal["upheld", "dismissed"] | None = Field(
        None, description="upheld: the company won (a refusal becomes a recognition from the appeal decision date); "
                          "dismissed: the decision stands.")
    lodged_at: datetime | None = None
    decided_at: datetime | None = None
    recognition_id: str | None = Field(None, description="The recognition the upheld appeal granted.")
    blocked: bool = Field(False, description="Upheld, but the ledger granted nothing (an exclusion, or an active "
                                             "recognition of the same key).")


class QueueItem(_View):
    """A file in the partnership's queue."""

    application_id: str
    partnership_id: str | None = None
    status: FileStatus
    kind: Literal["new", "renewal"]
    enterprise_number: str
    establishment_number: str
    training_code: str
    company_name: str | None = None
    submitted_at: datetime | None = None
    routed_at: datetime | None = None
    decision_due: date | None = Field(None, description="Last day of the decision term (Brussels date).")
    decision_term_paused: bool = Field(False, description="The term stands still while a question is open.")
    days_left: int | None = Field(None, description="Days until decision_due; only on open files.")
    overdue: bool | None = Field(None, description="decision_due has passed undecided; only on open files.")
    deadline_warned: bool | None = None
    open_questions: int = Field(0, description="Questions not answered yet.")
    decision: FileDecision | None = None
    appeal: QueueAppeal | None = Field(None, description="Once an appeal against the decision was lodged.")


class FileDocument(_View):
    id: str
    type: str
    filename: str
    content_type: str
    size_bytes: int
    mentor_id: str | None = None
    sha256: str | None = None
    purged: bool
    download_url: str | None = Field(description="Presigned link valid `download_expires_in` seconds (5 minutes); "
                                                 "null once the bytes were purged.")
    download_expires_in: int | None = None
    mentor: dict[str, Any] | None = None


class ReviewFile(QueueItem):
    """The full file (the competent partnership), or with `supervision: true` the state and dates only (the
    supervising partnership reading another partnership's overdue file)."""

    supervision: bool | None = None
    application: dict[str, Any] | None = Field(None, description="The application as filed, national register "
                                                                 "numbers unmasked (absent under supervision).")
    documents: list[FileDocument] | None = None
    routing: dict[str, Any] | None = None
    questions: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    site_visits: list[dict[str, Any]] = []
    appeal_grant: dict[str, Any] | None = Field(None, description="What an upheld appeal against the refusal "
                                                                  "did: the recognition it granted, or why none.")


class QuestionAsked(_View):
    question_id: str = Field(description="The employer answers with this `question_id`.")
    application_id: str
    message: str
    asked_at: datetime


class SiteVisitPlanned(_View):
    visit_id: str
    application_id: str
    planned_for: date


class SiteVisitReported(_View):
    visit_id: str
    application_id: str
    findings: str
    satisfactory: bool
    reported_at: datetime


class DecisionTaken(_View):
    decision_id: str = Field(description="The `subject_id` of an appeal against a refusal.")
    application_id: str
    outcome: Literal["approved", "refused"]
    reasons: list[str]
    conditions_not_met: list[ConditionCode] = Field([], description=CONDITION_DESCRIPTION)
    decided_at: datetime
    recognition_id: str | None = Field(None, description="On approval: the recognition granted.")
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="The last valid day: valid_from + 5 years - 1 day.")
    status: RecognitionStatus | None = Field(None, description=RECOGNITION_STATUS_TEXT)


class RegisterEntry(_View):
    """A recognition as anyone may read it: never mentors, documents or the application."""

    recognition_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    training_name: str | None = None
    company_name: str | None = None
    postal_code: str | None = None
    city: str | None = None
    valid_from: date
    valid_until: date
    status: RecognitionStatus = Field(description=RECOGNITION_STATUS_TEXT)


class RecognitionMentor(_View):
    index: int
    first_name: str
    last_name: str
    national_register_number: str | None = Field(None, description="Masked.")
    banned: bool


class Recognition(RegisterEntry):
    """A recognition for its partnership."""

    partnership_id: str
    application_id: str | None = None
    decision_id: str | None = None
    appeal_id: str | None = Field(None, description="The upheld appeal that granted it, if any.")
    renews_recognition_id: str | None = None
    renewed_by_recognition_id: str | None = None
    revoked_on: date | None = None
    revoked_by_measure_id: str | None = None
    mentors: list[RecognitionMentor] = []
    without_eligible_mentor: bool | None = None
    granted_at: datetime | None = None


class Measure(_View):
    measure_id: str = Field(description="The `subject_id` of an appeal against an appealable measure.")
    type: Literal["guidance", "mentor_ban", "revocation", "exclusion"]
    recognition_id: str
    enterprise_number: str
    establishment_number: str | None = None
    reason: str
    details: dict[str, Any] = {}
    appealable: bool = Field(description="Every type but guidance can be appealed.")
    imposed_at: datetime
    annulled: bool = Field(description="An upheld appeal annulled it.")
    revoked_recognition_ids: list[str] = []


class SupportRequest(_View):
    support_request_id: str | None = None
    enterprise_number: str | None = None
    requested_at: datetime | str | None = None


class RegisterPage(_View):
    items: list[RegisterEntry]
    next_cursor: str | None = Field(description="Pass back as `cursor` (with the same filters) for the next page; "
                                                "null after the last.")


class RecognitionPage(_View):
    items: list[Recognition]
    next_cursor: str | None = Field(description="Pass back as `cursor` (with the same filters) for the next page; "
                                                "null on the last page.")


class Verification(_View):
    recognized: bool = Field(description="True only for an active recognition on the day asked.")
    recognition_id: str | None
    valid_from: date | None
    valid_until: date | None
    status: Literal["active", "scheduled", "expired", "revoked", "none"] = Field(
        description=RECOGNITION_STATUS_TEXT + " none: no recognition for this establishment and training.")
    on: date = Field(description="The day asked about (default today, Brussels).")
    enterprise_number: str | None = None
    establishment_number: str | None = None
    training_code: str | None = None


MODELS: tuple[type[BaseModel], ...] = (QueueItem, ReviewFile, QuestionAsked, SiteVisitPlanned, SiteVisitReported,
                                       DecisionTaken, Recognition, Measure, SupportRequest, RegisterPage,
                                       RecognitionPage, Verification)
