"""Response bodies of the notification routes, for the OpenAPI document only (see intake/handlers/schemas.py)."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Notice(BaseModel):
    """An official notice (a PDF) issued about a decision, a measure or an appeal."""

    model_config = ConfigDict(extra="allow")

    id: str
    kind: str = Field(description="What it announces: approval, refusal, measure, appeal acknowledgement, "
                                  "admissibility, appeal decision, ...")
    subject_id: str = Field(description="The decision, measure or appeal it announces (an appeal's `subject_id` is "
                                        "a decision_id or measure_id).")
    issued_at: datetime
    reference: str | None = None
    enterprise_number: str
    appeal_deadline: date | None = Field(None, description="Last day to appeal; only on notices of appealable "
                                                           "decisions (refusal, mentor ban, revocation, exclusion).")
    pdf_url: str = Field(description="Presigned download link, valid 5 minutes.")


MODELS: tuple[type[BaseModel], ...] = (Notice,)
