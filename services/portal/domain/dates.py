"""The dates a user reads on the pages: days left, and which recognitions are due for renewal.

Every day is a Brussels day (kernel.calendar); the renewal window is the policy's earliest
renewal reminder (reference/data/policy.json, renewal_reminder_offsets_days).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from portal.domain.reference_data import partnership, partnership_table, policy_values


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def days_left(due: Any, today: date) -> int | None:
    """Days from today to ``due`` (0 on the day itself, negative once past)."""
    day = parse_date(due)
    return None if day is None else (day - today).days


def renewal_window_days(partnership_id: str | None = None) -> int:
    offsets = policy_values(partnership_id).renewal_reminder_offsets_days.value
    return max(offsets) if offsets else 90


def renewable(recognitions: Iterable[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Active recognitions that end within the renewal window, soonest first."""
    due = []
    for recognition in recognitions:
        until = parse_date(recognition.get("valid_until"))
        if recognition.get("status") != "active" or until is None:
            continue
        if until - today <= timedelta(days=renewal_window_days()):
            due.append(recognition)
    return sorted(due, key=lambda r: str(r.get("valid_until")))


def partnership_name(partnership_id: str | None) -> str | None:
    if not partnership_id:
        return None
    found = partnership(partnership_id)
    return found.name if found else partnership_id


def partnership_for_joint_committee(joint_committee: str | None) -> str:
    table = partnership_table()
    found = table.by_joint_committee(joint_committee) if joint_committee else None
    return found.id if found else table.fallback


def required_document_rules(partnership_id: str | None) -> list[tuple[str, str]]:
    values = policy_values(partnership_id)
    return [(r.type, r.per) for r in values.required_documents.value]


def appeal_window_days() -> int:
    return policy_values().appeal_window_days.value
