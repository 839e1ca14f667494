"""The company's applications, through the intake routes of the API (CONTRACT.md, "Employer or intermediary")."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.domain.dates import renewable
from portal.usecases.ports import Ports, Viewer, expect


def my_applications(ports: Ports, viewer: Viewer, enterprise_number: str | None = None) -> list[dict[str, Any]]:
    """The caller's applications, newest first; for one enterprise when given (an intermediary's choice)."""
    found = expect(ports.api.request("GET", viewer, "/applications")) or []
    return [a for a in found if enterprise_number is None or a.get("enterprise_number") == enterprise_number]


def recognitions_to_renew(ports: Ports, viewer: Viewer, enterprise_number: str, today: date) -> list[dict[str, Any]]:
    """The enterprise's recognitions that end within the renewal window (the public register knows them)."""
    body = expect(ports.api.request("GET", Viewer(viewer.api_base), "/register",
                                    query={"enterprise_number": enterprise_number, "limit": "200"}))
    items = body.get("items", []) if isinstance(body, dict) else body or []
    return renewable(items, today)


def get_application(ports: Ports, viewer: Viewer, application_id: str) -> dict[str, Any]:
    return expect(ports.api.request("GET", viewer, f"/applications/{application_id}"))


def timeline(ports: Ports, viewer: Viewer, application_id: str) -> list[dict[str, Any]]:
    return expect(ports.api.request("GET", viewer, f"/applications/{application_id}/history")) or []


def start_draft(ports: Ports, viewer: Viewer, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    """Raises ApiProblem (403 another enterprise, 422 with the fields)."""
    return expect(ports.api.request("POST", viewer, "/applications", body=body, idempotency_key=idempotency_key))


def save_step(ports: Ports, viewer: Viewer, application_id: str, patch: dict[str, Any]) -> dict[str, Any]:
    """Saves a step of the draft (JSON merge patch). Raises ApiProblem (409 submitted, 422 fields)."""
    return expect(ports.api.request("PATCH", viewer, f"/applications/{application_id}", body=patch))


def submit(ports: Ports, viewer: Viewer, application_id: str, idempotency_key: str) -> dict[str, Any]:
    """Raises ApiProblem: 422 lists every missing or failing item."""
    return expect(ports.api.request("POST", viewer, f"/applications/{application_id}/submit", body={},
                                    idempotency_key=idempotency_key))


def withdraw(ports: Ports, viewer: Viewer, application_id: str, idempotency_key: str) -> dict[str, Any]:
    return expect(ports.api.request("POST", viewer, f"/applications/{application_id}/withdraw", body={},
                                    idempotency_key=idempotency_key))


def answer_question(ports: Ports, viewer: Viewer, application_id: str, question_id: str, message: str,
                    idempotency_key: str) -> dict[str, Any]:
    """Sends the answer tied to its question ({message, question_id}): intake refuses an answer to a
    question the application was never asked (422) or one already answered (409)."""
    return expect(ports.api.request("POST", viewer, f"/applications/{application_id}/messages",
                                    body={"message": message, "question_id": question_id},
                                    idempotency_key=idempotency_key))


def request_support(ports: Ports, viewer: Viewer, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    return expect(ports.api.request("POST", viewer, "/support-requests", body=body, idempotency_key=idempotency_key))
