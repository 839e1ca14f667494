"""Response bodies of the intake routes, for the OpenAPI document only (services/apidocs turns MODELS into
components; the routes name them with kernel.documented.answers). Never imported by the handler: the
routes answer plain dicts (intake.domain.views), and the contract tier checks every e2e answer against
these schemas, so they cannot drift apart unnoticed.

Fields are listed as the employer reads them; a body may carry more (a reader ignores what it does not
know), but what is listed here has the type given.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.conditions import CONDITION_DESCRIPTION, ConditionCode

ApplicationStatus = Literal["draft", "submitted", "in_review", "approved", "refused", "withdrawn"]
STATUS_TEXT = (
    "draft (being filled in, may be changed) → submitted (filed, waiting to be routed) → in_review (with the "
    "competent partnership) → approved | refused (decided) | withdrawn (by the company, before a decision)."
)


class _View(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


class Address(_View):
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None


class Company(_View):
    name: str | None = None
    joint_committee: str | None = Field(None, description="Paritair comité (joint committee), e.g. 124.")
    address: Address | None = None


class Contact(_View):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class MentorView(_View):
    mentor_id: str | None = Field(None, description="Stable within the application; documents name their mentor by it.")
    first_name: str
    last_name: str
    national_register_number: str | None = Field(None, description="Masked: only the last digits are shown.")
    experience_years: int | None = None
    derogation: bool | None = None
    extract_issued_on: date | None = None


class Declarations(_View):
    organisation_and_equipment: bool | None = None
    financial_capacity: bool | None = None
    no_disqualifying_convictions: bool | None = None
    sworn_statement: bool | None = None


class Actor(_View):
    sub: str
    role: str


class DocumentView(_View):
    id: str
    type: str = Field(description="e.g. criminal_record_extract, derogation_proof, floor_plan.")
    filename: str
    content_type: str
    size_bytes: int
    mentor_id: str | None = None
    mentor_index: int | None = Field(None, description="Where the document's mentor stands in `mentors` now; "
                                                       "null when it is no mentor's or that mentor was removed.")
    registered_at: datetime
    sha256: str | None = Field(None, description="Set once the upload was verified at submission.")
    verified: bool = Field(description="The uploaded bytes were found and checked at submission.")
    purged: bool = Field(description="Its bytes were deleted after the retention period.")


class QuestionView(_View):
    question_id: str
    partnership_id: str
    message: str
    asked_at: datetime


class AnswerView(_View):
    message_id: str
    message: str
    answered_at: datetime


class DecisionView(_View):
    decision_id: str
    outcome: Literal["approved", "refused"]
    decided_at: datetime
    reasons: list[str] = []
    conditions_not_met: list[ConditionCode] = Field([], description=CONDITION_DESCRIPTION)


class AppealView(_View):
    """The company's appeal against the refusal, as the appeal service announced it."""

    appeal_id: str
    status: Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
    outcome: Literal["upheld", "dismissed"] | None = Field(
        None, description="upheld: the company won (the refusal becomes a recognition from the appeal decision "
                          "date, named by the application's recognition_id); dismissed: the refusal stands.")
    reasons: list[str] = []
    lodged_at: datetime | None = None
    decided_at: datetime | None = None


class Application(_View):
    """An application as its company (or the company's intermediary) reads it."""

    id: str
    status: ApplicationStatus = Field(description=STATUS_TEXT)
    enterprise_number: str = Field(description="KBO/BCE enterprise number, 10 digits.")
    establishment_number: str = Field(description="KBO/BCE establishment unit number, 10 digits starting 2-8.")
    training_code: str = Field(description="A code of GET /trainings.")
    kind: Literal["new", "renewal"]
    renews_recognition_id: str | None = None
    company: Company | None = None
    contact: Contact | None = None
    mentors: list[MentorView] = []
    declarations: Declarations | None = None
    documents: list[DocumentView] = []
    filed_by: Actor
    on_behalf_of: str = Field(description="The enterprise the application is for (an intermediary files for others).")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    decision_due: date | None = Field(None, description="The last day of the decision term (Brussels date), "
                                                        "moved on while the term is paused for a question.")
    decision_term_paused: bool = False
    partnership_id: str | None = Field(None, description="The competent partnership, once routed.")
    policy_version: str | None = None
    decision: DecisionView | None = None
    recognition_id: str | None = Field(None, description="The recognition granted (on approval, or by an upheld "
                                                         "appeal).")
    withdrawn_at: datetime | None = None
    questions: list[QuestionView] = []
    messages: list[AnswerView] = Field([], description="The company's answers to the partnership's questions.")
    appeal: AppealView | None = Field(None, description="Once the company appeals the refusal; `status` stays "
                                                        "`refused` whatever its outcome.")


class ApplicationSummary(_View):
    id: str
    status: ApplicationStatus = Field(description=STATUS_TEXT)
    enterprise_number: str
    establishment_number: str
    training_code: str
    kind: Literal["new", "renewal"]
    company_name: str | None = None
    created_at: datetime
    submitted_at: datetime | None = None
    decision_due: date | None = None
    partnership_id: str | None = None
    recognition_id: str | None = None


class HistoryEntry(_View):
    at: datetime
    actor: dict[str, str] = Field(description="Who: `role` and `sub`, or the system.")
    what: str = Field(description="created, changed, submitted, routed, question_asked, answered, decided, ...")
    details: dict[str, object] = {}


class DocumentUpload(_View):
    """A registered document and where to PUT its bytes."""

    id: str
    application_id: str
    type: str
    mentor_id: str | None = None
    mentor_index: int | None = None
    upload_url: str = Field(description="Presigned S3 URL, valid 15 minutes, no bearer token.")
    upload_method: Literal["PUT"]
    upload_headers: dict[str, str] = Field(description="Send exactly these headers with the PUT.")
    expires_at: datetime


class AnswerPosted(_View):
    id: str
    application_id: str
    message: str
    answered_at: datetime
    partnership_id: str | None = None
    question_id: str | None = Field(None, description="The question this answers.")


class SupportRequestReceived(_View):
    id: str
    status: Literal["received"]
    enterprise_number: str


MODELS: tuple[type[BaseModel], ...] = (Application, ApplicationSummary, HistoryEntry, DocumentUpload, AnswerPosted,
                                       SupportRequestReceived)
