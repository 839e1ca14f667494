import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.partnerships import PartnershipTable, partnership_table
from routing.domain.partnership_routing import decide_partnership


@pytest.mark.parametrize(
    ("joint_committee", "partnership_id"),
    [
        ("302", "horeca"),
        ("124", "construction"),
        ("111", "mtech"),
        ("209", "mtech"),
        ("201", "retail"),
        ("202", "retail"),
        ("311", "retail"),
        ("312", "retail"),
        ("110", "textile_care"),
        ("314", "hairdressing"),
        ("226", "logistics"),
        (" 302 ", "horeca"),
    ],
)
def test_mapped_joint_committee_routes_to_its_partnership(joint_committee, partnership_id):
    decision = decide_partnership(joint_committee, None, partnership_table())
    assert decision.partnership_id == partnership_id
    assert decision.rule == "joint_committee_exact"
    assert decision.matched == joint_committee.strip()
    assert not decision.flagged
    assert decision.data_version == partnership_table().version


@pytest.mark.parametrize(
    ("joint_committee", "rule", "flagged"),
    [
        ("200", "fallback_vpdl", False),
        ("999", "fallback_vpdl", False),
        (None, "fallback_vpdl", False),
        ("abc", "unexpected_fallback_vpdl", True),
        ("", "unexpected_fallback_vpdl", True),
        ("PC 302", "unexpected_fallback_vpdl", True),
        ("302.", "unexpected_fallback_vpdl", True),
        ("140.03.1", "unexpected_fallback_vpdl", True),
        ("٣٠٢", "unexpected_fallback_vpdl", True),
    ],
)
def test_unmapped_or_malformed_joint_committee_goes_to_vpdl(joint_committee, rule, flagged):
    decision = decide_partnership(joint_committee, None, partnership_table())
    assert (decision.partnership_id, decision.rule, decision.flagged) == ("vpdl", rule, flagged)
    assert decision.matched is None
    assert decision.reason


def _table(*partnerships):
    return PartnershipTable.model_validate(
        {
            "version": "test-1",
            "status": "sample",
            "source": [],
            "fallback": "vpdl",
            "partnerships": [{"id": "vpdl", "name": "VPDL", "status": "C"}, *partnerships],
        }
    )


TRANSPORT = {"id": "transport", "name": "Transport", "joint_committees": ["140"], "status": "C"}
BUSES = {"id": "buses", "name": "Bussen", "joint_committees": ["140.01"], "status": "C"}
HAIR = {
    "id": "hair",
    "name": "Kappers",
    "joint_committees": ["314"],
    "training_overrides": ["kapper-stylist-duaal"],
    "status": "U",
}


@pytest.mark.parametrize(
    ("joint_committee", "training_code", "partnership_id", "rule", "matched"),
    [
        ("140.03", None, "transport", "joint_committee_parent", "140"),
        ("140.01", None, "buses", "joint_committee_exact", "140.01"),
        ("140", None, "transport", "joint_committee_exact", "140"),
        ("200", "kapper-stylist-duaal", "hair", "training_override", "kapper-stylist-duaal"),
        (None, "kapper-stylist-duaal", "hair", "training_override", "kapper-stylist-duaal"),
        ("140.03", "kapper-stylist-duaal", "transport", "joint_committee_parent", "140"),
        ("200", "ruwbouw-duaal", "vpdl", "fallback_vpdl", None),
        ("abc", "kapper-stylist-duaal", "vpdl", "unexpected_fallback_vpdl", None),
    ],
    ids=[
        "sub-committee falls back to its parent",
        "exact sub-committee beats parent",
        "parent itself is exact",
        "training override when the joint committee is unmapped",
        "training override without a joint committee",
        "joint committee beats training override",
        "no override for the training",
        "malformed joint committee is not rescued by an override",
    ],
)
def test_routing_order(joint_committee, training_code, partnership_id, rule, matched):
    decision = decide_partnership(joint_committee, training_code, _table(TRANSPORT, BUSES, HAIR))
    assert (decision.partnership_id, decision.rule, decision.matched) == (partnership_id, rule, matched)
    assert decision.data_version == "test-1"


def test_shipped_sample_override_routes_a_training_from_an_unmapped_committee():
    decision = decide_partnership("200", "assistent-inter-nationaal-goederenvervoer", partnership_table())
    assert (decision.partnership_id, decision.rule) == ("logistics", "training_override")


@given(joint_committee=st.one_of(st.none(), st.text()), training_code=st.one_of(st.none(), st.text()))
def test_any_input_yields_a_known_partnership_and_never_raises(joint_committee, training_code):
    table = partnership_table()
    decision = decide_partnership(joint_committee, training_code, table)
    assert table.get(decision.partnership_id) is not None
    assert decision.flagged == (decision.rule == "unexpected_fallback_vpdl")


@given(st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{1,2})?\Z"))
def test_well_formed_joint_committee_is_never_flagged(joint_committee):
    assert not decide_partnership(joint_committee, None, partnership_table()).flagged
