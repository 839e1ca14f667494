"""Field types of an application body, each with its check and a client-facing error code.

Identifiers are accepted with dots or spaces and stored normalised (CONTRACT.md). Error messages
never echo the value: a national register number must not come back in a problem or a log line.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from intake.domain.filenames import filename_problem
from intake.domain.national_register import is_national_register_number
from kernel.fields import clean_text
from kernel.identifiers import is_enterprise_number, is_establishment_number, normalise

# Also the message of a number whose birth date lies in the future (domain.application).
INVALID_NATIONAL_REGISTER_NUMBER = (
    "Not a national register number: 11 digits, a birth date that exists and is not in the future "
    "(day or month 00 when the birth date is unknown) and matching check digits."
)
JOINT_COMMITTEE = re.compile(r"[0-9]{3}(\.[0-9]{2})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _enterprise_number(value: str) -> str:
    digits = normalise(value)
    if not is_enterprise_number(digits):
        raise PydanticCustomError(
            "invalid_enterprise_number", "Not an enterprise number: 10 digits starting with 0 or 1, mod-97 check."
        )
    return digits


def _establishment_number(value: str) -> str:
    digits = normalise(value)
    if not is_establishment_number(digits):
        raise PydanticCustomError(
            "invalid_establishment_number",
            "Not an establishment-unit number: 10 digits starting with 2 to 8, mod-97 check.",
        )
    return digits


def _national_register_number(value: str) -> str:
    digits = normalise(value)
    if not is_national_register_number(digits):
        raise PydanticCustomError(
            "invalid_national_register_number",
            INVALID_NATIONAL_REGISTER_NUMBER,
        )
    return digits


def _training_code(value: str) -> str:
    from reference.catalogue import training  # loads the catalogue at first use, not at import

    if training(value) is None:
        raise PydanticCustomError("unknown_training", "No training with this code in the catalogue (GET /trainings).")
    return value


def _joint_committee(value: str) -> str:
    if not JOINT_COMMITTEE.fullmatch(value):
        raise PydanticCustomError("invalid_joint_committee", "A joint committee looks like 302 or 140.03.")
    return value


def _email(value: str) -> str:
    if not EMAIL.fullmatch(value):
        raise PydanticCustomError("invalid_email", "Not an e-mail address.")
    return value


def _no_control_characters(value: str) -> str:
    # The rules every service shares (kernel.fields): controls, DEL, bidi and zero-width characters.
    return clean_text(value)


def _filename(value: str) -> str:
    # intake.domain.filenames: an allow-list, no path, no hidden file, no device name (the extension is
    # checked against the declared content type by RegisterDocument).
    problem = filename_problem(value)
    if problem:
        raise PydanticCustomError("invalid_filename", problem)
    return value


Strip = StringConstraints(strip_whitespace=True)
Text = Annotated[str, Strip, Field(min_length=1, max_length=200), AfterValidator(_no_control_characters)]
LongText = Annotated[str, Strip, Field(min_length=1, max_length=4000), AfterValidator(_no_control_characters)]
Identifier = Annotated[str, Strip, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
EnterpriseNumber = Annotated[str, Strip, Field(min_length=1, max_length=20), AfterValidator(_enterprise_number)]
EstablishmentNumber = Annotated[str, Strip, Field(min_length=1, max_length=20), AfterValidator(_establishment_number)]
NationalRegisterNumber = Annotated[
    str, Strip, Field(min_length=1, max_length=20), AfterValidator(_national_register_number)
]
TrainingCode = Annotated[str, Strip, Field(min_length=1, max_length=100), AfterValidator(_training_code)]
JointCommittee = Annotated[str, Strip, Field(min_length=1, max_length=10), AfterValidator(_joint_committee)]
Email = Annotated[str, Strip, Field(min_length=3, max_length=254), AfterValidator(_email)]
Phone = Annotated[str, Strip, Field(min_length=6, max_length=25, pattern=r"^\+?[0-9 ()./-]+$")]
PostalCode = Annotated[str, Strip, Field(pattern=r"^[1-9][0-9]{3}$")]
Filename = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_filename)]
