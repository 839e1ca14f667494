"""The national register number of a mentor (DOMAIN.md section 1): YYMMDD + 3-digit serial + 2
check digits = 97 - (first nine mod 97), with "2" prefixed to the nine digits for people born in
2000 or later; day or month 00 when the birth date is not (fully) known.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BirthFacts:
    """What a national register number says about its holder's birth.

    The register gives numbers with day or month 00 to people whose birth date is not (fully)
    known; the year is always there. ``earliest_birth``/``latest_birth`` bound the birth date.
    """

    year: int
    month: int | None  # None: unknown (00, or 20/40 in a BIS number)
    day: int | None  # None: unknown (00)

    @property
    def birth_date(self) -> date | None:
        """The full birth date, or None when the day or the month is unknown."""
        return date(self.year, self.month, self.day) if self.month and self.day else None

    @property
    def earliest_birth(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest_birth(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or _calendar.monthrange(self.year, month)[1])

    def ages_on(self, on: date) -> tuple[int, int]:
        """(youngest, oldest) completed years on ``on`` that the number allows."""
        return age_on(self.latest_birth, on), age_on(self.earliest_birth, on)


def parse_national_register_number(value: str) -> BirthFacts | None:
    """The birth facts of a number with matching check digits, or None when it is not valid.

    The check digits tell the century: 97 - (first nine digits mod 97), or the same with "2"
    prefixed for people born in 2000 or later. BIS numbers (people not in the register) add 20
    or 40 to the month; they are accepted too. Day or month 00 means unknown, which is valid; a
    date that does not exist (30 February, month 13) is not.
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
    if month >= 40:
        month -= 40
    elif month >= 20:
        month -= 20
    if month > 12 or day > 31:
        return None
    parsed = BirthFacts(year, month or None, day or None)
    if parsed.month and parsed.day and parsed.day > _calendar.monthrange(year, parsed.month)[1]:
        return None
    return parsed


def national_register_birth_date(value: str) -> date | None:
    """The full birth date a valid number encodes; None when it is not valid or the date is unknown."""
    parsed = parse_national_register_number(value)
    return parsed.birth_date if parsed else None


def is_national_register_number(value: str, on: date | None = None) -> bool:
    """Valid check digits and a possible birth date; with ``on``, also not born after ``on`` (a
    number whose check digits only fit the 2000+ rule can decode to a date in the future)."""
    parsed = parse_national_register_number(value)
    return parsed is not None and (on is None or parsed.earliest_birth <= on)


def age_on(birth: date, on: date) -> int:
    """Completed years on a date (a 29 February birthday counts on 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
