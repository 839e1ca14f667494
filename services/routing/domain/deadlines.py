"""Deadlines of the procedure, counted from the policy.

Days are Belgian days: an instant is turned into its date in Europe/Brussels before counting.
Working days skip weekends and Belgian public holidays (kernel.calendar).
"""

from __future__ import annotations

from datetime import date, datetime

from kernel.calendar import add_days, local_date, term_end
from reference.policy import EffectivePolicy

__all__ = ["add_days", "decision_due", "local_date"]



def decision_due(
    submitted_at: datetime, policy: EffectivePolicy, *, documents_complete_at: datetime | None = None
) -> date:
    """The last day for the decision: the policy's decision term counted from submission.

    When the policy starts the term once the documents are complete (Horeca), it counts from
    ``documents_complete_at`` if that is later than submission. Pauses during questions
    (``pause_during_questions``) move it later, as questions are asked and answered
    (kernel.decision_term). Raises ValueError for naive datetimes.
    """
    values = policy.values
    start = submitted_at
    if values.decision_term_starts_when_documents_complete.value and documents_complete_at is not None:
        start = max(submitted_at, documents_complete_at)
    return term_end(
        local_date(start), values.decision_term_days.value, values.decision_term_day_kind.value,
        moves_to_working_day=values.moves_to_working_day("decision_term"),
    ).last_day
