"""Request bodies of the appeal routes: strict (extra fields refused) with a limit on every string."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# The same text rules as every service (kernel.fields): no control characters, not blank.
from kernel.fields import Identifier, OptionalLongText, Reason


def _one_or_many(value: Any) -> Any:
    # A single reason sent as a string is taken as a list of one.
    return [value] if isinstance(value, str) else value


Reasons = Annotated[list[Reason], BeforeValidator(_one_or_many), Field(max_length=20)]


class _Body(BaseModel):
    # Strict: 1.0 is not true, a number is not a reason.
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class LodgeAppeal(_Body):
    """An appeal by the company concerned. Empty grounds are accepted and make the appeal
    inadmissible (not_motivated): the company is owed a reasoned answer."""

    subject_id: Identifier = Field(
        description="The decision_id or measure_id appealed against, or the notice's reference (DL-...)."
    )
    grounds: OptionalLongText = Field(description="The motivation of the appeal (blank: not motivated).")


class RecordAdmissibility(_Body):
    admissible: bool
    reasons: Reasons = Field(default=[], description="Required when inadmissible.")


class RecordDecision(_Body):
    outcome: Literal["upheld", "dismissed"]
    reasons: Reasons
