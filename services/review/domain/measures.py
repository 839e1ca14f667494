"""Measures a partnership imposes on a recognition (DOMAIN.md section 5): guidance first, then
sanctions (mentor ban, revocation, exclusion). Every sanction can be appealed; guidance cannot.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kernel.ledger import Bar

MeasureType = Literal["guidance", "mentor_ban", "revocation", "exclusion"]
APPEALABLE: frozenset[str] = frozenset({"mentor_ban", "revocation", "exclusion"})


class Measure(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

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

    model_config = ConfigDict(extra="ignore", defer_build=True)

    measure_id: str
    enterprise_number: str
    scope: Literal["establishment", "enterprise"]
    establishment_number: str | None = None
    # The partnership that imposed it: its exclusion reaches the recognitions it is competent for,
    # the supervisor's (the VPDL's) reach every one (kernel.ledger). None on items stored before
    # this was recorded: they keep reaching every partnership, as they did.
    partnership_id: str | None = None
    starts_on: date
    until: date | None = None  # None: for good
    lifted: bool = False

    def bar(self) -> Bar:
        return Bar(
            measure_id=self.measure_id, enterprise_number=self.enterprise_number,
            establishment_number=self.establishment_number if self.scope == "establishment" else None,
            partnership_id=self.partnership_id, starts_on=self.starts_on, until=self.until, lifted=self.lifted,
        )
