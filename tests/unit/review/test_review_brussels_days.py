"""Review counts Brussels days: just after midnight in Brussels it is already the next day, while
the UTC date is still the previous one (one hour in winter, two in summer)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, missed_timer, partnership, routed

from kernel.calendar import local_date, start_of_day
from kernel.errors import RuleViolation
from kernel.events import DecisionDeadlineMissedV1
from review.usecases import deadlines, deciding, files, register, reviewing
from review.usecases.measures import ImposeMeasure, impose
from review.usecases.ports import RegisterFilter
from review.usecases.timers import expiry_name

UTC = UTC
# 00:30 in Brussels on 16 January (CET, UTC+1) and on 16 July (CEST, UTC+2).
WINTER = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 22, 30, tzinfo=UTC)
SEASONS = pytest.mark.parametrize("half_past_midnight", [WINTER, SUMMER], ids=["winter", "summer"])


def _open(ports, **overrides):
    envelope, data = routed("horeca", **overrides)
    files.open_file(ports, envelope, data)
    return data


def _approve(ports, data):
    return deciding.decide(ports, partnership(), data.application_id, "approved", [], "c")


@SEASONS
def test_a_decision_at_half_past_midnight_is_valid_from_that_brussels_day(ports, at, half_past_midnight):
    at.instant(half_past_midnight - timedelta(days=3))
    data = _open(ports)
    at.instant(half_past_midnight)
    result = _approve(ports, data)
    assert result["valid_from"] == local_date(half_past_midnight) == half_past_midnight.date() + timedelta(days=1)
    assert result["valid_until"] == date(2031, local_date(half_past_midnight).month, 15)
    assert result["status"] == "active"


@SEASONS
def test_the_register_says_expired_on_the_day_after_valid_until_from_midnight(ports, at, half_past_midnight):
    day_after = local_date(half_past_midnight)
    at.instant(half_past_midnight - timedelta(days=5 * 365 + 1))
    data = _open(ports)
    recognition = _approve(ports, data)
    valid_until = recognition["valid_until"]
    # Move so that valid_until is yesterday in Brussels (today in UTC, for another hour or two).
    shift = day_after - (valid_until + timedelta(days=1))
    at.instant(half_past_midnight - shift)
    answer = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=None)
    assert answer["on"] == valid_until + timedelta(days=1)
    assert answer["status"] == "expired" and answer["recognized"] is False
    assert register.register(ports.repo, where=RegisterFilter(enterprise_number=ENTERPRISE))["items"] == []


def test_the_expiry_timer_fires_at_brussels_midnight(ports, at):
    at.instant(WINTER)
    result = _approve(ports, _open(ports))
    fires_at, _ = ports.timers.pending[expiry_name(result["recognition_id"])]
    assert fires_at == datetime(2031, 1, 15, 23, 0, tzinfo=UTC)  # 16 January 2031, 00:00 in Brussels


@SEASONS
def test_a_file_is_overdue_from_midnight_after_its_last_day(ports, at, half_past_midnight):
    today = local_date(half_past_midnight)
    at.instant(half_past_midnight - timedelta(days=14))
    data = _open(ports, decision_due=today - timedelta(days=1))
    fires_at, timer = missed_timer(ports, data.application_id)
    assert fires_at == start_of_day(today)  # midnight in Brussels, not in UTC
    at.instant(half_past_midnight)
    deadlines.on_deadline_missed(ports, timer, DecisionDeadlineMissedV1.model_validate(timer.data))
    [item] = reviewing.queue(ports, "horeca", "overdue")
    assert item["overdue"] is True and item["days_left"] == -1


@SEASONS
def test_measures_are_dated_on_the_brussels_day(ports, at, half_past_midnight):
    today = local_date(half_past_midnight)
    at.instant(half_past_midnight - timedelta(days=10))
    rid = _approve(ports, _open(ports))["recognition_id"]
    at.instant(half_past_midnight)
    with pytest.raises(RuleViolation):  # yesterday in Brussels is in the past, though still today in UTC
        impose(
            ports,
            partnership(),
            rid,
            ImposeMeasure("guidance", "r", {"plan": "p", "due_date": today - timedelta(days=1)}),
            "c",
        )
    result = impose(ports, partnership(), rid, ImposeMeasure("revocation", "Reason."), "c")
    assert result["details"]["effective_on"] == today.isoformat()
    revoked = ports.publisher.published[-2] if ports.publisher.published[-1].event_name == "MeasureImposed" else None
    assert revoked is not None and revoked.data["effective_on"] == today.isoformat()


@SEASONS
def test_an_exclusion_starts_on_the_brussels_day(ports, at, half_past_midnight):
    today = local_date(half_past_midnight)
    at.instant(half_past_midnight - timedelta(days=10))
    rid = _approve(ports, _open(ports))["recognition_id"]
    at.instant(half_past_midnight)
    result = impose(ports, partnership(), rid, ImposeMeasure("exclusion", "Reason.", {"scope": "enterprise"}), "c")
    [exclusion] = ports.repo.exclusions(ENTERPRISE)
    assert exclusion.starts_on == today
    assert result["revoked_recognition_ids"] == [rid]
