"""Valid Belgian identifiers for tests, written out once (kernel.identifiers checks them; this builds them).

Enterprise and establishment numbers: ten digits, the last two ``97 - (first eight mod 97)``; enterprise
numbers start with 0 or 1, establishment numbers with 2 to 8. A national register number is the birth date
(YYMMDD), a serial and two check digits ``97 - (first nine mod 97)``, computed on ``"2" + first nine`` for
someone born in 2000 or later.
"""

from __future__ import annotations

import random
from datetime import date

ENTERPRISE = "0403170701"  # the documented example
ESTABLISHMENT = "2123456791"
NATIONAL_REGISTER_NUMBER = "80031512361"  # born 15 March 1980


def with_check(body: str, *, after_2000: bool = False) -> str:
    """``body`` followed by its two mod-97 check digits (of ``"2" + body`` when ``after_2000``)."""
    return body + f"{97 - int(('2' if after_2000 else '') + body) % 97:02d}"


def enterprise_number(rng: random.Random | None = None) -> str:
    """A fresh random enterprise number (one open application per key: tests need their own)."""
    return with_check("0" + _digits(7, rng))


def establishment_number(rng: random.Random | None = None) -> str:
    """A fresh random establishment number."""
    first = (rng.choice if rng else random.choice)("2345678")
    return with_check(first + _digits(7, rng))


def _digits(k: int, rng: random.Random | None) -> str:
    return "".join((rng.choices if rng else random.choices)("0123456789", k=k))


def national_register_number(birth: date, serial: int = 123) -> str:
    """The number of someone born on ``birth``."""
    return with_check(f"{birth:%y%m%d}{serial:03d}", after_2000=birth.year >= 2000)


def dotted(enterprise: str) -> str:
    """``0403.170.701``: how people write an enterprise number."""
    return f"{enterprise[:4]}.{enterprise[4:7]}.{enterprise[7:]}"
