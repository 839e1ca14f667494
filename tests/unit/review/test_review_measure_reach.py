"""A partnership's measures reach only the recognitions it is competent for; an exclusion that
reaches other partnerships' recognitions is the VPDL's decision (issue 11 point 6, DOMAIN.md §3)."""

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, partnership, routed

from kernel.errors import Conflict
from review.usecases import deciding, files, register
from review.usecases.measures import ImposeMeasure, impose

BUILDING = "ruwbouw-duaal"
OFFICE = "logistiek-duaal"


def grant(ports, pid, training):
    envelope, data = routed(pid, training_code=training)
    files.open_file(ports, envelope, data)
    return deciding.decide(ports, partnership(pid), data.application_id, "approved", [], "c")["recognition_id"]


def status(ports, training):
    return register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
                           training_code=training, on=None)["status"]


def exclude(ports, pid, recognition_id):
    return impose(ports, partnership(pid), recognition_id,
                  ImposeMeasure(type="exclusion", reason="Serious breach.", given={"scope": "enterprise"}), "c")


def test_a_sectoral_exclusion_revokes_only_that_partnerships_recognitions(ports):
    kitchen = grant(ports, "horeca", TRAINING)
    grant(ports, "construction", BUILDING)
    result = exclude(ports, "horeca", kitchen)
    assert result["revoked_recognition_ids"] == [kitchen]
    assert status(ports, TRAINING) == "revoked"
    assert status(ports, BUILDING) == "active"
    revoked = [e.data["recognition_id"] for e in ports.publisher.published if e.event_name == "RecognitionRevoked"]
    assert revoked == [kitchen]


def test_a_sectoral_exclusion_blocks_that_partnerships_grants_only(ports):
    kitchen = grant(ports, "horeca", TRAINING)
    exclude(ports, "horeca", kitchen)
    assert status(ports, OFFICE) == "none"
    grant(ports, "construction", BUILDING)  # another partnership still recognises the enterprise
    assert status(ports, BUILDING) == "active"
    envelope, data = routed("horeca", training_code="restaurant-en-keuken-duaal")
    files.open_file(ports, envelope, data)
    with pytest.raises(Conflict, match="excluded"):
        deciding.decide(ports, partnership("horeca"), data.application_id, "approved", [], "c")


def test_the_vpdls_exclusion_reaches_every_partnerships_recognitions(ports):
    office = grant(ports, "vpdl", OFFICE)
    kitchen = grant(ports, "horeca", TRAINING)
    result = exclude(ports, "vpdl", office)
    assert sorted(result["revoked_recognition_ids"]) == sorted([office, kitchen])
    assert status(ports, TRAINING) == "revoked"
    envelope, data = routed("construction", training_code=BUILDING)
    files.open_file(ports, envelope, data)
    with pytest.raises(Conflict, match="excluded"):
        deciding.decide(ports, partnership("construction"), data.application_id, "approved", [], "c")


def test_a_sectoral_mentor_ban_does_not_reach_another_partnerships_recognition(ports):
    kitchen = grant(ports, "horeca", TRAINING)
    building = grant(ports, "construction", BUILDING)
    result = impose(ports, partnership("horeca"), kitchen, ImposeMeasure(
        type="mentor_ban", reason="Unsafe.", given={"mentor_index": 0, "trainings": [TRAINING, BUILDING]}), "c")
    assert result["details"]["recognition_ids"] == [kitchen]
    assert not ports.repo.get_recognition(building).item.mentor_bans
    assert ports.repo.get_recognition(kitchen).item.mentor_bans
