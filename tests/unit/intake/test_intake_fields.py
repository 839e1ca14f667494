"""Identifier fields: accepted with dots and spaces, stored as digits, checked by mod 97."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from intake_support import nrn
from pydantic import TypeAdapter, ValidationError
from testkit.identifiers import with_check

from intake.domain.fields import EnterpriseNumber, EstablishmentNumber, JointCommittee, NationalRegisterNumber
from intake.domain.national_register import national_register_birth_date

enterprise = TypeAdapter(EnterpriseNumber)
establishment = TypeAdapter(EstablishmentNumber)
register_number = TypeAdapter(NationalRegisterNumber)
joint_committee = TypeAdapter(JointCommittee)


def _code(adapter: TypeAdapter, value: str) -> str | None:
    try:
        adapter.validate_python(value)
        return None
    except ValidationError as exc:
        return exc.errors()[0]["type"]


@given(st.integers(0, 19_999_999))
def test_any_enterprise_number_with_its_check_digits_is_accepted_and_normalised(n):
    digits = with_check(f"{n:08d}")
    assert enterprise.validate_python(f"{digits[:4]}.{digits[4:7]}.{digits[7:]}") == digits
    assert enterprise.validate_python(f" {digits[:4]} {digits[4:7]} {digits[7:]} ") == digits


@given(st.integers(0, 19_999_999), st.integers(1, 96))
def test_a_wrong_check_digit_is_refused(n, shift):
    digits = with_check(f"{n:08d}")
    wrong = digits[:8] + f"{(int(digits[8:]) + shift - 1) % 97 + 1:02d}"
    if wrong != digits:
        assert _code(enterprise, wrong) == "invalid_enterprise_number"


@given(st.integers(20_000_000, 89_999_999))
def test_establishment_numbers_start_with_2_to_8(n):
    digits = with_check(f"{n:08d}")
    assert establishment.validate_python(digits) == digits
    assert _code(enterprise, digits) == "invalid_enterprise_number"


@given(st.dates(date(1930, 1, 1), date(2015, 12, 31)), st.integers(1, 997))
def test_a_national_register_number_carries_its_real_birth_date(birth, serial):
    number = nrn(birth, serial)
    assert (
        register_number.validate_python(f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}")
        == number
    )
    assert national_register_birth_date(number) == birth


def test_a_national_register_number_without_a_real_date_is_refused():
    number = with_check("800230123")  # 30 February
    assert _code(register_number, number) == "invalid_national_register_number"
    assert _code(register_number, "80031512362") == "invalid_national_register_number"


def test_joint_committees_are_three_digits_with_an_optional_sub_committee():
    assert joint_committee.validate_python("302") == "302"
    assert joint_committee.validate_python("140.03") == "140.03"
    for bad in ("30", "3022", "140.3", "140.", "abc", "１４０"):
        assert _code(joint_committee, bad) == "invalid_joint_committee"
