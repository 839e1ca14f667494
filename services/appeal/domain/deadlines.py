"""The appeal terms, counted from the policy (DOMAIN.md section 6).

- appeal window: ``appeal_window_days`` (calendar or working, ``appeal_window_day_kind``) after the
  notice counts as received, which is ``notice_receipt_offset_days`` calendar days after it is sent;
- acknowledgement: ``appeal_acknowledgement_days`` after the appeal is lodged.

Days are Belgian days: an instant becomes its Europe/Brussels date before counting. Working days
skip Saturdays and Sundays only; public holidays and moving a term that ends on a weekend are not
in the policy and not applied.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # annotations only: the bus edge imports this module without loading the policy models
    from reference.policy import DayKind, EffectivePolicy


@cache
def brussels() -> ZoneInfo:
    return ZoneInfo("Europe/Brussels")


def local_date(instant: datetime) -> date:
    """The Brussels date of an aware instant. Raises ValueError for a naive datetime."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(brussels()).date()


def start_of_day(day: date) -> datetime:
    """Midnight in Brussels at the start of ``day``, as an aware instant."""
    return datetime.combine(day, time(0, 0), tzinfo=brussels())


def add_days(start: date, days: int, day_kind: DayKind) -> date:
    """``start`` plus ``days`` calendar days, or plus ``days`` weekdays (Mon-Fri) for ``working``.

    Raises ValueError for negative ``days``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if day_kind == "calendar":
        return start + timedelta(days=days)
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def appeal_deadline_from(sent_at: datetime, policy: EffectivePolicy) -> date:
    """The last day to appeal against a decision whose notice was sent at ``sent_at``.

    Receipt is counted in calendar days (the policy's offset is a postal/e-mail convention);
    the window itself in the policy's day kind. Raises ValueError for a naive datetime.
    """
    values = policy.values
    received_on = local_date(sent_at) + timedelta(days=values.notice_receipt_offset_days.value)
    return add_days(received_on, values.appeal_window_days.value, values.appeal_window_day_kind.value)


def acknowledgement_due(lodged_at: datetime, policy: EffectivePolicy) -> date:
    """The last day for the coordinator to confirm receipt with the admissibility result."""
    values = policy.values
    return add_days(
        local_date(lodged_at), values.appeal_acknowledgement_days.value, values.appeal_acknowledgement_day_kind.value
    )


def appeal_decision_due(admissible_on: date, policy: EffectivePolicy) -> date | None:
    """The last day for the appeal decision, if the policy sets one.

    The term is not known (DOMAIN.md section 6, NF); it applies once the reference policy carries
    ``appeal_decision_days`` (and optionally ``appeal_decision_day_kind``), and is None until then.
    """
    term = getattr(policy.values, "appeal_decision_days", None)
    if term is None or term.value is None:
        return None
    kind = getattr(policy.values, "appeal_decision_day_kind", None)
    return add_days(admissible_on, term.value, kind.value if kind is not None else "calendar")


def grounds_minimum_length(policy: EffectivePolicy) -> int:
    """How many non-blank characters make grounds count as motivated.

    One unless the reference policy carries ``appeal_grounds_minimum_characters``: any text at all
    is a motivation until an operator sets a stricter bar.
    """
    minimum = getattr(policy.values, "appeal_grounds_minimum_characters", None)
    return max(1, int(minimum.value)) if minimum is not None and minimum.value is not None else 1
