"""The testkit's builders hold to what they build: numbers kernel.identifiers accepts, events shaped as
API Gateway sends them, a clock that moves kernel.clock and puts it back."""

from __future__ import annotations

import base64
import random
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from testkit.apigw import http_event
from testkit.clock import Clock
from testkit.identifiers import (
    ENTERPRISE,
    ESTABLISHMENT,
    NATIONAL_REGISTER_NUMBER,
    dotted,
    enterprise_number,
    establishment_number,
    national_register_number,
    with_check,
)

from intake.domain.national_register import national_register_birth_date
from kernel import clock
from kernel.identifiers import is_enterprise_number, is_establishment_number


@given(st.randoms(use_true_random=False))
def test_fresh_enterprise_and_establishment_numbers_pass_the_kernels_checks(rng: random.Random):
    assert is_enterprise_number(enterprise_number(rng)) and not is_establishment_number(enterprise_number(rng))
    assert is_establishment_number(establishment_number(rng)) and not is_enterprise_number(establishment_number(rng))


@given(st.dates(date(1930, 1, 1), date(2015, 12, 31)), st.integers(1, 997))
def test_a_national_register_number_carries_its_birth_date_either_side_of_2000(birth: date, serial: int):
    assert national_register_birth_date(national_register_number(birth, serial)) == birth


def test_the_documented_examples_are_what_the_builders_make():
    assert with_check("04031707") == ENTERPRISE and with_check("21234567") == ESTABLISHMENT
    assert national_register_number(date(1980, 3, 15), 123) == NATIONAL_REGISTER_NUMBER
    assert dotted(ENTERPRISE) == "0403.170.701"


def test_an_event_decodes_its_query_and_lower_cases_its_headers_as_api_gateway_does():
    event = http_event("GET", "/register", query="postal_code=9000&name=De+Smet&tag=a&tag=b",
                       headers={"X-Correlation-Id": "c-1", "Content-Type": None}, claims={"role": "employer"})
    assert event["queryStringParameters"] == {"postal_code": "9000", "name": "De Smet", "tag": "a,b"}
    assert event["rawQueryString"] == "postal_code=9000&name=De+Smet&tag=a&tag=b"
    assert event["headers"] == {"x-correlation-id": "c-1"}
    assert event["requestContext"]["authorizer"]["jwt"]["claims"] == {"role": "employer"}
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "GET /register"


def test_an_event_carries_a_binary_body_base64_encoded_and_no_authorizer_without_claims():
    event = http_event("POST", "/things", raw=b"\xff\x00")
    assert event["isBase64Encoded"] and base64.b64decode(event["body"]) == b"\xff\x00"
    assert "authorizer" not in event["requestContext"]
    form = http_event(
        "POST", "/portal/login", form={"role": "employer"}, cookies={"s": "1"}, headers={"host": "p.example"}
    )
    assert form["body"] == "role=employer" and form["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert form["cookies"] == ["s=1"] and form["requestContext"]["domainName"] == "p.example"


def test_the_clock_moves_kernel_clock_and_resets_it():
    moved = Clock()
    try:
        moved.at(datetime(2026, 1, 15, 23, 30, tzinfo=UTC))
        assert clock.today() == date(2026, 1, 16)  # already the 16th in Brussels
        assert moved.on(date(2026, 7, 1)) == datetime(2026, 7, 1, 10, tzinfo=UTC)
        assert abs((moved.advance(days=2, hours=1) - datetime(2026, 7, 3, 11, tzinfo=UTC)).total_seconds()) < 5
    finally:
        Clock.reset()
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5  # back on the system time


def test_the_kernel_clock_fixture_moves_the_clock_for_one_test(kernel_clock):
    kernel_clock.on(date(2030, 1, 2))
    assert clock.today() == date(2030, 1, 2)
