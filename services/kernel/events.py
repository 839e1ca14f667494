"""Event models: the contract between services, one model per event name and version.

Rules (CONTRACT.md): names are past tense; within a version only optional fields may be added
(tests/contract compares every model with the JSON Schema kept in events/catalogue/); a breaking
change is a new version, published next to the old one until every consumer reads it.
Consumers ignore fields they do not know, so an added optional field never breaks them.
"""



from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer

from kernel import clock
from kernel.conditions import ConditionCode

Instant = Annotated[datetime, PlainSerializer(clock.iso, return_type=str, when_used="json")]


class EventData(BaseModel):
    # defer_build: the schemas of some forty models are built when a model is first used, not
    # at import, where every handler would pay for all of them on cold start.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- shared pieces
class Address(EventData):
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None


class Company(EventData):
    name: str | None = None
    joint_committee: str | None = None
    address: Address | None = None


class Contact(EventData):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    # The language the company is written to in (notices, mails); None: Dutch, the procedure's.
    language: Literal["nl", "en"] | None = None


class Mentor(EventData):
    # Stable within the application (intake gives it): documents name their mentor by it.
    mentor_id: str | None = None
    first_name: str
    last_name: str
    # Sensitive: travels on the (encrypted) bus because the competent partnership must see it;
    # never logged, masked in every response but the partnership's file view.
    national_register_number: str | None = None
    experience_years: int | None = None
    derogation: bool | None = None
    extract_issued_on: date | None = None


class Declarations(EventData):
    organisation_and_equipment: bool | None = None
    financial_capacity: bool | None = None
    no_disqualifying_convictions: bool | None = None
    sworn_statement: bool | None = None


class DocumentRef(EventData):
    id: str
    type: str
    filename: str
    content_type: str
    size_bytes: int
    # The mentor the document belongs to (Mentor.mentor_id); mentor_index is that mentor's place
    # in the list as filed, for readers of the first version.
    mentor_id: str | None = None
    mentor_index: int | None = None
    bucket: str | None = None
    key: str
    sha256: str | None = None
    # The S3 object version that was verified at submission: an upload URL stays valid for 15
    # minutes, so a later PUT could replace the bytes; readers fetch this version.
    version_id: str | None = None


class Actor(EventData):
    sub: str
    role: str


class ApplicationSnapshot(EventData):
    """The application as filed, carried along so that no consumer has to call intake back."""

    application_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    kind: Literal["new", "renewal"]
    renews_recognition_id: str | None = None
    company: Company | None = None
    contact: Contact | None = None
    mentors: list[Mentor] = []
    declarations: Declarations | None = None
    documents: list[DocumentRef] = []
    filed_by: Actor | None = None
    submitted_at: Instant
    decision_due: date
    policy_version: str | None = None
    # The effective policy the application is judged by ({"version", "partnership_id", "values"}),
    # pinned at submission so a later policy change never moves its deadlines or rules.
    policy: dict[str, Any] | None = None


# --------------------------------------------------------------------------- intake
class ApplicationSubmittedV1(EventData):
    application: ApplicationSnapshot


class ApplicationWithdrawnV1(EventData):
    application_id: str
    enterprise_number: str
    partnership_id: str | None = None
    withdrawn_at: Instant
    withdrawn_by: Actor | None = None


class QuestionAnsweredV1(EventData):
    application_id: str
    message_id: str
    partnership_id: str | None = None
    message: str
    answered_at: Instant
    answered_by: Actor | None = None
    # The QuestionAsked question_id this answers (absent on answers sent before answers named it).
    question_id: str | None = None


class SupportRequestedV1(EventData):
    support_request_id: str
    enterprise_number: str
    joint_committee: str | None = None
    topic: Literal["exploratory", "application", "renewal", "find_learner"]
    message: str
    contact: Contact
    requested_at: Instant


# --------------------------------------------------------------------------- routing
class RoutingOutcome(EventData):
    partnership_id: str
    rule: str
    matched: str | None = None
    flagged: bool = False
    reason: str | None = None
    data_version: str | None = None


class ApplicationRoutedV1(EventData):
    application_id: str
    partnership_id: str
    routing: RoutingOutcome
    decision_due: date
    application: ApplicationSnapshot


class SupportRequestRoutedV1(EventData):
    support_request_id: str
    partnership_id: str
    routing: RoutingOutcome
    request: SupportRequestedV1


# --------------------------------------------------------------------------- review
class QuestionAskedV1(EventData):
    application_id: str
    question_id: str
    partnership_id: str
    message: str
    asked_at: Instant


class SiteVisitPlannedV1(EventData):
    application_id: str
    visit_id: str
    partnership_id: str
    planned_for: date


class SiteVisitReportedV1(EventData):
    application_id: str
    visit_id: str
    partnership_id: str
    findings: str
    satisfactory: bool
    reported_at: Instant


class DecisionRecordedV1(EventData):
    decision_id: str
    application_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    outcome: Literal["approved", "refused"]
    reasons: list[str] = []
    decided_at: Instant
    recognition_id: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    # The effective policy pinned on the application at submission ({"version", "partnership_id",
    # "values"}), so the appeal window of its notice is counted by the rules it was judged by.
    policy: dict[str, Any] | None = None
    # Added in version 1 (optional, issue 16): the conditions of recognition a refusal finds not met.
    conditions_not_met: list[ConditionCode] = []


class RecognitionGrantedV1(EventData):
    recognition_id: str
    application_id: str | None = None
    decision_id: str | None = None
    appeal_id: str | None = None
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    company_name: str | None = None
    postal_code: str | None = None
    city: str | None = None
    mentors: list[Mentor] = []
    valid_from: date
    valid_until: date
    renews_recognition_id: str | None = None
    granted_at: Instant


class RecognitionRevokedV1(EventData):
    recognition_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    effective_on: date
    measure_id: str | None = None
    reason: str | None = None


class RecognitionExpiredV1(EventData):
    recognition_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    expired_on: date


class RecognitionRestoredV1(EventData):
    recognition_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    valid_until: date
    appeal_id: str | None = None
    restored_at: Instant


class MeasureImposedV1(EventData):
    measure_id: str
    type: Literal["guidance", "mentor_ban", "revocation", "exclusion"]
    partnership_id: str
    enterprise_number: str
    establishment_number: str | None = None
    recognition_id: str | None = None
    reason: str
    details: dict[str, Any] = {}
    appealable: bool
    imposed_at: Instant


# --------------------------------------------------------------------------- notification
class NoticeIssuedV1(EventData):
    notice_id: str
    kind: str
    subject_id: str
    enterprise_number: str
    partnership_id: str | None = None
    application_id: str | None = None
    issued_at: Instant
    appeal_deadline: date | None = None
    pdf_key: str


class NoticeDeliveryFailedV1(EventData):
    """The notice's e-mail did not reach the company (SES reported a bounce, after its own retries,
    or refused to send it). Its receipt is not established, so a term counted from receipt (the
    appeal window, DOMAIN.md section 6) has not started from its sending."""

    notice_id: str
    kind: str
    subject_id: str
    enterprise_number: str
    partnership_id: str | None = None
    application_id: str | None = None
    outcome: Literal["bounced", "rejected"]
    reported_at: Instant


# --------------------------------------------------------------------------- appeal
class AppealLodgedV1(EventData):
    appeal_id: str
    subject_id: str
    subject_kind: Literal["decision", "measure"]
    enterprise_number: str
    partnership_id: str | None = None
    grounds: str
    lodged_at: Instant
    acknowledgement_due: date
    status: str
    inadmissible_reasons: list[str] = []


class AppealAdmissibilityDecidedV1(EventData):
    appeal_id: str
    subject_id: str
    enterprise_number: str
    admissible: bool
    reasons: list[str] = []
    decided_at: Instant


class AppealDecidedV1(EventData):
    appeal_id: str
    subject_id: str
    subject_kind: Literal["decision", "measure"]
    enterprise_number: str
    partnership_id: str | None = None
    outcome: Literal["upheld", "dismissed"]
    reasons: list[str] = []
    decided_at: Instant


# --------------------------------------------------------------------------- timers
class DecisionDeadlineApproachingV1(EventData):
    application_id: str
    partnership_id: str
    decision_due: date
    days_left: int


class DecisionDeadlineMissedV1(EventData):
    application_id: str
    partnership_id: str
    decision_due: date


class RenewalReminderDueV1(EventData):
    recognition_id: str
    enterprise_number: str
    valid_until: date
    days_before: int


class RecognitionExpiryDueV1(EventData):
    recognition_id: str
    valid_until: date


class MentorTrainingDueV1(EventData):
    recognition_id: str
    enterprise_number: str
    partnership_id: str
    due_on: date


class AppealAcknowledgementDueV1(EventData):
    appeal_id: str
    acknowledgement_due: date


class SensitiveDocumentsPurgeDueV1(EventData):
    """Timer: the appeal window of the application's final decision has closed (plus the
    policy's retention), so its criminal-record extracts are to be deleted."""

    application_id: str
    decision_id: str
    purge_on: date


class SensitiveDocumentsPurgedV1(EventData):
    """Intake deleted these documents' stored bytes (retention): readers show them as purged,
    with no download link."""

    application_id: str
    document_ids: list[str]
    purged_at: Instant


# (event_name, event_version) -> data model. The catalogue and the contract tests read this.
CATALOGUE: dict[tuple[str, int], type[EventData]] = {
    ("ApplicationSubmitted", 1): ApplicationSubmittedV1,
    ("ApplicationWithdrawn", 1): ApplicationWithdrawnV1,
    ("ApplicationRouted", 1): ApplicationRoutedV1,
    ("QuestionAsked", 1): QuestionAskedV1,
    ("QuestionAnswered", 1): QuestionAnsweredV1,
    ("SiteVisitPlanned", 1): SiteVisitPlannedV1,
    ("SiteVisitReported", 1): SiteVisitReportedV1,
    ("DecisionRecorded", 1): DecisionRecordedV1,
    ("RecognitionGranted", 1): RecognitionGrantedV1,
    ("RecognitionRevoked", 1): RecognitionRevokedV1,
    ("RecognitionExpired", 1): RecognitionExpiredV1,
    ("RecognitionRestored", 1): RecognitionRestoredV1,
    ("MeasureImposed", 1): MeasureImposedV1,
    ("NoticeIssued", 1): NoticeIssuedV1,
    ("NoticeDeliveryFailed", 1): NoticeDeliveryFailedV1,
    ("SupportRequested", 1): SupportRequestedV1,
    ("SupportRequestRouted", 1): SupportRequestRoutedV1,
    ("AppealLodged", 1): AppealLodgedV1,
    ("AppealAdmissibilityDecided", 1): AppealAdmissibilityDecidedV1,
    ("AppealDecided", 1): AppealDecidedV1,
    ("DecisionDeadlineApproaching", 1): DecisionDeadlineApproachingV1,
    ("DecisionDeadlineMissed", 1): DecisionDeadlineMissedV1,
    ("RenewalReminderDue", 1): RenewalReminderDueV1,
    ("RecognitionExpiryDue", 1): RecognitionExpiryDueV1,
    ("MentorTrainingDue", 1): MentorTrainingDueV1,
    ("AppealAcknowledgementDue", 1): AppealAcknowledgementDueV1,
    ("SensitiveDocumentsPurgeDue", 1): SensitiveDocumentsPurgeDueV1,
    ("SensitiveDocumentsPurged", 1): SensitiveDocumentsPurgedV1,
}

_BY_MODEL = {model: key for key, model in CATALOGUE.items()}


class UnknownEvent(Exception):
    """An envelope names an event or version this code does not know."""


def catalogue_key(model: type[EventData]) -> tuple[str, int]:
    """The (event_name, event_version) of a data model. Raises KeyError for a model not in the catalogue."""
    return _BY_MODEL[model]


def name_and_version(data: EventData) -> tuple[str, int]:
    """The catalogue key of a data model instance. Raises KeyError for a model not in the catalogue."""
    return catalogue_key(type(data))


def parse_data(event_name: str, event_version: int, data: dict[str, Any]) -> EventData:
    """Validate an envelope's data against its model. Raises UnknownEvent or pydantic.ValidationError."""
    model = CATALOGUE.get((event_name, event_version))
    if model is None:
        raise UnknownEvent(f"{event_name} v{event_version}")
    return model.model_validate(data)
