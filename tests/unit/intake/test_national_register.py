from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.domain.national_register import (
    age_on,
    is_national_register_number,
    national_register_birth_date,
    parse_national_register_number,
)


def test_the_documented_examples_are_valid():
    assert national_register_birth_date("80031512361") == date(1980, 3, 15)
    assert national_register_birth_date("03060721104") == date(2003, 6, 7)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)), st.integers(1, 998))
def test_national_register_numbers_encode_their_birth_date(born, serial):
    body = f"{born:%y%m%d}{serial:03d}"
    prefix = "2" if born.year >= 2000 else ""
    number = body + f"{97 - int(prefix + body) % 97:02d}"
    assert national_register_birth_date(number) == born


def test_a_national_register_number_with_a_bad_check_has_no_birth_date():
    assert national_register_birth_date("80031512362") is None
    assert national_register_birth_date("8003151236") is None


def test_age_counts_completed_years():
    assert age_on(date(2000, 3, 15), date(2025, 3, 14)) == 24
    assert age_on(date(2000, 3, 15), date(2025, 3, 15)) == 25
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24


def _nrn(yymmdd: str, serial: str = "123", after_2000: bool = False) -> str:
    body = yymmdd + serial
    return body + f"{97 - int(('2' if after_2000 else '') + body) % 97:02d}"


def test_a_number_whose_checks_fit_only_the_2000_rule_cannot_be_born_after_today():
    future = _nrn("400101", after_2000=True)  # 1 January 2040
    assert national_register_birth_date(future) == date(2040, 1, 1)
    assert is_national_register_number(future) and not is_national_register_number(future, on=date(2026, 6, 1))
    born_today = _nrn("260601", after_2000=True)
    assert is_national_register_number(born_today, on=date(2026, 6, 1))
    assert not is_national_register_number(born_today, on=date(2026, 5, 31))


@pytest.mark.parametrize("yymmdd,after_2000,earliest,latest", [
    ("800000", False, date(1980, 1, 1), date(1980, 12, 31)),   # month and day unknown
    ("800300", False, date(1980, 3, 1), date(1980, 3, 31)),    # day unknown
    ("000000", True, date(2000, 1, 1), date(2000, 12, 31)),    # born in 2000 or later, date unknown
    ("802000", False, date(1980, 1, 1), date(1980, 12, 31)),   # BIS number (+20), month unknown
    ("804015", False, date(1980, 1, 15), date(1980, 12, 15)),  # BIS number (+40), month unknown, day known
])
def test_numbers_with_an_unknown_birth_date_are_valid_with_the_range_they_allow(yymmdd, after_2000, earliest, latest):
    number = _nrn(yymmdd, after_2000=after_2000)
    parsed = parse_national_register_number(number)
    assert parsed is not None and parsed.birth_date is None
    assert (parsed.earliest_birth, parsed.latest_birth) == (earliest, latest)
    assert is_national_register_number(number) and is_national_register_number(number, on=date(2026, 6, 1))
    assert national_register_birth_date(number) is None


def test_a_birth_date_that_does_not_exist_is_still_invalid():
    assert parse_national_register_number(_nrn("800230")) is None  # 30 February
    assert parse_national_register_number(_nrn("801301")) is None  # month 13
    assert parse_national_register_number(_nrn("800132")) is None  # day 32


def test_the_possible_ages_of_a_number_with_an_unknown_birth_date():
    parsed = parse_national_register_number(_nrn("010000", after_2000=True))  # some day in 2001
    assert parsed is not None and parsed.ages_on(date(2026, 6, 1)) == (24, 25)
    exact = parse_national_register_number("80031512361")
    assert exact is not None and exact.ages_on(date(2026, 6, 1)) == (46, 46)
