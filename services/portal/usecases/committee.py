"""The appeal coordinator and committee (role ``appeals``), through the appeal routes of the API."""

from __future__ import annotations

from typing import Any

from portal.usecases.ports import Ports, Viewer, expect


def appeals(ports: Ports, viewer: Viewer) -> list[dict[str, Any]]:
    """The whole queue; the page filters and counts it."""
    return list(expect(ports.api.request("GET", viewer, "/appeals")) or [])


def appeal(ports: Ports, viewer: Viewer, appeal_id: str) -> dict[str, Any]:
    return dict(expect(ports.api.request("GET", viewer, f"/appeals/{appeal_id}")))


def contested_notices(ports: Ports, viewer: Viewer, subject_id: str) -> list[dict[str, Any]] | None:
    """The notices of the contested decision or measure, or None where the API does not show them
    to the appeals role (GET /notices is for companies and partnerships today)."""
    response = ports.api.request("GET", viewer, "/notices", query={"subject_id": subject_id})
    if response.status in (401, 403, 404) or not isinstance(response.body, list):
        return None
    return list(response.body)


def record_admissibility(
    ports: Ports, viewer: Viewer, appeal_id: str, body: dict[str, Any], key: str
) -> dict[str, Any]:
    """Raises ApiProblem: 409 no longer lodged, 422 inadmissible without reasons."""
    return expect(
        ports.api.request("POST", viewer, f"/appeals/{appeal_id}/admissibility", body=body, idempotency_key=key)
    )


def record_ruling(ports: Ports, viewer: Viewer, appeal_id: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    """Raises ApiProblem: 409 not admissible or already decided, 422 without reasons."""
    return expect(ports.api.request("POST", viewer, f"/appeals/{appeal_id}/decision", body=body, idempotency_key=key))
