"""Rules pinned at submission: review judges an application by the policy carried on it."""

from kernel.events import ApplicationSnapshot
from review.usecases.common import _pinned_values


def test_values_pinned_on_the_application_win_over_the_current_policy():
    snapshot = ApplicationSnapshot(
        application_id="a",
        enterprise_number="0403170701",
        establishment_number="2123456791",
        training_code="ruwbouw-duaal",
        kind="new",
        submitted_at="2026-11-26T10:00:00Z",
        decision_due="2026-12-10",
        policy_version="old",
        policy={"version": "old", "partnership_id": "construction", "values": {"validity_years": 4}},
    )
    assert _pinned_values(snapshot)["validity_years"] == 4


def test_the_pinned_effective_policy_lays_the_pinned_values_over_the_current_ones():
    from reference.policy import policy

    current = policy().for_partnership("construction")
    pinned = policy().pinned("construction", {"version": "old", "values": {"appeal_window_days": 20,
                                                                          "no_longer_a_value": 1}})
    assert pinned.version == "old" and pinned.values.appeal_window_days.value == 20
    assert pinned.values.appeal_window_day_kind == current.values.appeal_window_day_kind  # not pinned: current
    assert policy().pinned("construction", None) == current
