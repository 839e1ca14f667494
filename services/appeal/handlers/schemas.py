"""Response bodies of the appeal routes, for the OpenAPI document only (see intake/handlers/schemas.py)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AppealStatus = Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
APPEAL_STATUS_TEXT = (
    "lodged → admissible | inadmissible (reasons such as deadline_passed, not_motivated) → upheld | dismissed. "
    "upheld = the company wins: a refused application gets its recognition from the appeal decision date, "
    "an appealed measure is annulled. dismissed = the company loses: the decision or measure stands."
)
OUTCOME_TEXT = (
    "upheld: the appeal succeeds, the company wins (a refusal becomes a recognition, a measure is annulled). "
    "dismissed: the appeal fails, the decision or measure stands."
)


class _View(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


class Admissibility(_View):
    admissible: bool
    reasons: list[str]
    decided_at: datetime
    decided_by: Literal["automatic", "coordinator"] = Field(
        description="automatic: a late or unmotivated appeal, inadmissible when lodged.")


class AppealDecision(_View):
    outcome: Literal["upheld", "dismissed"] = Field(description=OUTCOME_TEXT)
    reasons: list[str]
    decided_at: datetime


class Appeal(_View):
    id: str
    subject_id: str = Field(description="The decision_id or measure_id appealed against.")
    subject_kind: str = Field(description="decision or measure.")
    subject_type: str = Field(description="What was decided: refused, or the measure type.")
    enterprise_number: str
    partnership_id: str | None = None
    status: AppealStatus = Field(description=APPEAL_STATUS_TEXT)
    grounds: str
    lodged_at: datetime
    appeal_deadline: date | None = None
    appeal_deadline_basis: str | None = Field(None, description="notice (the notice's own deadline), notice_date "
                                                                "(counted from the notice's date), decision_date, or "
                                                                "receipt_not_assumed (the notice reached no known "
                                                                "address, or its e-mail bounced or was refused: the "
                                                                "term has not started, no deadline).")
    acknowledgement_due: date | None = None
    acknowledgement_overdue: bool
    decision_due: date | None = None
    decision_overdue: bool
    admissibility: Admissibility | None = None
    decision: AppealDecision | None = None


MODELS: tuple[type[BaseModel], ...] = (Appeal,)
