"""An appeal (beroep) and the steps it goes through (DOMAIN.md section 6, CONTRACT.md "Appeals").

lodged → admissible | inadmissible; admissible → upheld | dismissed. A late or unmotivated
appeal is still recorded, because the company is owed a reasoned answer, and is inadmissible at
once with the reasons ``deadline_passed`` / ``not_motivated``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from appeal.domain.deadlines import acknowledgement_due, appeal_decision_due, grounds_minimum_length, local_date
from appeal.domain.subjects import DeadlineBasis, Subject, SubjectKind, appeal_deadline
from kernel.errors import Conflict, FieldError, NotFound, RuleViolation

if TYPE_CHECKING:
    from reference.policy import EffectivePolicy

Status = Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]
Outcome = Literal["upheld", "dismissed"]

DEADLINE_PASSED = "deadline_passed"
NOT_MOTIVATED = "not_motivated"

# An appeal in one of these states keeps its subject: no second appeal while one is open, nor
# after the committee has ruled on the merits. An inadmissible appeal frees the subject, so a
# company whose first request lacked a motivation may still lodge a motivated one in time.
HOLDS_SUBJECT: frozenset[str] = frozenset({"lodged", "admissible", "upheld", "dismissed"})


@dataclass(frozen=True)
class Admissibility:
    admissible: bool
    reasons: tuple[str, ...]
    decided_at: datetime
    decided_by: Literal["automatic", "coordinator"]


@dataclass(frozen=True)
class Ruling:
    outcome: Outcome
    reasons: tuple[str, ...]
    decided_at: datetime


@dataclass(frozen=True)
class Appeal:
    appeal_id: str
    subject_id: str
    subject_kind: SubjectKind
    subject_type: str
    enterprise_number: str
    partnership_id: str | None
    grounds: str
    lodged_at: datetime
    lodged_by: str
    appeal_deadline: date | None  # None: the notice's receipt is not assumed, the term has not started
    deadline_basis: DeadlineBasis
    acknowledgement_due: date
    status: Status
    policy_version: str
    admissibility: Admissibility | None = None
    ruling: Ruling | None = None
    decision_due: date | None = None
    acknowledgement_overdue: bool = False

    def holds_subject(self) -> bool:
        return self.status in HOLDS_SUBJECT

    def acknowledgement_is_overdue(self, today: date) -> bool:
        """Still waiting for its admissibility after the acknowledgement date."""
        return self.status == "lodged" and (self.acknowledgement_overdue or today > self.acknowledgement_due)

    def decision_is_overdue(self, today: date) -> bool:
        return self.status == "admissible" and self.decision_due is not None and today > self.decision_due


def _clean(reasons: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r.strip() for r in reasons if r and r.strip())


def lodge(
    *,
    appeal_id: str,
    subject: Subject | None,
    enterprise_number: str | None,
    lodged_by: str,
    grounds: str,
    now: datetime,
    policy: EffectivePolicy,
) -> Appeal:
    """A new appeal by ``enterprise_number`` against ``subject``.

    Raises NotFound when the subject is unknown or another company's (nothing is revealed), and
    RuleViolation when it cannot be appealed (an approval, a guidance action).
    """
    if subject is None or not subject.belongs_to(enterprise_number):
        raise NotFound("No decision or measure with this id concerns your company.")
    if not subject.appealable:
        raise RuleViolation(
            "Only a refusal or a sanction (mentor ban, revocation, exclusion) can be appealed.",
            [
                FieldError(
                    "subject_id", "not_appealable", f"A {subject.subject_type} {subject.kind} cannot be appealed."
                )
            ],
        )
    deadline = appeal_deadline(subject, policy)
    reasons = []
    if deadline.last_day is not None and local_date(now) > deadline.last_day:
        reasons.append(DEADLINE_PASSED)
    if len(grounds.strip()) < grounds_minimum_length(policy):
        reasons.append(NOT_MOTIVATED)
    appeal = Appeal(
        appeal_id=appeal_id,
        subject_id=subject.subject_id,
        subject_kind=subject.kind,
        subject_type=subject.subject_type,
        enterprise_number=subject.enterprise_number,
        partnership_id=subject.partnership_id,
        grounds=grounds,
        lodged_at=now,
        lodged_by=lodged_by,
        appeal_deadline=deadline.last_day,
        deadline_basis=deadline.basis,
        acknowledgement_due=acknowledgement_due(now, policy),
        status="lodged",
        policy_version=policy.version,
    )
    if reasons:
        admissibility = Admissibility(False, tuple(reasons), now, "automatic")
        appeal = replace(appeal, status="inadmissible", admissibility=admissibility)
    return appeal


def decide_admissibility(
    appeal: Appeal, *, admissible: bool, reasons: list[str], now: datetime, policy: EffectivePolicy
) -> Appeal:
    """The coordinator's admissibility check. Raises Conflict unless the appeal is still lodged,
    RuleViolation when an inadmissible appeal comes without reasons."""
    if appeal.status != "lodged":
        raise Conflict(f"The admissibility of this appeal is already decided (status {appeal.status}).")
    cleaned = _clean(reasons)
    if not admissible and not cleaned:
        raise RuleViolation(
            "An inadmissible appeal is confirmed with reasons.",
            [FieldError("reasons", "required", "Give at least one reason.")],
        )
    return replace(
        appeal,
        status="admissible" if admissible else "inadmissible",
        admissibility=Admissibility(admissible, cleaned, now, "coordinator"),
        decision_due=appeal_decision_due(local_date(now), policy) if admissible else None,
    )


def decide(appeal: Appeal, *, outcome: Outcome, reasons: list[str], now: datetime) -> Appeal:
    """The appeal committee's ruling. Raises Conflict unless the appeal is admissible and not yet
    decided, RuleViolation without reasons."""
    if appeal.status != "admissible":
        raise Conflict(f"Only an admissible appeal awaiting a decision can be decided (status {appeal.status}).")
    cleaned = _clean(reasons)
    if not cleaned:
        raise RuleViolation(
            "An appeal decision states its reasons.", [FieldError("reasons", "required", "Give at least one reason.")]
        )
    return replace(appeal, status=outcome, ruling=Ruling(outcome, cleaned, now))
