"""What the employer sees: the application with national register numbers masked, no storage
details (bucket, object key) and no internal bookkeeping."""

from __future__ import annotations

from typing import Any

from intake.domain.application import Application
from kernel.identifiers import mask_national_register_number

_HIDDEN = {"version", "policy", "history", "mentor_serial"}
_DOCUMENT_HIDDEN = {"bucket", "key", "version_id"}


def application_view(app: Application) -> dict[str, Any]:
    body = app.model_dump(mode="json", exclude=_HIDDEN)
    for mentor in body["mentors"]:
        mentor["national_register_number"] = mask_national_register_number(mentor.get("national_register_number"))
    for document in body["documents"]:
        for name in _DOCUMENT_HIDDEN:
            document.pop(name, None)
        # Where the document's mentor stands in the list now; None once that mentor was taken off it.
        document["mentor_index"] = app.mentor_index(document.get("mentor_id"))
        document["verified"] = document.get("sha256") is not None
        document["purged"] = document.get("purged_at") is not None
    body["on_behalf_of"] = app.enterprise_number
    return body


def summary_view(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "status": app.status,
        "enterprise_number": app.enterprise_number,
        "establishment_number": app.establishment_number,
        "training_code": app.training_code,
        "kind": app.kind,
        "company_name": app.company.name if app.company else None,
        "created_at": app.created_at,
        "submitted_at": app.submitted_at,
        "decision_due": app.decision_due,
        "partnership_id": app.partnership_id,
        "recognition_id": app.recognition_id,
    }


def history_view(app: Application) -> list[dict[str, Any]]:
    """Oldest first; events from the bus may have been applied out of order."""
    entries = sorted(app.history, key=lambda h: h.at)
    return [{"at": h.at, "actor": h.actor, "what": h.what, "details": h.details} for h in entries]
