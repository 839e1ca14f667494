"""Measures a partnership imposes on a recognition (DOMAIN.md section 5): guidance first, then
sanctions (mentor ban, revocation, exclusion). Every sanction can be appealed; guidance cannot.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

MeasureType = Literal["guidance", "mentor_ban", "revocation", "exclusion"]
APPEALABLE: frozenset[str] = frozenset({"mentor_ban", "revocation", "exclusion"})


class Measure(BaseModel):
    model_config = ConfigDict(extra="ignore")

    measure_id: str
    type: MeasureType
    recognition_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str | None = None
    reason: str
    details: dict[str, Any] = {}
    imposed_at: datetime
    imposed_by: str
    annulled: bool = False
    annulled_by_appeal_id: str | None = None
    # recognitions this measure revoked (the recognition itself, or every one an exclusion hit)
    revoked_recognition_ids: list[str] = []

    @property
    def appealable(self) -> bool:
        return self.type in APPEALABLE

    def annul(self, appeal_id: str) -> Measure:
        return self.model_copy(update={"annulled": True, "annulled_by_appeal_id": appeal_id})


class Exclusion(BaseModel):
    """An establishment or a whole enterprise that may not be recognised while it runs."""

    model_config = ConfigDict(extra="ignore")

    measure_id: str
    enterprise_number: str
    scope: Literal["establishment", "enterprise"]
    establishment_number: str | None = None
    starts_on: date
    until: date | None = None  # None: for good
    lifted: bool = False

    def blocks(self, enterprise_number: str, establishment_number: str, on: date) -> bool:
        if self.lifted or self.enterprise_number != enterprise_number:
            return False
        if self.scope == "establishment" and self.establishment_number != establishment_number:
            return False
        return self.starts_on <= on and (self.until is None or on <= self.until)

    def covers(self, enterprise_number: str, establishment_number: str) -> bool:
        """Whether a recognition of this enterprise/establishment falls under the exclusion."""
        return self.enterprise_number == enterprise_number and (
            self.scope == "enterprise" or self.establishment_number == establishment_number
        )


def blocking_exclusion(
    exclusions: list[Exclusion], enterprise_number: str, establishment_number: str, on: date
) -> Exclusion | None:
    return next((e for e in exclusions if e.blocks(enterprise_number, establishment_number, on)), None)


def exclusion_text(exclusion: Exclusion) -> str:
    who = "enterprise" if exclusion.scope == "enterprise" else "establishment"
    until = f"until {exclusion.until.isoformat()}" if exclusion.until else "for good"
    return f"The {who} is excluded {until} (measure {exclusion.measure_id}); no recognition can be granted meanwhile."
