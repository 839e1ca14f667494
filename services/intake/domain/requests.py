"""Request bodies of the intake routes: unknown fields rejected, every string and list bounded.

A draft needs only the four key fields; everything else may be absent until submission, where
domain.submission checks completeness.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from intake.domain.fields import (
    Email,
    EnterpriseNumber,
    EstablishmentNumber,
    Filename,
    Identifier,
    JointCommittee,
    LongText,
    NationalRegisterNumber,
    Phone,
    PostalCode,
    Text,
    TrainingCode,
)
from intake.domain.filenames import extension_problem
from kernel.fields import IsoDate

MAX_MENTORS = 20
Kind = Literal["new", "renewal"]
DocumentType = Literal["criminal_record_extract", "mandate", "derogation_proof", "rsz_certificate", "other"]
ContentType = Literal["application/pdf", "image/png", "image/jpeg"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class AddressIn(_Body):
    street: Text | None = None
    postal_code: PostalCode | None = None
    city: Text | None = None


class CompanyIn(_Body):
    name: Text | None = None
    joint_committee: JointCommittee | None = None
    address: AddressIn | None = None


class ContactIn(_Body):
    name: Text | None = None
    email: Email | None = None
    phone: Phone | None = None
    language: Literal["nl", "en"] | None = Field(default=None, description=(
        "The language notices and mails are written in: nl (default, the language of the procedure) or en "
        "(an English translation with the authentic Dutch text)."))


class MentorIn(_Body):
    # The id intake gave the mentor (as GET shows it), echoed back in a PATCH: it keeps the mentor's
    # documents where the national register number cannot tell (see domain.application.same_mentors).
    mentor_id: Identifier | None = Field(default=None, description=(
        "The id intake gave this mentor (GET shows it). Optional in a PATCH: a mentor keeps its id, and so its "
        "documents, when it has the same national_register_number; where one side has no number, the echoed "
        "mentor_id or the same name keeps it. Another number is another mentor."))
    first_name: Text
    last_name: Text
    national_register_number: NationalRegisterNumber | None = None
    experience_years: StrictInt | None = Field(default=None, ge=0, le=70)
    derogation: StrictBool | None = None
    extract_issued_on: IsoDate | None = None


class DeclarationsIn(_Body):
    organisation_and_equipment: StrictBool | None = None
    financial_capacity: StrictBool | None = None
    no_disqualifying_convictions: StrictBool | None = None
    sworn_statement: StrictBool | None = None


class _Content(_Body):
    company: CompanyIn | None = None
    contact: ContactIn | None = None
    mentors: list[MentorIn] | None = Field(default=None, max_length=MAX_MENTORS)
    declarations: DeclarationsIn | None = None


class CreateApplication(_Content):
    enterprise_number: EnterpriseNumber
    establishment_number: EstablishmentNumber
    training_code: TrainingCode
    kind: Kind
    renews_recognition_id: Identifier | None = None


class ChangeApplication(_Content):
    """A JSON merge patch (RFC 7396) of a draft: objects merge, lists replace, null clears.
    The enterprise cannot change: file a new application instead."""

    establishment_number: EstablishmentNumber | None = None
    training_code: TrainingCode | None = None
    kind: Kind | None = None
    renews_recognition_id: Identifier | None = None


class RegisterDocument(_Body):
    type: DocumentType
    # content_type before filename: the filename's validator checks its extension against it.
    content_type: ContentType
    filename: Filename
    # No upper bound here: a file over the limit is a 413, not a 422 (domain.documents).
    size_bytes: StrictInt = Field(ge=1, le=10**12)
    # The mentor the document is about, by its place in mentors now (CONTRACT.md) or by its id;
    # stored as the mentor's id, so that it never passes to whoever takes that place later.
    mentor_index: StrictInt | None = Field(default=None, ge=0, lt=MAX_MENTORS, description=(
        "The mentor this document is about, by its place in mentors now; stored as that mentor's mentor_id. "
        "Required for criminal_record_extract and derogation_proof."))
    mentor_id: Identifier | None = Field(
        default=None, description="The same mentor by its id, instead of mentor_index."
    )

    @field_validator("filename")
    @classmethod
    def _extension_fits_the_type(cls, value: str, info: ValidationInfo) -> str:
        content_type = info.data.get("content_type")
        problem = extension_problem(value, content_type) if content_type else None
        if problem:
            raise PydanticCustomError("extension_mismatch", problem)
        return value


class PostMessage(_Body):
    """An answer to one of the partnership's open questions (question_id from the application's
    ``questions`` or the QuestionAsked history entry)."""

    message: LongText
    question_id: Identifier = Field(description="The question answered: one of the application's open questions.")


class SupportContact(_Body):
    name: Text
    email: Email
    phone: Phone | None = None


class RequestSupport(_Body):
    enterprise_number: EnterpriseNumber
    joint_committee: JointCommittee | None = None
    topic: Literal["exploratory", "application", "renewal", "find_learner"]
    message: LongText
    contact: SupportContact
