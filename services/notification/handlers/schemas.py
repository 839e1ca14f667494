"""Response bodies of the notification routes, for the OpenAPI document only (see intake/handlers/schemas.py)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Delivery(BaseModel):
    """What became of the notice's e-mail, as SES reported it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Literal["delivered", "bounced", "rejected", "complained", "unknown", "no_address"] = Field(
        description="`delivered`: the company's mail server accepted it; `bounced`: it refused it, for good or "
                    "still after the mail service's retries (not delivered; the partnership is told); `rejected`: "
                    "the mail service refused to send it (not delivered; the partnership is told); "
                    "`complained`: delivered, and the recipient marked it as spam; "
                    "`unknown`: sent, no report yet; `no_address`: no e-mail address was known, the notice was "
                    "only archived and listed (the partnership is told, and its receipt is not assumed).")
    at: datetime | None = Field(None, description="When SES reported it; absent for `unknown` and `no_address`.")


class Notice(BaseModel):
    """An official notice (a PDF) issued about a decision, a measure or an appeal."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    id: str
    kind: str = Field(description="What it announces: approval, refusal, measure, appeal acknowledgement, "
                                  "admissibility, appeal decision, ...")
    subject_id: str = Field(description="The decision, measure or appeal it announces (an appeal's `subject_id` is "
                                        "a decision_id or measure_id).")
    issued_at: datetime
    reference: str | None = None
    enterprise_number: str
    appeal_deadline: date | None = Field(None, description="Last day to appeal; only on notices of appealable "
                                                           "decisions (refusal, mentor ban, revocation, exclusion), "
                                                           "and not once its e-mail bounced or was rejected: the "
                                                           "term runs from receipt, which is then not established.")
    pdf_url: str = Field(description="Presigned download link, valid 5 minutes.")
    delivery: Delivery = Field(description="What became of its e-mail.")


MODELS: tuple[type[BaseModel], ...] = (Notice,)
