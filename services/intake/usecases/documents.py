"""Registering a document: an upload slot with a presigned PUT URL."""

from __future__ import annotations

import secrets
from typing import Any

from intake.domain.application import DocumentRecord
from intake.domain.documents import UPLOAD_URL_VALID_FOR, check_size
from intake.domain.requests import RegisterDocument
from intake.usecases.applications import actor_of
from intake.usecases.ports import Ports, Principal
from intake.usecases.unit_of_work import commit, load_own
from kernel import clock


def register_document(
    ports: Ports, principal: Principal, application_id: str, command: RegisterDocument
) -> dict[str, Any]:
    """Raises NotFound, Conflict (not a draft), PayloadTooLarge, RuleViolation (mentor_index, count)."""
    app = load_own(ports, principal, application_id)
    check_size(command.size_bytes)
    now = clock.now()
    document = DocumentRecord(
        id=ports.new_id(),
        type=command.type,
        filename=command.filename,
        content_type=command.content_type,
        size_bytes=command.size_bytes,
        mentor_id=command.mentor_id,
        bucket=ports.documents.bucket,
        key=f"applications/{app.id}/{secrets.token_urlsafe(24)}",
        registered_at=now,
    )
    document = app.register_document(document, actor_of(principal), now, mentor_index=command.mentor_index)
    commit(ports, app, [])
    seconds = int(UPLOAD_URL_VALID_FOR.total_seconds())
    url, headers = ports.documents.upload_url(document.key, document.content_type, document.size_bytes, seconds)
    return {
        "id": document.id,
        "application_id": app.id,
        "type": document.type,
        "mentor_id": document.mentor_id,
        "mentor_index": app.mentor_index(document.mentor_id),
        "upload_url": url,
        "upload_method": "PUT",
        "upload_headers": headers,
        "expires_at": now + UPLOAD_URL_VALID_FOR,
    }


def remove_document(ports: Ports, principal: Principal, application_id: str, document_id: str) -> None:
    """Raises NotFound (application or document), Conflict (not a draft)."""
    app = load_own(ports, principal, application_id)
    document = app.remove_document(document_id, actor_of(principal), clock.now())
    commit(ports, app, [])
    ports.documents.delete(document.key)
