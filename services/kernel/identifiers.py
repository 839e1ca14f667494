"""The identifiers the procedure speaks in (DOMAIN.md section 1), all with mod-97 checks.

- enterprise number (KBO/CBE): 10 digits, first 0 or 1, last two = 97 - (first eight mod 97)
- establishment-unit number: 10 digits, first 2..8, same check
- national register number: YYMMDD + 3-digit serial + 2 check digits = 97 - (first nine mod 97),
  with "2" prefixed to the nine digits for people born in 2000 or later.
"""

from __future__ import annotations

import re
from datetime import date

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


def national_register_birth_date(value: str) -> date | None:
    """The birth date a valid national register number encodes, or None when it is not valid.

    BIS numbers (people not in the national register) add 20 or 40 to the month; they are
    accepted too. A number whose date part is unknown (month or day 00) has no birth date and
    is reported as not valid, since the mentor age rule needs one.
    """
    if len(value) != 11 or not value.isdigit():
        return None
    body, check = value[:9], int(value[9:])
    if 97 - int(body) % 97 == check:
        century = 1900
    elif 97 - int("2" + body) % 97 == check:
        century = 2000
    else:
        return None
    year, month, day = century + int(value[0:2]), int(value[2:4]), int(value[4:6])
    if month > 40:
        month -= 40
    elif month > 20:
        month -= 20
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_national_register_number(value: str) -> bool:
    return national_register_birth_date(value) is not None


def mask_national_register_number(value: str | None) -> str | None:
    """Keep the birth date part, hide the serial and check digits: '800315*****'."""
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 6)


def format_enterprise_number(value: str) -> str:
    """'0403170701' -> '0403.170.701', the way it is printed on notices."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


def age_on(birth: date, on: date) -> int:
    """Completed years on a date (a 29 February birthday counts on 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
