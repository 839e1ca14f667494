"""The public register: who is recognised for which training, on which day.

It reads register entries only (RegisterReader): the public fields, from the index of the filter,
one page at a time, so a page costs the same whether the register holds a hundred recognitions or
fifty thousand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kernel import clock
from kernel.errors import BadRequest, FieldError
from review.domain.recognition import current_for_key
from review.usecases.ports import InvalidCursor, RegisterFilter, RegisterReader
from review.usecases.views import public_view

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def register(reader: RegisterReader, *, where: RegisterFilter, limit: int = DEFAULT_LIMIT,
             cursor: str | None = None) -> dict[str, Any]:
    """{"items": recognitions active today (public fields), "next_cursor": where the next page starts,
    or None after the last}. Raises BadRequest for a cursor these filters did not hand out."""
    today = clock.today()
    try:
        page = reader.register_page(where, today, min(max(limit, 1), MAX_LIMIT), cursor)
    except InvalidCursor:
        raise BadRequest("cursor is not one this query handed out.",
                         [FieldError("cursor", "invalid_cursor", "use the next_cursor of the previous page, "
                                                                 "with the same filters")]) from None
    return {"items": [public_view(e, today) for e in page.entries], "next_cursor": page.next_cursor}


def verify(
    reader: RegisterReader, *, enterprise_number: str, establishment_number: str, training_code: str, on: date | None
) -> dict[str, Any]:
    """Whether the establishment is recognised for the training on ``on`` (default today). One shape
    whether found or not: the identifiers echoed; no match is recognized false, status "none", the
    recognition's fields null."""
    day = on or clock.today()
    candidates = reader.register_entries(enterprise_number, establishment_number, training_code)
    found = current_for_key(candidates, day)
    asked = {"enterprise_number": enterprise_number, "establishment_number": establishment_number,
             "training_code": training_code, "on": day}
    if found is None:
        return {"recognized": False, "recognition_id": None, "valid_from": None, "valid_until": None,
                "status": "none", **asked}
    status = found.status_on(day)
    return {"recognized": status == "active", "recognition_id": found.recognition_id, "valid_from": found.valid_from,
            "valid_until": found.valid_until, "status": status, **asked}
