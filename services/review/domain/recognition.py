"""A recognition: one (enterprise, establishment, training) with its mentors, valid for a period.

Its status on a day follows from its dates and from a revocation, so the register answers for
any date (``/register/verify?on=``) without replaying history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from kernel.events import Mentor

Status = Literal["active", "scheduled", "expired", "revoked"]


def status_on(day: date, valid_from: date, valid_until: date, revoked_on: date | None) -> Status:
    if revoked_on is not None and day >= revoked_on:
        return "revoked"
    if day < valid_from:
        return "scheduled"
    if day > valid_until:
        return "expired"
    return "active"


class MentorBan(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    measure_id: str
    mentor_index: int
    trainings: list[str]
    annulled: bool = False


class Recognition(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    recognition_id: str
    partnership_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    company_name: str | None = None
    postal_code: str | None = None
    city: str | None = None
    mentors: list[Mentor] = []
    valid_from: date
    valid_until: date
    granted_at: datetime
    application_id: str | None = None
    decision_id: str | None = None
    appeal_id: str | None = None
    renews_recognition_id: str | None = None
    renewed_by_recognition_id: str | None = None
    revoked_on: date | None = None
    revoked_by_measure_id: str | None = None
    revocation_reason: str | None = None
    ended: bool = False  # the expiry timer has run
    mentor_bans: list[MentorBan] = []

    def status_on(self, day: date) -> Status:
        return status_on(day, self.valid_from, self.valid_until, self.revoked_on)

    def is_valid_on(self, day: date) -> bool:
        return self.status_on(day) == "active"

    def register_entry(self) -> RegisterEntry:
        return RegisterEntry.model_validate(self.model_dump(include=set(RegisterEntry.model_fields)))
    # ------------------------------------------------------------------ mentors
    def mentor_is_banned(self, index: int) -> bool:
        return any(
            ban.mentor_index == index and not ban.annulled and self.training_code in ban.trainings
            for ban in self.mentor_bans
        )

    def eligible_mentor_indexes(self) -> list[int]:
        return [i for i in range(len(self.mentors)) if not self.mentor_is_banned(i)]

    @property
    def without_eligible_mentor(self) -> bool:
        """A recognition needs at least one mentor who meets the conditions (DOMAIN.md section 2)."""
        return not self.eligible_mentor_indexes()

    def mentor_index(self, national_register_number: str) -> int | None:
        for i, mentor in enumerate(self.mentors):
            if mentor.national_register_number == national_register_number:
                return i
        return None

    # ------------------------------------------------------------------ changes (return new objects)
    def revoked(self, on: date, measure_id: str | None, reason: str | None) -> Recognition:
        return self.model_copy(
            update={"revoked_on": on, "revoked_by_measure_id": measure_id, "revocation_reason": reason}
        )

    def restored(self) -> Recognition:
        return self.model_copy(update={"revoked_on": None, "revoked_by_measure_id": None, "revocation_reason": None})

    def with_ban(self, ban: MentorBan) -> Recognition:
        return self.model_copy(update={"mentor_bans": [*self.mentor_bans, ban]})

    def with_ban_annulled(self, measure_id: str) -> Recognition:
        bans = [b.model_copy(update={"annulled": True}) if b.measure_id == measure_id else b for b in self.mentor_bans]
        return self.model_copy(update={"mentor_bans": bans})


class RegisterEntry(BaseModel):
    """What the public register keeps of a recognition: the fields anyone may read, and the dates its
    status on a day follows from. Never mentors, documents, the application or the partnership's
    own references (the register's items in the table hold exactly these fields)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    recognition_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    company_name: str | None = None
    postal_code: str | None = None
    city: str | None = None
    valid_from: date
    valid_until: date
    granted_at: datetime
    revoked_on: date | None = None

    def status_on(self, day: date) -> Status:
        return status_on(day, self.valid_from, self.valid_until, self.revoked_on)

    def is_valid_on(self, day: date) -> bool:
        return self.status_on(day) == "active"


class _Dated(Protocol):
    @property
    def valid_from(self) -> date: ...
    @property
    def granted_at(self) -> datetime: ...
    def is_valid_on(self, day: date) -> bool: ...


D = TypeVar("D", bound=_Dated)


def current_for_key(candidates: Sequence[D], on: date) -> D | None:
    """The recognition that answers "is this (enterprise, establishment, training) recognised on
    ``on``?": the one valid that day, else the latest that had started by then (expired or revoked),
    else a scheduled one; None when there is none at all."""
    if not candidates:
        return None
    valid = [r for r in candidates if r.is_valid_on(on)]
    if valid:
        return max(valid, key=lambda r: r.valid_from)
    started = [r for r in candidates if r.valid_from <= on]
    if started:
        return max(started, key=lambda r: (r.valid_from, r.granted_at))
    return min(candidates, key=lambda r: r.valid_from)
