"""Appeals and subjects as DynamoDB items (strings, booleans, lists, maps) and back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from appeal.domain.appeals import Admissibility, Appeal, Ruling
from appeal.domain.subjects import Notice, Subject
from kernel import clock

QUEUE_PARTITION = "APPEALS"


def appeal_key(appeal_id: str) -> dict[str, str]:
    return {"pk": f"APPEAL#{appeal_id}", "sk": "APPEAL"}


def subject_key(subject_id: str) -> dict[str, str]:
    return {"pk": f"SUBJECT#{subject_id}", "sk": "FACTS"}


def pending_key(subject_id: str, appeal_id: str) -> dict[str, str]:
    """Marks an appeal whose AppealLodged may not have been published yet (an outbox entry)."""
    return {"pk": f"SUBJECT#{subject_id}", "sk": f"PENDING#{appeal_id}"}


def company_key(enterprise_number: str, lodged_at: datetime, appeal_id: str) -> dict[str, str]:
    """One item per appeal in its company's partition, oldest first: a company lists its own
    appeals with a query, not by reading the coordinator's whole queue."""
    return {"pk": f"COMPANY#{enterprise_number}", "sk": f"APPEAL#{_instant(lodged_at)}#{appeal_id}"}


def holder_key(subject_id: str) -> dict[str, str]:
    """The one item that says which appeal holds a subject (at most one)."""
    return {"pk": f"SUBJECT#{subject_id}", "sk": "HOLDER"}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: datetime) -> str:
    return clock.iso(value)


def _no_nones(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None}


def appeal_to_item(a: Appeal) -> dict[str, Any]:
    admissibility = ruling = None
    if a.admissibility is not None:
        admissibility = {
            "admissible": a.admissibility.admissible,
            "reasons": list(a.admissibility.reasons),
            "decided_at": _instant(a.admissibility.decided_at),
            "decided_by": a.admissibility.decided_by,
        }
    if a.ruling is not None:
        ruling = {
            "outcome": a.ruling.outcome,
            "reasons": list(a.ruling.reasons),
            "decided_at": _instant(a.ruling.decided_at),
        }
    lodged_at = _instant(a.lodged_at)
    return _no_nones(
        {
            **appeal_key(a.appeal_id),
            "gsi1pk": QUEUE_PARTITION,
            "gsi1sk": f"{lodged_at}#{a.appeal_id}",
            "appeal_id": a.appeal_id,
            "subject_id": a.subject_id,
            "subject_kind": a.subject_kind,
            "subject_type": a.subject_type,
            "enterprise_number": a.enterprise_number,
            "partnership_id": a.partnership_id,
            "grounds": a.grounds,
            "lodged_at": lodged_at,
            "lodged_by": a.lodged_by,
            "appeal_deadline": _day(a.appeal_deadline),
            "deadline_basis": a.deadline_basis,
            "acknowledgement_due": _day(a.acknowledgement_due),
            "status": a.status,
            "policy_version": a.policy_version,
            "admissibility": admissibility,
            "ruling": ruling,
            "decision_due": _day(a.decision_due),
            "acknowledgement_overdue": a.acknowledgement_overdue,
        }
    )


def appeal_from_item(item: dict[str, Any]) -> Appeal:
    adm, rul = item.get("admissibility"), item.get("ruling")
    return Appeal(
        appeal_id=item["appeal_id"],
        subject_id=item["subject_id"],
        subject_kind=item["subject_kind"],
        subject_type=item["subject_type"],
        enterprise_number=item["enterprise_number"],
        partnership_id=item.get("partnership_id"),
        grounds=item["grounds"],
        lodged_at=datetime.fromisoformat(item["lodged_at"]),
        lodged_by=item["lodged_by"],
        appeal_deadline=date.fromisoformat(item["appeal_deadline"]) if item.get("appeal_deadline") else None,
        deadline_basis=item["deadline_basis"],
        acknowledgement_due=date.fromisoformat(item["acknowledgement_due"]),
        status=item["status"],
        policy_version=item["policy_version"],
        admissibility=Admissibility(
            bool(adm["admissible"]), tuple(adm["reasons"]), datetime.fromisoformat(adm["decided_at"]), adm["decided_by"]
        )
        if adm
        else None,
        ruling=Ruling(rul["outcome"], tuple(rul["reasons"]), datetime.fromisoformat(rul["decided_at"]))
        if rul
        else None,
        decision_due=date.fromisoformat(item["decision_due"]) if item.get("decision_due") else None,
        acknowledgement_overdue=bool(item.get("acknowledgement_overdue", False)),
    )


def subject_from_item(item: dict[str, Any]) -> Subject | None:
    """None while only the notice is known (its decision or measure has not arrived yet)."""
    if not all(item.get(k) for k in ("kind", "subject_type", "enterprise_number", "decided_at")):
        return None
    notice = None
    if item.get("notice_id"):
        notice = Notice(
            notice_id=item["notice_id"],
            issued_at=datetime.fromisoformat(item["notice_issued_at"]),
            appeal_deadline=date.fromisoformat(item["notice_appeal_deadline"])
            if item.get("notice_appeal_deadline")
            else None,
        )
    return Subject(
        subject_id=item["subject_id"],
        kind=item["kind"],
        subject_type=item["subject_type"],
        enterprise_number=item["enterprise_number"],
        partnership_id=item.get("partnership_id"),
        decided_at=datetime.fromisoformat(item["decided_at"]),
        notice=notice,
        undelivered_notices=frozenset(item.get("undelivered_notice_ids", ())),
    )
