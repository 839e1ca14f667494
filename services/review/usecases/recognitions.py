"""Granting recognitions and ending them when their period is over."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from kernel import clock
from kernel.auth import Caller
from kernel.envelope import Envelope
from kernel.errors import BadRequest, FieldError, NotFound
from kernel.events import ApplicationSnapshot, RecognitionExpiredV1, RecognitionExpiryDueV1, RecognitionGrantedV1
from kernel.publisher import publish
from review.domain.recognition import Recognition
from review.usecases.common import SOURCE, update_recognition
from review.usecases.ports import (
    InvalidCursor,
    Ports,
    RecognitionFilter,
    RecognitionPage,
    decode_cursor,
    encode_cursor,
)
from review.usecases.views import recognition_view

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def listing(ports: Ports, partnership_id: str, *, status: str | None = None, enterprise_number: str | None = None,
            limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> dict[str, Any]:
    """{"items": the partnership's recognitions (by valid_from), "next_cursor"}, like the register's
    pages; with ``enterprise_number`` those of that enterprise only (read from its own partition).
    Raises BadRequest for a cursor this query did not hand out."""
    today = clock.today()
    where = RecognitionFilter(partnership_id=partnership_id, status=status, enterprise_number=enterprise_number)
    limit = min(max(limit, 1), MAX_LIMIT)
    try:
        if enterprise_number is not None:
            page = _enterprise_page(ports, where, today, limit, cursor)
        else:
            page = ports.repo.recognitions_page(where, today, limit, cursor)
    except InvalidCursor:
        raise BadRequest("cursor is not one this query handed out.",
                         [FieldError("cursor", "invalid_cursor", "use the next_cursor of the previous page, "
                                                                 "with the same filters")]) from None
    return {"items": [recognition_view(r, today) for r in page.recognitions], "next_cursor": page.next_cursor}


def _enterprise_page(ports: Ports, where: RecognitionFilter, on: date, limit: int, cursor: str | None
                     ) -> RecognitionPage:
    """An enterprise has a handful of recognitions: read them all, page them here in the same order."""
    assert where.enterprise_number is not None

    def sort_key(r: Recognition) -> str:
        return f"{r.valid_from.isoformat()}#{r.recognition_id}"

    start = decode_cursor(where, cursor) if cursor else None
    mine = sorted((r for r in ports.repo.enterprise_recognitions(where.enterprise_number)
                   if r.partnership_id == where.partnership_id and where.status in (None, r.status_on(on))
                   and (start is None or sort_key(r) > start)), key=sort_key)
    page = mine[:limit]
    more = len(mine) > limit
    return RecognitionPage(page, encode_cursor(where, sort_key(page[-1])) if more and page else None)


def own_recognition(ports: Ports, caller: Caller, recognition_id: str) -> Recognition:
    """The recognition if the caller's partnership granted it. Raises NotFound otherwise."""
    current = ports.repo.get_recognition(recognition_id)
    if current is None or current.item.partnership_id != caller.partnership_id:
        raise NotFound("No such recognition.")
    return current.item


def one(ports: Ports, caller: Caller, recognition_id: str) -> dict[str, Any]:
    """One of the caller's partnership's recognitions. Raises NotFound (none, or another's)."""
    return recognition_view(own_recognition(ports, caller, recognition_id), clock.today())


def new_recognition(
    *,
    recognition_id: str,
    partnership_id: str,
    application: ApplicationSnapshot,
    valid_from: date,
    valid_until: date,
    granted_at: datetime,
    decision_id: str | None,
    appeal_id: str | None = None,
    renews_recognition_id: str | None = None,
) -> Recognition:
    company = application.company
    address = company.address if company else None
    return Recognition(
        recognition_id=recognition_id,
        partnership_id=partnership_id,
        enterprise_number=application.enterprise_number,
        establishment_number=application.establishment_number,
        training_code=application.training_code,
        company_name=company.name if company else None,
        postal_code=address.postal_code if address else None,
        city=address.city if address else None,
        mentors=list(application.mentors),
        valid_from=valid_from,
        valid_until=valid_until,
        granted_at=granted_at,
        application_id=application.application_id,
        decision_id=decision_id,
        appeal_id=appeal_id,
        renews_recognition_id=renews_recognition_id,
    )


def granted_event(recognition: Recognition) -> RecognitionGrantedV1:
    return RecognitionGrantedV1(
        recognition_id=recognition.recognition_id,
        application_id=recognition.application_id,
        decision_id=recognition.decision_id,
        appeal_id=recognition.appeal_id,
        partnership_id=recognition.partnership_id,
        enterprise_number=recognition.enterprise_number,
        establishment_number=recognition.establishment_number,
        training_code=recognition.training_code,
        company_name=recognition.company_name,
        postal_code=recognition.postal_code,
        city=recognition.city,
        mentors=recognition.mentors,
        valid_from=recognition.valid_from,
        valid_until=recognition.valid_until,
        renews_recognition_id=recognition.renews_recognition_id,
        granted_at=recognition.granted_at,
    )


def on_expiry_due(ports: Ports, envelope: Envelope, data: RecognitionExpiryDueV1) -> None:
    """The recognition's period is over. Unless a renewal takes over (it becomes active the same
    day, by its dates) or it was revoked before, it expires: RecognitionExpired."""
    current = ports.repo.get_recognition(data.recognition_id)
    if current is None or current.item.valid_until != data.valid_until:
        return  # an old timer for a period that no longer applies
    recognition = current.item
    first_day_after = recognition.valid_until + timedelta(days=1)
    if recognition.status_on(recognition.valid_until) == "revoked":
        update_recognition(ports, recognition.recognition_id, lambda r: r.model_copy(update={"ended": True}))
        return
    renewal = None
    if recognition.renewed_by_recognition_id:
        found = ports.repo.get_recognition(recognition.renewed_by_recognition_id)
        renewal = found.item if found else None
    update_recognition(ports, recognition.recognition_id, lambda r: r.model_copy(update={"ended": True}))
    if renewal is not None and renewal.is_valid_on(first_day_after):
        return  # continuity: the register shows the renewal from today, nothing expired
    publish(
        ports.publisher,
        RecognitionExpiredV1(
            recognition_id=recognition.recognition_id,
            partnership_id=recognition.partnership_id,
            enterprise_number=recognition.enterprise_number,
            establishment_number=recognition.establishment_number,
            training_code=recognition.training_code,
            expired_on=first_day_after,
        ),
        source=SOURCE, correlation_id=envelope.correlation_id,
        cause_id=envelope.event_id,
        what="RecognitionExpired",
    )

