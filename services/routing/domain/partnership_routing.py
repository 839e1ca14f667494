"""Route an application to the competent partnership.

Order: exact joint committee (``140.03``), its parent (``140``), a partnership's training override,
else the fallback (the VPDL). A malformed joint committee also goes to the fallback, flagged so that
a person looks at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from reference.partnerships import PartnershipTable

Rule = Literal[
    "joint_committee_exact",
    "joint_committee_parent",
    "training_override",
    "fallback_vpdl",
    "unexpected_fallback_vpdl",
]

# ASCII digits only: str.isdigit() would accept other scripts' digits, which no joint committee uses.
_JOINT_COMMITTEE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class RoutingDecision:
    partnership_id: str
    rule: Rule
    matched: str | None
    flagged: bool
    reason: str
    data_version: str


def decide_partnership(
    joint_committee: str | None, training_code: str | None, partnerships: PartnershipTable
) -> RoutingDecision:
    """Pick the partnership for a company's joint committee and the training applied for.

    ``joint_committee`` is None when unknown; surrounding whitespace is ignored. Never raises:
    every input ends at a partnership listed in ``partnerships``.
    """
    version = partnerships.version

    def decision(partnership_id: str, rule: Rule, matched: str | None, reason: str) -> RoutingDecision:
        flagged = rule == "unexpected_fallback_vpdl"
        return RoutingDecision(partnership_id, rule, matched, flagged, reason, version)

    committee = joint_committee.strip() if isinstance(joint_committee, str) else None
    if joint_committee is not None and (committee is None or not _JOINT_COMMITTEE.fullmatch(committee)):
        return decision(
            partnerships.fallback,
            "unexpected_fallback_vpdl",
            None,
            f"Joint committee {joint_committee!r} is not of the form 302 or 140.03.",
        )
    if committee:
        exact = partnerships.by_joint_committee(committee)
        if exact:
            return decision(
                exact.id, "joint_committee_exact", committee, f"Joint committee {committee} belongs to {exact.name}."
            )
        parent_number = committee.partition(".")[0]
        parent = partnerships.by_joint_committee(parent_number) if parent_number != committee else None
        if parent:
            return decision(
                parent.id, "joint_committee_parent", parent_number,
                f"Joint committee {committee} falls under {parent_number}, which belongs to {parent.name}.",
            )
    if training_code:
        override = partnerships.by_training_override(training_code)
        if override:
            return decision(
                override.id, "training_override", training_code,
                f"{override.name} handles training {training_code} whatever the joint committee.",
            )
    subject = f"joint committee {committee}" if committee else "an unknown joint committee"
    reason = f"No sectoral partnership covers {subject}; the fallback decides."
    return decision(partnerships.fallback, "fallback_vpdl", None, reason)
