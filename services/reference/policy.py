"""Procedure policy (data/policy.json): every term, age and document rule, with its source.

Values tagged U or NF in DOMAIN.md are choices of this project and live here, never in code.
A partnership's overrides replace whole values; ``Policy.for_partnership`` applies them.
"""



from functools import cache
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reference._data import read_data_file

T = TypeVar("T")
Status = Literal["C", "S", "U", "NF"]
DayKind = Literal["calendar", "working"]
# The terms whose last day policy can move off a Saturday, Sunday or public holiday.
Term = Literal["decision_term", "appeal_window", "appeal_acknowledgement", "appeal_decision"]


class PolicyValue(BaseModel, Generic[T]):
    """A value with its unit and where it comes from (DOMAIN.md status tag + source)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    value: T
    unit: str
    status: Status
    source: str = Field(min_length=1)


class RequiredDocument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    type: Literal["criminal_record_extract", "mandate", "derogation_proof", "rsz_certificate", "other"]
    # mentor: one per mentor; application: one per application; intermediary_filing: when an
    # intermediary files on the company's behalf.
    per: Literal["mentor", "application", "intermediary_filing"]


class PolicyValues(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    decision_term_days: PolicyValue[int]
    decision_term_day_kind: PolicyValue[DayKind]
    pause_during_questions: PolicyValue[bool]
    decision_term_starts_when_documents_complete: PolicyValue[bool]
    decision_deadline_warning_days: PolicyValue[int]
    appeal_window_days: PolicyValue[int]
    appeal_window_day_kind: PolicyValue[DayKind]
    notice_receipt_offset_days: PolicyValue[int]
    appeal_acknowledgement_days: PolicyValue[int]
    appeal_acknowledgement_day_kind: PolicyValue[DayKind]
    recognition_validity_years: PolicyValue[int]
    mentor_minimum_age_years: PolicyValue[int]
    mentor_derogation_minimum_age_years: PolicyValue[int]
    mentor_minimum_experience_years: PolicyValue[int]
    unknown_birth_date_needs_derogation_proof: PolicyValue[bool]
    extract_max_age_months: PolicyValue[int]
    renewal_reminder_offsets_days: PolicyValue[tuple[int, ...]]
    mentor_training_deadline_months: PolicyValue[int]
    renewal_grace_months: PolicyValue[int]
    sensitive_document_retention_days: PolicyValue[int]
    sensitive_document_max_retention_days: PolicyValue[int]
    learners_per_mentor_max: PolicyValue[int | None]
    required_documents: PolicyValue[tuple[RequiredDocument, ...]]
    appeal_decision_days: PolicyValue[int | None]
    appeal_decision_day_kind: PolicyValue[DayKind]
    appeal_grounds_minimum_characters: PolicyValue[int]
    mentor_training_reminder_days: PolicyValue[int]
    terms_moved_to_next_working_day: PolicyValue[tuple[Term, ...]]
    # The remedy block of the notices (notification.domain.documents): where and how to appeal.
    appeal_coordinator_postal_address: PolicyValue[str]
    appeal_coordinator_email: PolicyValue[str]
    appeal_portal_path: PolicyValue[str]
    appeal_suspends_measure: PolicyValue[bool]
    council_of_state_window_days: PolicyValue[int]
    council_of_state_address: PolicyValue[str]
    notice_receipt_rule: PolicyValue[Literal["dispatch_date_plus_offset"]]

    def moves_to_working_day(self, term: Term) -> bool:
        """Whether ``term`` ending on a Saturday, Sunday or public holiday ends on the next working day."""
        return term in self.terms_moved_to_next_working_day.value

    def plain(self) -> dict[str, Any]:
        """Name -> bare value (JSON-compatible), as pinned on an application."""
        return {name: entry["value"] for name, entry in self.model_dump(mode="json").items()}


class EffectivePolicy(BaseModel):
    """The values that apply to one partnership's decisions (overrides applied)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    version: str
    partnership_id: str | None
    values: PolicyValues

    def snapshot(self) -> dict[str, Any]:
        """What a submitted application stores to be judged by later: version, partnership, values."""
        return {"version": self.version, "partnership_id": self.partnership_id, "values": self.values.plain()}


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    version: str = Field(min_length=1)
    status: str
    source: tuple[str, ...]
    values: PolicyValues
    overrides: dict[str, dict[str, dict[str, Any]]] = {}

    @model_validator(mode="after")
    def _overrides_are_valid(self) -> "Policy":
        for partnership_id in self.overrides:
            self.for_partnership(partnership_id)
        return self

    def for_partnership(self, partnership_id: str | None) -> EffectivePolicy:
        """The effective policy for ``partnership_id``; None or an id without overrides gets the base values.

        Raises pydantic.ValidationError if an override names an unknown value or has the wrong type.
        """
        merged = self.values.model_dump(mode="json") | self.overrides.get(partnership_id or "", {})
        return EffectivePolicy(
            version=self.version, partnership_id=partnership_id, values=PolicyValues.model_validate(merged)
        )

    def pinned(self, partnership_id: str | None, snapshot: dict[str, Any] | None) -> EffectivePolicy:
        """The policy an application is judged by: the values pinned on it at submission
        (``EffectivePolicy.snapshot()``, carried on its events) over the current effective ones, so a
        later policy change never moves its terms; a value it does not pin (added since) is the current."""
        current = self.for_partnership(partnership_id)
        pinned = (snapshot or {}).get("values") or {}
        if not isinstance(pinned, dict) or not pinned:
            return current
        entries = current.values.model_dump(mode="json")
        for name, value in pinned.items():
            if name in entries:
                entries[name] = {**entries[name], "value": value}
        return EffectivePolicy(version=str((snapshot or {}).get("version") or current.version),
                               partnership_id=partnership_id, values=PolicyValues.model_validate(entries))


@cache
def policy() -> Policy:
    """The policy, read at first use.

    Raises pydantic.ValidationError if data/policy.json is malformed (including its overrides).
    """
    return Policy.model_validate(read_data_file("policy.json"))


def data_version() -> str:
    return policy().version
