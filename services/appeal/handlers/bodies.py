"""Request bodies of the appeal routes: strict (extra fields refused) with a limit on every string."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Reason = Annotated[str, Field(max_length=2000)]


def _one_or_many(value: Any) -> Any:
    # A single reason sent as a string is taken as a list of one.
    return [value] if isinstance(value, str) else value


Reasons = Annotated[list[Reason], BeforeValidator(_one_or_many), Field(max_length=20)]


class LodgeAppeal(BaseModel):
    """An appeal by the company concerned. Empty grounds are accepted and make the appeal
    inadmissible (not_motivated): the company is owed a reasoned answer."""

    model_config = ConfigDict(extra="forbid")

    subject_id: str = Field(min_length=1, max_length=100, description="The decision_id or measure_id appealed against.")
    grounds: str = Field(max_length=20000, description="The motivation of the appeal.")


class RecordAdmissibility(BaseModel):
    model_config = ConfigDict(extra="forbid")

    admissible: bool
    reasons: Reasons = Field(default=[], description="Required when inadmissible.")


class RecordDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "dismissed"]
    reasons: Reasons
