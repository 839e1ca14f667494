import json

import pytest
from pydantic import ValidationError

from reference import partnerships
from reference.policy import Policy, policy


@pytest.mark.parametrize(
    ("name", "value", "status"),
    [
        ("decision_term_days", 14, "C"),
        ("decision_term_day_kind", "calendar", "NF"),
        ("pause_during_questions", False, "NF"),
        ("decision_deadline_warning_days", 3, "NF"),
        ("appeal_window_days", 10, "C"),
        ("appeal_window_day_kind", "calendar", "NF"),
        ("notice_receipt_offset_days", 0, "NF"),
        ("appeal_acknowledgement_days", 10, "C"),
        ("appeal_acknowledgement_day_kind", "calendar", "C"),
        ("recognition_validity_years", 5, "C"),
        ("mentor_minimum_age_years", 25, "C"),
        ("mentor_derogation_minimum_age_years", 23, "C"),
        ("mentor_minimum_experience_years", 5, "C"),
        ("extract_max_age_months", 12, "U"),
        ("renewal_reminder_offsets_days", (90, 30, 7), "NF"),
        ("mentor_training_deadline_months", 12, "C"),
        ("renewal_grace_months", 6, "NF"),
        ("sensitive_document_retention_days", 0, "NF"),
        ("learners_per_mentor_max", None, "NF"),
    ],
)
def test_base_policy_value_has_its_value_unit_status_and_source(name, value, status):
    entry = getattr(policy().values, name)
    assert (entry.value, entry.status) == (value, status)
    assert entry.unit and entry.source


def test_every_policy_value_has_a_unit_and_a_source():
    for name, entry in policy().values:
        assert entry.unit and entry.source.strip(), name


def test_base_required_documents_are_extract_per_mentor_and_mandate_for_intermediaries():
    docs = {(d.type, d.per) for d in policy().values.required_documents.value}
    assert docs == {("criminal_record_extract", "mentor"), ("mandate", "intermediary_filing")}


def test_construction_gets_a_six_month_mentor_training_deadline():
    effective = policy().for_partnership("construction").values
    assert effective.mentor_training_deadline_months.value == 6
    assert effective.mentor_training_deadline_months.status == "S"
    assert effective.learners_per_mentor_max.value == 1
    assert effective.decision_term_days.value == 14


def test_horeca_requires_an_rsz_certificate_and_counts_from_complete_documents():
    effective = policy().for_partnership("horeca").values
    assert "rsz_certificate" in {d.type for d in effective.required_documents.value}
    assert effective.decision_term_starts_when_documents_complete.value is True


@pytest.mark.parametrize("partnership_id", [None, "vpdl", "retail"])
def test_partnership_without_overrides_gets_the_base_values(partnership_id):
    assert policy().for_partnership(partnership_id).values == policy().values


def test_overrides_name_known_partnerships():
    assert set(policy().overrides) <= {p.id for p in partnerships.partnerships()}


def test_snapshot_pins_version_partnership_and_plain_values():
    snap = policy().for_partnership("horeca").snapshot()
    assert snap["version"] == policy().version
    assert snap["partnership_id"] == "horeca"
    assert snap["values"]["decision_term_days"] == 14
    assert snap["values"]["decision_term_starts_when_documents_complete"] is True
    json.dumps(snap)  # storable as is


def _raw():
    from reference._data import read_data_file

    return read_data_file("policy.json")


@pytest.mark.parametrize(
    "override",
    [
        {"no_such_value": {"value": 1, "unit": "days", "status": "S", "source": "x"}},
        {"decision_term_days": {"value": "fourteen", "unit": "days", "status": "S", "source": "x"}},
        {"decision_term_day_kind": {"value": "lunar", "unit": "day_kind", "status": "S", "source": "x"}},
    ],
    ids=["unknown name", "wrong type", "unknown day kind"],
)
def test_bad_override_is_refused_at_load(override):
    raw = _raw()
    raw["overrides"]["horeca"] = override
    with pytest.raises(ValidationError):
        Policy.model_validate(raw)


def test_policy_value_without_source_is_refused():
    raw = _raw()
    raw["values"]["appeal_window_days"]["source"] = ""
    with pytest.raises(ValidationError):
        Policy.model_validate(raw)


def test_a_term_ending_on_a_closed_day_moves_to_the_next_working_day_for_the_appeal_window_by_default():
    entry = policy().values.terms_moved_to_next_working_day
    assert entry.value == ("appeal_window",) and entry.status == "U"
    assert "Article 53" in entry.source and "Judicial Code" in entry.source
