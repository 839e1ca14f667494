from collections import Counter

import pytest
from pydantic import ValidationError

from reference import catalogue, partnerships
from reference.partnerships import PartnershipTable

REQUIRED = {"vpdl", "horeca", "construction", "mtech", "retail", "textile_care", "hairdressing", "logistics"}


def test_required_partnerships_are_present():
    assert REQUIRED <= {p.id for p in partnerships.partnerships()}


def test_every_partnership_is_well_formed():
    for p in partnerships.partnerships():
        assert p.id and p.name and p.status in {"C", "S", "U", "NF"}, p
        for jc in p.joint_committees:
            assert jc.replace(".", "", 1).isdigit(), jc
        assert p.contact_email is None or p.contact_email.endswith("@example.be")


def test_every_joint_committee_maps_to_at_most_one_partnership():
    counts = Counter(jc for p in partnerships.partnerships() for jc in p.joint_committees)
    assert all(n == 1 for n in counts.values()), counts


def test_vpdl_is_the_fallback_and_covers_no_joint_committee():
    table = partnerships.partnership_table()
    assert table.fallback == "vpdl"
    assert partnerships.partnership("vpdl").joint_committees == ()


def test_joint_committee_200_is_deliberately_unmapped():
    assert partnerships.partnership_table().by_joint_committee("200") is None


def test_hairdressing_mapping_is_marked_uncertain():
    assert partnerships.partnership("hairdressing").status == "U"


def test_training_overrides_name_catalogue_trainings():
    for p in partnerships.partnerships():
        for code in p.training_overrides:
            assert catalogue.training(code) is not None, (p.id, code)


def test_data_file_says_it_is_sample_data():
    table = partnerships.partnership_table()
    assert table.status == "sample" and partnerships.data_version() == table.version
    assert any("NOT found" in note for note in table.source)


def _table(**changes):
    base = {
        "version": "t", "status": "sample", "source": [], "fallback": "vpdl",
        "partnerships": [
            {"id": "vpdl", "name": "VPDL", "status": "C"},
            {"id": "a", "name": "A", "joint_committees": ["302"], "status": "C"},
        ],
    }
    return PartnershipTable.model_validate(base | changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"fallback": "nobody"},
        {"partnerships": [{"id": "vpdl", "name": "V", "status": "C"},
                          {"id": "a", "name": "A", "joint_committees": ["302"], "status": "C"},
                          {"id": "b", "name": "B", "joint_committees": ["302"], "status": "C"}]},
        {"partnerships": [{"id": "vpdl", "name": "V", "status": "C"}, {"id": "vpdl", "name": "W", "status": "C"}]},
    ],
    ids=["unknown fallback", "joint committee twice", "duplicate id"],
)
def test_inconsistent_table_is_refused_at_load(changes):
    with pytest.raises(ValidationError):
        _table(**changes)
