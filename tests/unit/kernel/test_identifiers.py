from hypothesis import given
from hypothesis import strategies as st
from testkit.identifiers import with_check

from kernel.identifiers import is_enterprise_number, is_establishment_number, mask_national_register_number, normalise


def test_the_documented_examples_are_valid():
    assert is_enterprise_number("0403170701")
    assert is_establishment_number("2123456791")


def test_numbers_are_accepted_with_dots_and_spaces():
    assert normalise("0403.170.701") == "0403170701"
    assert normalise(" 0403 170 701 ") == "0403170701"


@given(st.integers(min_value=0, max_value=19_999_999))
def test_every_enterprise_number_with_a_correct_check_is_valid(n):
    number = with_check(f"{n:08d}")
    assert is_enterprise_number(number)


@given(st.integers(min_value=0, max_value=19_999_999), st.integers(min_value=1, max_value=96))
def test_a_wrong_check_is_refused(n, delta):
    body = f"{n:08d}"
    good = 97 - int(body) % 97
    bad = (good + delta - 1) % 97 + 1
    assert not is_enterprise_number(body + f"{bad:02d}")


@given(st.integers(min_value=20_000_000, max_value=89_999_999))
def test_establishment_numbers_start_with_two_to_eight(n):
    number = with_check(f"{n:08d}")
    assert is_establishment_number(number)
    assert not is_enterprise_number(number)


def test_masking_keeps_only_the_birth_date_part():
    assert mask_national_register_number("80031512361") == "800315*****"
