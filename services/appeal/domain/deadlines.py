"""The appeal terms, counted from the policy (DOMAIN.md section 6).

- appeal window: ``appeal_window_days`` (calendar or working, ``appeal_window_day_kind``) after the
  notice counts as received, which is ``notice_receipt_offset_days`` calendar days after it is sent;
- acknowledgement: ``appeal_acknowledgement_days`` after the appeal is lodged.

Days are Belgian days: an instant becomes its Europe/Brussels date before counting. Working days
skip weekends and Belgian public holidays; a term the policy names in
``terms_moved_to_next_working_day`` (by default the appeal window) whose last day is a Saturday,
Sunday or public holiday ends on the next working day (article 53 of the Judicial Code).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from kernel.calendar import add_days, brussels, local_date, start_of_day, term_end

__all__ = ["add_days", "brussels", "local_date", "start_of_day", "appeal_deadline_from", "acknowledgement_due"]

if TYPE_CHECKING:  # annotations only: the bus edge imports this module without loading the policy models
    from reference.policy import EffectivePolicy



def appeal_deadline_from(sent_at: datetime, policy: EffectivePolicy) -> date:
    """The last day to appeal against a decision whose notice was sent at ``sent_at``.

    Receipt is counted in calendar days (the policy's offset is a postal/e-mail convention);
    the window itself in the policy's day kind. Raises ValueError for a naive datetime.
    """
    values = policy.values
    received_on = local_date(sent_at) + timedelta(days=values.notice_receipt_offset_days.value)
    return term_end(received_on, values.appeal_window_days.value, values.appeal_window_day_kind.value,
                    moves_to_working_day=values.moves_to_working_day("appeal_window")).last_day


def acknowledgement_due(lodged_at: datetime, policy: EffectivePolicy) -> date:
    """The last day for the coordinator to confirm receipt with the admissibility result."""
    values = policy.values
    return term_end(
        local_date(lodged_at), values.appeal_acknowledgement_days.value, values.appeal_acknowledgement_day_kind.value,
        moves_to_working_day=values.moves_to_working_day("appeal_acknowledgement"),
    ).last_day


def appeal_decision_due(admissible_on: date, policy: EffectivePolicy) -> date | None:
    """The last day for the appeal decision, if the policy sets one.

    The term is not known (DOMAIN.md section 6, NF); it applies once the reference policy carries
    ``appeal_decision_days`` (and optionally ``appeal_decision_day_kind``), and is None until then.
    """
    term = getattr(policy.values, "appeal_decision_days", None)
    if term is None or term.value is None:
        return None
    kind = getattr(policy.values, "appeal_decision_day_kind", None)
    return term_end(admissible_on, term.value, kind.value if kind is not None else "calendar",
                    moves_to_working_day=policy.values.moves_to_working_day("appeal_decision")).last_day


def grounds_minimum_length(policy: EffectivePolicy) -> int:
    """How many non-blank characters make grounds count as motivated.

    One unless the reference policy carries ``appeal_grounds_minimum_characters``: any text at all
    is a motivation until an operator sets a stricter bar.
    """
    minimum = getattr(policy.values, "appeal_grounds_minimum_characters", None)
    return max(1, int(minimum.value)) if minimum is not None and minimum.value is not None else 1
