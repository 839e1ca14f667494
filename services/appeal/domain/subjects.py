"""What can be appealed: refusals and sanctions (DOMAIN.md section 6), learnt from the bus.

A subject is a decision or a measure. Its facts arrive in any order (a NoticeIssued may come
before the DecisionRecorded it announces), so a subject is a bag of optional facts that each
event fills in; the appeal rules read whatever is known when an appeal is lodged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from appeal.domain.deadlines import appeal_deadline_from

if TYPE_CHECKING:
    from reference.policy import EffectivePolicy

SubjectKind = Literal["decision", "measure"]
# receipt_not_assumed: the notice reached no known address, so its receipt (and the term) has not started.
DeadlineBasis = Literal["notice", "notice_date", "decision_date", "receipt_not_assumed"]

APPEALABLE_OUTCOMES = frozenset({"refused"})
APPEALABLE_MEASURES = frozenset({"mentor_ban", "revocation", "exclusion"})


def is_appealable(kind: SubjectKind, subject_type: str) -> bool:
    """A refusal or a sanction; never an approval or a guidance action."""
    allowed = APPEALABLE_OUTCOMES if kind == "decision" else APPEALABLE_MEASURES
    return subject_type in allowed


@dataclass(frozen=True)
class Notice:
    notice_id: str
    issued_at: datetime
    appeal_deadline: date | None = None


@dataclass(frozen=True)
class Subject:
    """A decision or measure as far as this service knows it."""

    subject_id: str
    kind: SubjectKind
    subject_type: str  # the decision outcome or the measure type
    enterprise_number: str
    partnership_id: str | None
    decided_at: datetime
    notice: Notice | None = None
    # Notices of this subject whose e-mail did not reach the company (NoticeDeliveryFailed).
    undelivered_notices: frozenset[str] = frozenset()

    @property
    def receipt_not_established(self) -> bool:
        """Its notice's mail did not arrive: the notice it counts by, or (the bus brought the
        failure first) the one still on its way."""
        if not self.undelivered_notices:
            return False
        return self.notice is None or self.notice.notice_id in self.undelivered_notices

    @property
    def appealable(self) -> bool:
        return is_appealable(self.kind, self.subject_type)

    def belongs_to(self, enterprise_number: str | None) -> bool:
        return enterprise_number is not None and self.enterprise_number == enterprise_number


@dataclass(frozen=True)
class AppealDeadline:
    last_day: date | None  # None: the term has not started, so no appeal is late
    basis: DeadlineBasis


def appeal_deadline(subject: Subject, policy: EffectivePolicy) -> AppealDeadline:
    """The last day to appeal: the notice's own deadline, else (no notice known yet) counted from
    the decision or measure date. A notice of an appealable act without a deadline was not
    deliverable (no known e-mail address): its receipt is not assumed, so the term has not started
    and is never counted from the notice's date (issue 16, Delivery). The same holds for a notice
    whose e-mail bounced or was refused (NoticeDeliveryFailed): the deadline it printed counted from
    a receipt that did not happen."""
    notice = subject.notice
    if subject.receipt_not_established:
        return AppealDeadline(None, "receipt_not_assumed")
    if notice is not None and notice.appeal_deadline is not None:
        return AppealDeadline(notice.appeal_deadline, "notice")
    if notice is not None:
        return AppealDeadline(None, "receipt_not_assumed")
    return AppealDeadline(appeal_deadline_from(subject.decided_at, policy), "decision_date")
