"""When an application's criminal-record extracts are deleted.

An extract is data about convictions (GDPR art. 10): it is kept only while the decision it served
can still be challenged. The final decision is the partnership's approval (not appealable: its
window is the decision date itself), or its refusal once the appeal deadline has passed, or, when
the refusal was appealed, the appeal's outcome. The extracts go the day after the last of those
days, plus the policy's ``sensitive_document_retention_days``.

Derogation proofs (diplomas) are kept: they justify a mentor of the recognition for as long as it
lasts, and hold no data about convictions. Adding a type to SENSITIVE_TYPES changes that.

A refusal whose notice names no deadline (it reached no one, so its term has not started) keeps them
at most ``sensitive_document_max_retention_days`` after the decision, and longer only while an appeal
runs: never without end. So does a refusal whose notice's e-mail bounced or was refused
(NoticeDeliveryFailed): the deadline it printed counted from a receipt that did not happen.

The facts arrive as separate events in any order; ``purge_on`` answers from whatever has arrived
and says None while the answer is not known yet (no notice yet, an appeal still running).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

SENSITIVE_TYPES = frozenset({"criminal_record_extract"})
RETENTION_JOB = {"role": "retention_job"}


@dataclass(frozen=True)
class AppealFacts:
    appeal_id: str
    lodged: bool = False
    # The day the appeal ended: decided, or found inadmissible.
    closed_on: date | None = None

    @property
    def pending(self) -> bool:
        return self.lodged and self.closed_on is None


@dataclass(frozen=True)
class RetentionFacts:
    decision_id: str
    application_id: str | None = None
    outcome: Literal["approved", "refused"] | None = None
    decided_on: date | None = None
    appeal_deadline: date | None = None
    # The refusal's notice came without an appeal deadline (no receipt is counted: no e-mail address was
    # known), so the window's start is unknown and only the policy's maximum bounds it.
    receipt_unknown: bool = False
    deadline_notice_id: str | None = None  # the notice appeal_deadline came from
    undelivered_notices: frozenset[str] = frozenset()  # refusal notices whose e-mail did not arrive
    appeals: tuple[AppealFacts, ...] = ()
    scheduled_purge_on: date | None = None

    def last_day_to_challenge(self, max_retention_days: int | None = None) -> date | None:
        """The last day of the final decision's appeal window, or None while it is not known.
        ``max_retention_days``: how long after the decision a refusal whose notice named no deadline
        is taken to stay open (None: such a window stays unknown)."""
        if self.application_id is None or self.outcome is None or self.decided_on is None:
            return None
        if any(a.pending for a in self.appeals):
            return None
        if self.outcome == "approved":
            last = self.decided_on
        elif self.appeal_deadline is not None and not self._deadline_undelivered:
            last = self.appeal_deadline
        elif self.receipt_unknown or self.undelivered_notices:
            if max_retention_days is None:
                return None
            last = self.decided_on + timedelta(days=max_retention_days)
        else:
            return None  # the refusal's notice (which sets the deadline) has not arrived yet
        return max([last, *(a.closed_on for a in self.appeals if a.closed_on is not None)])

    @property
    def _deadline_undelivered(self) -> bool:
        """The notice that named the deadline did not reach the company (a notice recorded before its
        id was kept counts as delivered unless a bounce names it)."""
        return self.deadline_notice_id is not None and self.deadline_notice_id in self.undelivered_notices

    def purge_on(self, retention_days: int, max_retention_days: int | None = None) -> date | None:
        """The day the sensitive documents are deleted, or None while it is not known."""
        last = self.last_day_to_challenge(max_retention_days)
        return None if last is None else last + timedelta(days=1 + retention_days)
