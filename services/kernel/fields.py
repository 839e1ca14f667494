"""Field types every service's request bodies share, so that the same text reaches the same rules
everywhere (issue 19): no control characters, no invisible or direction-changing characters, not
blank; dates written as YYYY-MM-DD and nothing else.

Free text ends up in e-mails, PDFs and partnership back offices; a NUL, an ESC sequence or a
right-to-left override that makes "invexe.pdf" out of "inv\\u202efdp.exe" has no business there.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# C0 and C1 controls and DEL, except tab and line breaks in text; the bidi embeddings, overrides,
# isolates and marks; zero-width spaces and the byte-order mark; lone surrogates.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def clean_text(value: str) -> str:
    """Raises PydanticCustomError (code invalid_characters) for a character no text of ours may hold."""
    if _FORBIDDEN.search(value):
        raise PydanticCustomError(
            "invalid_characters", "Control, invisible and text-direction characters are not allowed."
        )
    return value


def has_forbidden_characters(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def _iso_date(value: Any) -> Any:
    # Pydantic would also take a datetime ("2026-01-01T00:00:00Z") or a number of seconds as a date.
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("invalid_date", "A date is written YYYY-MM-DD (a real day).")


_STRIP = StringConstraints(strip_whitespace=True)
_CLEAN = AfterValidator(clean_text)

# Text of 1 to N characters once surrounding whitespace is stripped (blank is refused).
Name = Annotated[str, _STRIP, Field(min_length=1, max_length=200), _CLEAN]
Reason = Annotated[str, _STRIP, Field(min_length=1, max_length=2000), _CLEAN]
Message = Annotated[str, _STRIP, Field(min_length=1, max_length=4000), _CLEAN]
LongText = Annotated[str, _STRIP, Field(min_length=1, max_length=8000), _CLEAN]
# Text that may be empty (blank counts as empty), with the same character rules.
OptionalLongText = Annotated[str, _STRIP, Field(max_length=20000), _CLEAN]

IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# Identifiers a client copies from our answers (UUIDs, decision ids): no free text.
Identifier = Annotated[str, _STRIP, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
