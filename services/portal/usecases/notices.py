"""Notices (official decisions with their PDF) and appeals against them."""

from __future__ import annotations

from typing import Any

from portal.usecases.ports import ApiProblem, Ports, Viewer, expect


def my_notices(ports: Ports, viewer: Viewer, subject_id: str | None = None) -> list[dict[str, Any]]:
    query = {"subject_id": subject_id} if subject_id else None
    notices = expect(ports.api.request("GET", viewer, "/notices", query=query)) or []
    return sorted(notices, key=lambda n: str(n.get("issued_at")), reverse=True)


def notice_pdf_url(ports: Ports, viewer: Viewer, notice_id: str) -> str:
    """A fresh download link (they live minutes): the page links here, not to a link that may have expired.

    Raises ApiProblem 404 for a notice that is not the caller's.
    """
    found = next((n for n in my_notices(ports, viewer) if n.get("id") == notice_id), None)
    if found is None or not found.get("pdf_url"):
        raise ApiProblem(404, {"title": "Not Found", "detail": "No such notice."})
    return str(found["pdf_url"])


def lodge_appeal(ports: Ports, viewer: Viewer, subject_id: str, grounds: str, idempotency_key: str) -> dict[str, Any]:
    """Raises ApiProblem (403 not the company itself, 404 not its decision, 422 fields)."""
    return expect(ports.api.request("POST", viewer, "/appeals", body={"subject_id": subject_id, "grounds": grounds},
                                    idempotency_key=idempotency_key))


def get_appeal(ports: Ports, viewer: Viewer, appeal_id: str) -> dict[str, Any]:
    return expect(ports.api.request("GET", viewer, f"/appeals/{appeal_id}"))


def my_appeals(ports: Ports, viewer: Viewer) -> list[dict[str, Any]] | None:
    """The employer's own appeals (CONTRACT.md: GET /appeals for an employer); None while the API
    does not list them for employers yet (403)."""
    try:
        appeals = expect(ports.api.request("GET", viewer, "/appeals")) or []
    except ApiProblem as problem:
        if problem.status == 403:
            return None
        raise
    return sorted(appeals, key=lambda a: str(a.get("lodged_at")), reverse=True)
