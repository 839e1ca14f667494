"""Request bodies the tests send more than once."""

from __future__ import annotations

from datetime import date
from typing import Any


def application_body(enterprise_number: str, establishment_number: str, training_code: str, *,
                     extract_issued_on: date, **overrides: Any) -> dict[str, Any]:
    """A complete ``POST /applications`` body: one mentor, every declaration yes."""
    body: dict[str, Any] = {
        "enterprise_number": enterprise_number,
        "establishment_number": establishment_number,
        "training_code": training_code,
        "kind": "new",
        "company": {"name": "P", "joint_committee": "111",
                    "address": {"street": "S 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "J", "email": "j@p.example"},
        "mentors": [{"first_name": "A", "last_name": "B", "national_register_number": "80031512361",
                     "experience_years": 9, "extract_issued_on": extract_issued_on.isoformat()}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True},
    }
    return body | overrides
