"""Every path that grants goes through the one ledger (issue 11, points 1 and 2): a decision, an
upheld appeal against a refusal, a renewal; each is refused during an exclusion, next to another
live recognition of the key, and for a recognition renewed already."""

from datetime import timedelta

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, OTHER_TRAINING, TRAINING, partnership, routed

from kernel import clock
from kernel.errors import Conflict
from kernel.events import AppealDecidedV1
from kernel.publisher import envelope_for
from review.usecases import appeals, deciding, files, register
from review.usecases.measures import ImposeMeasure, impose


def open_file(ports, pid="horeca", **overrides):
    envelope, data = routed(pid, **overrides)
    files.open_file(ports, envelope, data)
    return data


def approve(ports, data, pid="horeca"):
    return deciding.decide(ports, partnership(pid), data.application_id, "approved", [], "c")


def refuse(ports, data, pid="horeca"):
    return deciding.decide(ports, partnership(pid), data.application_id, "refused", ["Not yet."], "c")


def uphold(ports, subject_id, kind="decision", appeal_id="ap-1"):
    data = AppealDecidedV1(appeal_id=appeal_id, subject_id=subject_id, subject_kind=kind, enterprise_number=ENTERPRISE,
                           outcome="upheld", decided_at=clock.now())
    appeals.on_appeal_decided(ports, envelope_for(data, source="appeal", correlation_id="c"), data)


def granted(ports):
    return [e.data for e in ports.publisher.published if e.event_name == "RecognitionGranted"]


def recognitions_of_key(ports, training=TRAINING):
    return ports.repo.recognitions_for_key(ENTERPRISE, ESTABLISHMENT, training)


# ---------------------------------------------------------------------- point 1: upheld appeals
def test_an_upheld_appeal_grants_nothing_while_an_exclusion_of_the_enterprise_runs(ports):
    refused = refuse(ports, open_file(ports))
    other = approve(ports, open_file(ports, training_code=OTHER_TRAINING))
    impose(ports, partnership(), other["recognition_id"],
           ImposeMeasure(type="exclusion", reason="Serious breach.", given={"scope": "enterprise"}), "c")
    before = len(granted(ports))
    uphold(ports, refused["decision_id"])
    assert len(granted(ports)) == before
    assert recognitions_of_key(ports) == []
    file = ports.repo.get_file(ports.repo.decision_file(refused["decision_id"]).application_id).item
    assert file.appeal_grant is not None and file.appeal_grant.blocked
    assert "excluded" in file.appeal_grant.reason


def test_an_upheld_appeal_grants_nothing_next_to_an_active_recognition_of_the_same_key(ports):
    refused = refuse(ports, open_file(ports))
    active = approve(ports, open_file(ports))
    uphold(ports, refused["decision_id"])
    assert [r.recognition_id for r in recognitions_of_key(ports)] == [active["recognition_id"]]
    assert [g["recognition_id"] for g in granted(ports)] == [active["recognition_id"]]


def test_an_upheld_appeal_against_a_refused_renewal_continues_the_renewed_recognition(ports, at):
    old = approve(ports, open_file(ports))
    at.advance(5 * 365 - 30)  # a month before the old one ends
    refused = refuse(ports, open_file(ports, kind="renewal", renews_recognition_id=old["recognition_id"]))
    at.advance(10)
    uphold(ports, refused["decision_id"])
    new = [r for r in recognitions_of_key(ports) if r.recognition_id != old["recognition_id"]]
    assert len(new) == 1
    assert new[0].renews_recognition_id == old["recognition_id"]
    assert new[0].valid_from == old["valid_until"] + timedelta(days=1)
    assert ports.repo.get_recognition(old["recognition_id"]).item.renewed_by_recognition_id == new[0].recognition_id
    assert granted(ports)[-1]["renews_recognition_id"] == old["recognition_id"]
    assert register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                           training_code=TRAINING, on=old["valid_until"])["recognition_id"] == old["recognition_id"]


# ---------------------------------------------------------------------- point 2: one renewal per recognition
def test_a_recognition_renewed_once_cannot_be_renewed_again(ports, at):
    old = approve(ports, open_file(ports))
    at.advance(5 * 365 - 60)
    first = approve(ports, open_file(ports, kind="renewal", renews_recognition_id=old["recognition_id"]))
    assert first["status"] == "scheduled"
    second = open_file(ports, kind="renewal", renews_recognition_id=old["recognition_id"])
    with pytest.raises(Conflict, match="already renewed"):
        approve(ports, second)
    assert ports.repo.get_recognition(old["recognition_id"]).item.renewed_by_recognition_id == first["recognition_id"]
    assert len(recognitions_of_key(ports)) == 2


def test_a_new_application_is_not_approved_while_a_renewal_is_scheduled(ports, at):
    old = approve(ports, open_file(ports))
    at.advance(5 * 365 - 60)
    approve(ports, open_file(ports, kind="renewal", renews_recognition_id=old["recognition_id"]))
    at.advance(61)  # the old one has ended, the renewal runs
    with pytest.raises(Conflict, match="already covers"):
        approve(ports, open_file(ports))


# ---------------------------------------------------------------------- restoring goes through the ledger too
def revoke(ports, recognition_id):
    return impose(ports, partnership(), recognition_id, ImposeMeasure(type="revocation", reason="Breach."), "c")


def test_an_annulled_revocation_leaves_the_recognition_revoked_when_another_took_its_place(ports, at):
    old = approve(ports, open_file(ports))
    revocation = revoke(ports, old["recognition_id"])
    at.advance(3)
    new = approve(ports, open_file(ports))  # the key is free again: a new recognition
    uphold(ports, revocation["measure_id"], kind="measure")
    assert ports.repo.get_recognition(old["recognition_id"]).item.revoked_on is not None
    assert "RecognitionRestored" not in ports.publisher.names()
    live = [r.recognition_id for r in recognitions_of_key(ports) if r.is_valid_on(clock.today())]
    assert live == [new["recognition_id"]]


def test_an_annulled_revocation_hands_the_recognition_over_to_an_exclusion_that_covers_it(ports, at):
    kept = approve(ports, open_file(ports))
    other = approve(ports, open_file(ports, training_code=OTHER_TRAINING))
    revocation = revoke(ports, kept["recognition_id"])
    at.advance(2)
    exclusion = impose(ports, partnership(), other["recognition_id"],
                       ImposeMeasure(type="exclusion", reason="Serious breach.", given={"scope": "enterprise"}), "c")
    at.advance(2)
    uphold(ports, revocation["measure_id"], kind="measure", appeal_id="ap-1")
    recognition = ports.repo.get_recognition(kept["recognition_id"]).item
    assert recognition.revoked_by_measure_id == exclusion["measure_id"]
    assert recognition.revoked_on == clock.today() - timedelta(days=2)  # the exclusion's first day
    last = ports.publisher.published[-1]
    assert last.event_name == "RecognitionRevoked" and last.data["measure_id"] == exclusion["measure_id"]
    # the company wins against the exclusion as well: now the recognition is valid again
    uphold(ports, exclusion["measure_id"], kind="measure", appeal_id="ap-2")
    assert ports.repo.get_recognition(kept["recognition_id"]).item.revoked_on is None
