"""What a notice is about and who it goes to: the facts the documents and mails are made from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

NoticeKind = Literal[
    "acknowledgement",  # receipt of a submitted application
    "approval",
    "refusal",
    "guidance",
    "mentor_ban",
    "revocation",
    "exclusion",
    "appeal_acknowledgement",  # receipt of an appeal, with the admissibility result
    "appeal_decision",
    "expiry",
    "restoration",
]

# CONTRACT.md: an appeal lies against a refusal and against the sanctions (DOMAIN.md section 6);
# a guidance action is not a sanction.
APPEALABLE_KINDS: frozenset[str] = frozenset({"refusal", "mentor_ban", "revocation", "exclusion"})

_NOTICE_NAMESPACE = uuid.UUID("0b6f3c8e-5f0e-4a57-8a43-61d1c1f3e2a9")


@dataclass(frozen=True)
class Addressee:
    """The company a notice is addressed to, as learnt from ApplicationSubmitted (never mentors' numbers)."""

    enterprise_number: str
    establishment_number: str | None = None
    company_name: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    training_code: str | None = None
    application_id: str | None = None
    partnership_id: str | None = None
    mentor_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoticeFacts:
    """Everything the notice states besides the addressee; ``details`` holds kind-specific values
    (validity dates, measure details, admissibility, outcome)."""

    kind: NoticeKind
    subject_id: str
    partnership_id: str | None
    reasons: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def appealable(self) -> bool:
        return self.kind in APPEALABLE_KINDS


@dataclass(frozen=True)
class AppealTerms:
    """The policy values the appeal route is computed from (reference.policy)."""

    window_days: int
    day_kind: Literal["calendar", "working"]
    receipt_offset_days: int
    # A last day on a Saturday, Sunday or public holiday moves to the next working day (policy
    # terms_moved_to_next_working_day, article 53 of the Judicial Code).
    moves_to_working_day: bool = False


@dataclass(frozen=True)
class Notice:
    notice_id: str
    reference: str
    facts: NoticeFacts
    addressee: Addressee
    issued_at: datetime
    dispatch_date: date
    received_on: date | None
    appeal_deadline: date | None
    language: str

    @property
    def kind(self) -> str:
        return self.facts.kind

    @property
    def subject_id(self) -> str:
        return self.facts.subject_id


def notice_id_for(kind: str, subject_id: str) -> str:
    """One notice per kind and subject: a redelivered event finds the notice it already made."""
    return str(uuid.uuid5(_NOTICE_NAMESPACE, f"{kind}/{subject_id}"))


def reference_for(notice_id: str, dispatch_date: date) -> str:
    """The reference printed on the notice and quoted in an appeal: year plus a short id."""
    return f"DL-{dispatch_date.year}-{notice_id.replace('-', '')[:10].upper()}"
