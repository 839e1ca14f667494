"""The identifiers the procedure speaks in (DOMAIN.md section 1), all with mod-97 checks.

- enterprise number (KBO/CBE): 10 digits, first 0 or 1, last two = 97 - (first eight mod 97)
- establishment-unit number: 10 digits, first 2..8, same check

A national register number is checked where mentors are declared (intake.domain.national_register);
here it is only masked, as every service that shows one does.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")


def normalise(raw: str) -> str:
    """Drop dots, spaces, dashes and slashes: '0403.170.701' -> '0403170701'."""
    return _SEPARATORS.sub("", raw)


def _mod97_ok(digits: str) -> bool:
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def is_enterprise_number(value: str) -> bool:
    return len(value) == 10 and value.isdigit() and value[0] in "01" and _mod97_ok(value)


def is_establishment_number(value: str) -> bool:
    return len(value) == 10 and value.isdigit() and value[0] in "2345678" and _mod97_ok(value)


def mask_national_register_number(value: str | None) -> str | None:
    """Keep the birth date part, hide the serial and check digits: '800315*****'."""
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 6)


_ACT_REFERENCE = re.compile(r"^DL-\d{4}-[0-9A-F]{10}$")


def act_reference(act_key: str, year: int) -> str:
    """The readable reference of a legal act ('DL-2027-3F9A0C12BE'): the year of the act and a
    digest of its key (a decision or measure id; notification keys its other notices by kind).
    Notices print it and POST /appeals accepts it as subject_id, so notification and appeal must
    derive it the same way."""
    import hashlib

    return f"DL-{year}-{hashlib.sha256(act_key.encode()).hexdigest()[:10].upper()}"


def is_act_reference(value: str) -> bool:
    return bool(_ACT_REFERENCE.match(value))
