from datetime import date, timedelta

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, partnership, routed

from kernel import clock
from kernel.calendar import local_date
from kernel.errors import Conflict, NotFound, RuleViolation
from kernel.events import RecognitionExpiryDueV1
from review.usecases import deciding, files, recognitions, register
from review.usecases.ports import RegisterFilter
from review.usecases.timers import expiry_name, missed_name


def open_routed(ports, pid="horeca", **overrides):
    envelope, data = routed(pid, **overrides)
    files.open_file(ports, envelope, data)
    return data


def approve(ports, data, pid="horeca"):
    return deciding.decide(ports, partnership(pid), data.application_id, "approved", [], "c")


def run_expiry(ports, recognition_id):
    _, envelope = ports.timers.pending.pop(expiry_name(recognition_id))
    recognitions.on_expiry_due(ports, envelope, RecognitionExpiryDueV1.model_validate(envelope.data))


def test_an_approval_grants_a_recognition_for_five_years_and_says_so_on_the_bus(ports):
    data = open_routed(ports)
    result = approve(ports, data)
    assert result["valid_from"] == clock.today()
    assert result["valid_until"] == date(2031, 3, 1)
    assert ports.publisher.names() == ["DecisionRecorded", "RecognitionGranted"]
    granted = ports.publisher.published[1].data
    assert granted["recognition_id"] == result["recognition_id"] and granted["mentors"][0]["first_name"] == "Jan"
    assert missed_name(data.application_id) not in ports.timers.pending
    at, _ = ports.timers.pending[expiry_name(result["recognition_id"])]
    assert local_date(at) == date(2031, 3, 2) and local_date(at - timedelta(seconds=1)) == date(2031, 3, 1)


def test_a_second_decision_is_a_conflict(ports):
    data = open_routed(ports)
    approve(ports, data)
    with pytest.raises(Conflict):
        deciding.decide(ports, partnership(), data.application_id, "refused", ["late"], "c")


def test_a_refusal_needs_reasons(ports):
    data = open_routed(ports)
    with pytest.raises(RuleViolation):
        deciding.decide(ports, partnership(), data.application_id, "refused", [], "c")
    result = deciding.decide(ports, partnership(), data.application_id, "refused", ["No mentor of 25."], "c")
    assert "recognition_id" not in result and ports.publisher.names() == ["DecisionRecorded"]


def test_only_the_competent_partnership_decides(ports):
    data = open_routed(ports)
    with pytest.raises(NotFound):
        approve(ports, data, "construction")


def test_a_withdrawn_application_cannot_be_decided(ports):
    from kernel.events import ApplicationWithdrawnV1
    from kernel.publisher import envelope_for

    data = open_routed(ports)
    w = ApplicationWithdrawnV1(
        application_id=data.application_id, enterprise_number=ENTERPRISE, withdrawn_at=clock.now()
    )
    files.withdraw_file(ports, envelope_for(w, source="intake", correlation_id="c"), w)
    with pytest.raises(Conflict):
        approve(ports, data)


def test_a_timely_renewal_is_scheduled_and_takes_over_without_gap(ports, at):
    old = approve(ports, open_routed(ports))
    at.set(old["valid_until"] - timedelta(days=60))
    renewal = approve(ports, open_routed(ports, kind="renewal", renews_recognition_id=old["recognition_id"]))
    assert renewal["status"] == "scheduled"
    assert renewal["valid_from"] == old["valid_until"] + timedelta(days=1)
    at.set(old["valid_until"] + timedelta(days=1))
    ports.publisher.published.clear()
    run_expiry(ports, old["recognition_id"])
    assert "RecognitionExpired" not in ports.publisher.names()
    answer = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=None)
    assert answer["recognized"] is True and answer["recognition_id"] == renewal["recognition_id"]
    before = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=old["valid_until"])
    assert before["recognition_id"] == old["recognition_id"] and before["status"] == "active"


def test_a_late_renewal_starts_on_its_decision_date(ports, at):
    old = approve(ports, open_routed(ports))
    at.set(old["valid_until"] + timedelta(days=20))
    run_expiry(ports, old["recognition_id"])
    renewal = approve(ports, open_routed(ports, kind="renewal", renews_recognition_id=old["recognition_id"]))
    assert renewal["valid_from"] == clock.today() and renewal["status"] == "active"


def test_a_recognition_not_renewed_expires_and_leaves_the_register(ports, at):
    granted = approve(ports, open_routed(ports))
    assert len(register.register(ports.repo, where=RegisterFilter(postal_code="9000"))["items"]) == 1
    at.set(granted["valid_until"] + timedelta(days=1))
    run_expiry(ports, granted["recognition_id"])
    [expired] = [e for e in ports.publisher.published if e.event_name == "RecognitionExpired"]
    assert expired.data["expired_on"] == (granted["valid_until"] + timedelta(days=1)).isoformat()
    assert register.register(ports.repo, where=RegisterFilter())["items"] == []
    answer = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=None)
    assert answer["recognized"] is False and answer["status"] == "expired"


def test_verify_without_any_recognition_answers_none(ports):
    answer = register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                             training_code=TRAINING, on=None)
    assert answer == {"recognized": False, "recognition_id": None, "valid_from": None, "valid_until": None,
                      "status": "none", "on": clock.today(), "enterprise_number": ENTERPRISE,
                      "establishment_number": ESTABLISHMENT, "training_code": TRAINING}


def test_verify_answers_the_same_keys_whether_found_or_not(ports):
    def ask():
        return register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                               training_code=TRAINING, on=None)

    missing = ask()
    approve(ports, open_routed(ports))
    found = ask()
    assert found["recognized"] is True and missing["recognized"] is False
    assert set(found) == set(missing)


def test_a_decision_carries_the_policy_pinned_on_its_application(ports):
    """Notification counts the refusal's appeal window by it (issue 11: terms follow the policy
    pinned at submission, whatever changed since)."""
    pinned = {"version": "old", "partnership_id": "horeca", "values": {"appeal_window_days": 20}}
    data = open_routed(ports, policy=pinned)
    deciding.decide(ports, partnership(), data.application_id, "refused", ["No mentor of 25."], "c")
    [recorded] = [e for e in ports.publisher.published if e.event_name == "DecisionRecorded"]
    assert recorded.data["policy"] == pinned
