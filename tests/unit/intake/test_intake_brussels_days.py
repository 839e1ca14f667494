"""Intake judges a draft on the Brussels day: just after midnight in Brussels the UTC date is still
yesterday (one hour in winter, two in summer), and the mentor's birthday, the extract's age, an
exclusion's last day and a recognition's last day all count on the Brussels day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from intake_support import ENTERPRISE, ESTABLISHMENT, TRAINING, full_body, mentor, nrn
from testkit.clock import Clock

from kernel import clock
from kernel.calendar import local_date

UTC = UTC
WINTER = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 16 January, 00:30 in Brussels
SUMMER = datetime(2026, 7, 15, 22, 30, tzinfo=UTC)  # 16 July, 00:30 in Brussels
SEASONS = pytest.mark.parametrize("instant", [WINTER, SUMMER], ids=["winter", "summer"])
KEY = (ENTERPRISE, ESTABLISHMENT, TRAINING)


@pytest.fixture
def at():
    def move(instant: datetime) -> date:
        return local_date(Clock().at(instant))

    yield move
    Clock.reset()


def _submit(client, created):
    return client.call("POST", f"/applications/{created['id']}/submit")


def _codes(body) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in body.get("errors", [])}


@SEASONS
def test_a_mentor_who_turns_25_today_counts_from_midnight_in_brussels(client, at, instant):
    today = at(instant)
    created = client.ready(
        full_body(mentors=[mentor(national_register_number=nrn(date(today.year - 25, today.month, today.day)))])
    )
    status, body = _submit(client, created)
    assert status == 202, body


@SEASONS
def test_an_extract_issued_today_in_brussels_is_not_in_the_future(client, at, instant):
    today = at(instant)
    status, body = client.call(
        "POST", "/applications", full_body(mentors=[mentor(extract_issued_on=today.isoformat())])
    )
    assert status == 201, body


@SEASONS
def test_an_extract_is_too_old_from_midnight_after_its_last_day(client, at, instant):
    today = at(instant)
    a_year_and_a_day = date(today.year - 1, today.month, today.day) - timedelta(days=1)
    created = client.ready(full_body(mentors=[mentor(extract_issued_on=a_year_and_a_day.isoformat())]))
    status, body = _submit(client, created)
    assert status == 422 and ("mentors[0].extract_issued_on", "extract_too_old") in _codes(body)


@SEASONS
def test_an_exclusion_ending_yesterday_no_longer_blocks_after_midnight(client, ports, at, instant):
    today = at(instant)
    ports.projections.record_exclusion("m-1", ENTERPRISE, None, today - timedelta(days=1))
    status, body = _submit(client, client.ready())
    assert status == 202, body


@SEASONS
def test_a_recognition_ending_yesterday_no_longer_conflicts_after_midnight(client, ports, at, instant):
    today = at(instant)
    ports.projections.record_recognition(
        "rec-1",
        KEY,
        "granted",
        clock.now() - timedelta(days=1),
        valid_from=today - timedelta(days=5 * 365),
        valid_until=today - timedelta(days=1),
    )
    status, body = _submit(client, client.ready())
    assert status == 202, body


@SEASONS
def test_the_draft_check_uses_the_brussels_day_on_change_too(client, at, instant):
    today = at(instant)
    created = client.create()
    path = f"/applications/{created['id']}"
    status, body = client.call("PATCH", path, {"mentors": [mentor(extract_issued_on=today.isoformat())]})
    assert status == 200, body
    status, body = client.call(
        "PATCH", path, {"mentors": [mentor(extract_issued_on=(today + timedelta(days=1)).isoformat())]}
    )
    assert status == 422 and ("mentors[0].extract_issued_on", "in_future") in _codes(body)
