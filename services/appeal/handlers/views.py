"""How an appeal reads over HTTP (CONTRACT.md "Appeals"): the contract's fields plus the terms
and overdue flags the coordinator's queue needs."""

from __future__ import annotations

from datetime import date
from typing import Any

from appeal.domain.appeals import Appeal
from kernel import clock


def appeal_view(appeal: Appeal, today: date) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": appeal.appeal_id,
        "subject_id": appeal.subject_id,
        "subject_kind": appeal.subject_kind,
        "subject_type": appeal.subject_type,
        "enterprise_number": appeal.enterprise_number,
        "partnership_id": appeal.partnership_id,
        "status": appeal.status,
        "grounds": appeal.grounds,
        "lodged_at": clock.iso(appeal.lodged_at),
        "appeal_deadline": appeal.appeal_deadline,
        # notice: the notice's own deadline; decision_date: no notice known yet when lodged, counted from
        # the decision or measure date; receipt_not_assumed: the notice reached no known address, no
        # term runs (None); notice_date: counted from the notice's date (appeals lodged before that rule).
        "appeal_deadline_basis": appeal.deadline_basis,
        "acknowledgement_due": appeal.acknowledgement_due,
        "acknowledgement_overdue": appeal.acknowledgement_is_overdue(today),
        "decision_due": appeal.decision_due,
        "decision_overdue": appeal.decision_is_overdue(today),
    }
    if appeal.admissibility is not None:
        view["admissibility"] = {
            "admissible": appeal.admissibility.admissible,
            "reasons": list(appeal.admissibility.reasons),
            "decided_at": clock.iso(appeal.admissibility.decided_at),
            "decided_by": appeal.admissibility.decided_by,
        }
    if appeal.ruling is not None:
        view["decision"] = {
            "outcome": appeal.ruling.outcome,
            "reasons": list(appeal.ruling.reasons),
            "decided_at": clock.iso(appeal.ruling.decided_at),
        }
    return view
