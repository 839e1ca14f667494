"""Documents of a draft: the API registers one and hands out the presigned upload, which the
browser uses exactly as given (upload_url, upload_method, upload_headers)."""

from __future__ import annotations

from typing import Any

from portal.domain.steps import document_problem
from portal.usecases.ports import ApiProblem, Ports, Viewer, expect


def register_document(ports: Ports, viewer: Viewer, application_id: str, *, doc_type: str, filename: str,
                      content_type: str, size_bytes: int, mentor_index: int | None,
                      idempotency_key: str) -> dict[str, Any]:
    """The upload ticket: {id, upload_url, upload_method, upload_headers, expires_at}.

    Raises ApiProblem: 413 too large, 422 a wrong type (checked here first, so the user hears it
    before anything is registered).
    """
    problem = document_problem(content_type, size_bytes)
    if problem:
        status = 413 if problem == "too_large" else 422
        field = "size_bytes" if problem in ("too_large", "empty") else "content_type"
        raise ApiProblem(
            status, {"title": "Document refused", "errors": [{"field": field, "code": problem, "message": problem}]}
        )
    body: dict[str, Any] = {
        "type": doc_type,
        "filename": filename,
        "content_type": content_type,
        "size_bytes": size_bytes,
    }
    if mentor_index is not None:
        body["mentor_index"] = mentor_index
    ticket = expect(ports.api.request("POST", viewer, f"/applications/{application_id}/documents", body=body,
                                      idempotency_key=idempotency_key))
    return {"id": ticket.get("id"), "upload_url": ticket.get("upload_url"),
            "upload_method": ticket.get("upload_method") or "PUT",
            "upload_headers": ticket.get("upload_headers") or {}, "expires_at": ticket.get("expires_at")}


def remove_document(ports: Ports, viewer: Viewer, application_id: str, document_id: str) -> None:
    expect(ports.api.request("DELETE", viewer, f"/applications/{application_id}/documents/{document_id}"))
