from datetime import timedelta

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, partnership, routed

from kernel import clock
from kernel.errors import Conflict, NotFound, RuleViolation
from kernel.events import AppealDecidedV1
from kernel.publisher import envelope_for
from review.usecases import appeals, deciding, files, register
from review.usecases.measures import ImposeMeasure, impose

OTHER_ESTABLISHMENT = "2000000198"


def grant(ports, **overrides):
    envelope, data = routed("horeca", **overrides)
    files.open_file(ports, envelope, data)
    return deciding.decide(ports, partnership(), data.application_id, "approved", [], "c")


def measure(ports, recognition_id, type_, **given):
    return impose(ports, partnership(), recognition_id, ImposeMeasure(type=type_, reason="Reason.", given=given), "c")


def uphold(ports, subject_id, kind="measure"):
    data = AppealDecidedV1(appeal_id="ap-1", subject_id=subject_id, subject_kind=kind, enterprise_number=ENTERPRISE,
                           outcome="upheld", decided_at=clock.now())
    appeals.on_appeal_decided(ports, envelope_for(data, source="appeal", correlation_id="c"), data)


def verify(ports, establishment=ESTABLISHMENT):
    return register.verify(ports.repo, enterprise_number=ENTERPRISE, establishment_number=establishment,
                           training_code=TRAINING, on=None)


def test_guidance_is_not_appealable_and_needs_a_plan_and_a_due_date(ports):
    rid = grant(ports)["recognition_id"]
    with pytest.raises(RuleViolation):
        measure(ports, rid, "guidance", plan="Train the mentor.")
    result = measure(ports, rid, "guidance", plan="Train the mentor.", due_date=clock.today() + timedelta(days=30))
    assert result["appealable"] is False
    assert ports.publisher.published[-1].event_name == "MeasureImposed"
    assert ports.publisher.published[-1].data["appealable"] is False


def test_fields_of_another_type_are_refused(ports):
    rid = grant(ports)["recognition_id"]
    with pytest.raises(RuleViolation):
        measure(ports, rid, "revocation", plan="x")


def test_another_partnership_cannot_impose_measures(ports):
    rid = grant(ports)["recognition_id"]
    with pytest.raises(NotFound):
        impose(ports, partnership("construction"), rid, ImposeMeasure(type="revocation", reason="r"), "c")


def test_a_revocation_ends_the_recognition_and_an_upheld_appeal_restores_it(ports):
    rid = grant(ports)["recognition_id"]
    result = measure(ports, rid, "revocation")
    assert result["appealable"] is True and verify(ports)["status"] == "revoked"
    assert "RecognitionRevoked" in ports.publisher.names()
    with pytest.raises(Conflict):
        measure(ports, rid, "revocation")
    uphold(ports, result["measure_id"])
    assert verify(ports)["recognized"] is True
    assert ports.publisher.names()[-1] == "RecognitionRestored"


def test_a_banned_only_mentor_leaves_the_recognition_without_an_eligible_mentor_until_annulled(ports):
    rid = grant(ports)["recognition_id"]
    result = measure(ports, rid, "mentor_ban", national_register_number="800315.123.61")
    assert result["details"]["without_eligible_mentor"] is True
    assert "80031512361" not in str(ports.publisher.published[-1].data)
    uphold(ports, result["measure_id"])
    assert not ports.repo.get_recognition(rid).item.without_eligible_mentor
    assert ports.repo.get_measure(result["measure_id"]).annulled


def test_a_ban_names_a_mentor_of_the_recognition(ports):
    rid = grant(ports)["recognition_id"]
    with pytest.raises(RuleViolation):
        measure(ports, rid, "mentor_ban", mentor_index=3)
    with pytest.raises(RuleViolation):
        measure(ports, rid, "mentor_ban")


def test_an_exclusion_of_the_enterprise_revokes_all_its_recognitions_and_blocks_new_ones(ports):
    first = grant(ports)["recognition_id"]
    second = grant(ports, establishment_number=OTHER_ESTABLISHMENT)["recognition_id"]
    result = measure(ports, first, "exclusion", scope="enterprise", until=None)
    assert sorted(result["revoked_recognition_ids"]) == sorted([first, second])
    # ... and says so on MeasureImposed, for the notice (its RecognitionRevoked may be read first)
    imposed = next(e for e in ports.publisher.published if e.event_name == "MeasureImposed")
    assert sorted(imposed.data["details"]["revoked_recognition_ids"]) == sorted([first, second])
    assert verify(ports)["status"] == verify(ports, OTHER_ESTABLISHMENT)["status"] == "revoked"
    envelope, data = routed("horeca")
    files.open_file(ports, envelope, data)
    with pytest.raises(Conflict, match="excluded"):
        deciding.decide(ports, partnership(), data.application_id, "approved", [], "c")
    # a refusal stays possible
    deciding.decide(ports, partnership(), data.application_id, "refused", ["Excluded."], "c")


def test_an_exclusion_of_an_establishment_spares_the_others(ports):
    first = grant(ports)["recognition_id"]
    grant(ports, establishment_number=OTHER_ESTABLISHMENT)
    measure(ports, first, "exclusion", scope="establishment", until=clock.today() + timedelta(days=365))
    assert verify(ports)["status"] == "revoked"
    assert verify(ports, OTHER_ESTABLISHMENT)["recognized"] is True


def test_a_temporary_exclusion_no_longer_blocks_once_it_ran_out(ports, at):
    first = grant(ports)["recognition_id"]
    measure(ports, first, "exclusion", scope="enterprise", until=clock.today() + timedelta(days=10))
    at.advance(11)
    assert grant(ports)["status"] == "active"


def test_an_upheld_appeal_lifts_an_exclusion_and_restores_its_revocations(ports):
    first = grant(ports)["recognition_id"]
    result = measure(ports, first, "exclusion", scope="enterprise")
    uphold(ports, result["measure_id"])
    assert verify(ports)["recognized"] is True
    assert grant(ports, training_code="restaurant-en-keuken-duaal")["status"] == "active"


def test_an_upheld_appeal_against_a_refusal_grants_from_the_appeal_decision_date(ports, at):
    envelope, data = routed("horeca")
    files.open_file(ports, envelope, data)
    refusal = deciding.decide(ports, partnership(), data.application_id, "refused", ["No."], "c")
    at.advance(40)
    uphold(ports, refusal["decision_id"], kind="decision")
    uphold(ports, refusal["decision_id"], kind="decision")  # a redelivery grants nothing twice
    granted = [e for e in ports.publisher.published if e.event_name == "RecognitionGranted"]
    assert {e.event_id for e in granted} and len({e.data["recognition_id"] for e in granted}) == 1
    assert granted[0].data["appeal_id"] == "ap-1" and granted[0].data["valid_from"] == clock.today().isoformat()
    assert verify(ports)["recognized"] is True


def test_a_mentor_ban_for_several_trainings_reaches_the_other_recognitions_naming_that_mentor(ports):
    kitchen = grant(ports)["recognition_id"]
    restaurant = grant(ports, training_code="restaurant-en-keuken-duaal")["recognition_id"]
    result = measure(ports, kitchen, "mentor_ban", mentor_index=0,
                     trainings=["keukenmedewerker-duaal", "restaurant-en-keuken-duaal"])
    assert sorted(result["details"]["recognitions_without_eligible_mentor"]) == sorted([kitchen, restaurant])
    uphold(ports, result["measure_id"])
    assert not ports.repo.get_recognition(restaurant).item.without_eligible_mentor
