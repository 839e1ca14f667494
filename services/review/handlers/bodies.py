"""Request bodies of the review API: strict, closed, with limits on every string and list."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.conditions import CONDITION_DESCRIPTION, ConditionCode
from kernel.fields import IsoDate, LongText, Message, Reason

Text = Message


class _Body(BaseModel):
    # Strict: 1.0 is not true, "10" is not a number; dates only as YYYY-MM-DD (kernel.fields).
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class QuestionBody(_Body):
    message: Text


class SiteVisitBody(_Body):
    planned_for: IsoDate


class VisitReportBody(_Body):
    findings: LongText
    satisfactory: bool


class DecisionBody(_Body):
    outcome: Literal["approved", "refused"]
    reasons: list[Reason] = Field(default_factory=list, max_length=50)
    # Optional and additive (issue 16): which conditions of DOMAIN.md section 2 a refusal finds not met.
    conditions_not_met: list[ConditionCode] = Field(default_factory=list, max_length=20,
                                                    description=CONDITION_DESCRIPTION)


class MeasureBody(_Body):
    """One shape for every type; which optional fields apply depends on ``type``."""

    type: Literal["guidance", "mentor_ban", "revocation", "exclusion"]
    reason: Text
    plan: LongText | None = None
    due_date: IsoDate | None = None
    mentor_index: Annotated[int, Field(ge=0, le=99)] | None = None
    national_register_number: Annotated[str, Field(min_length=11, max_length=20, pattern=r"^[0-9 .-]+$")] | None = None
    trainings: Annotated[list[Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]],
                         Field(max_length=50)] | None = None
    effective_on: IsoDate | None = None
    scope: Literal["establishment", "enterprise"] | None = None
    until: IsoDate | None = None
