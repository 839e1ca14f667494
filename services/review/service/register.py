"""The public register: who is recognised for which training, on which day."""

from __future__ import annotations

from datetime import date
from typing import Any

from kernel import clock
from review.domain.recognition import current_for_key
from review.service.ports import Ports
from review.service.views import public_view


def register(
    ports: Ports, *, training_code: str | None, postal_code: str | None, enterprise_number: str | None
) -> list[dict[str, Any]]:
    """Recognitions active today, filtered; public fields only."""
    today = clock.today()
    found = [
        r for r in ports.repo.register(enterprise_number)
        if r.is_valid_on(today)
        and (training_code is None or r.training_code == training_code)
        and (postal_code is None or r.postal_code == postal_code)
    ]
    found.sort(key=lambda r: (r.enterprise_number, r.establishment_number, r.training_code))
    return [public_view(r, today) for r in found]


def verify(
    ports: Ports, *, enterprise_number: str, establishment_number: str, training_code: str, on: date | None
) -> dict[str, Any]:
    """Whether the establishment is recognised for the training on ``on`` (default today)."""
    day = on or clock.today()
    candidates = ports.repo.recognitions_for_key(enterprise_number, establishment_number, training_code)
    found = current_for_key(candidates, day)
    if found is None:
        return {"recognized": False, "recognition_id": None, "valid_from": None, "valid_until": None,
                "status": "none", "on": day}
    status = found.status_on(day)
    return {"recognized": status == "active", "recognition_id": found.recognition_id, "valid_from": found.valid_from,
            "valid_until": found.valid_until, "status": status, "on": day,
            "enterprise_number": enterprise_number, "establishment_number": establishment_number,
            "training_code": training_code}
