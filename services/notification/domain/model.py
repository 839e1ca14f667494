"""What a notice is about and who it goes to: the facts the documents and mails are made from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from kernel.identifiers import act_reference

NoticeKind = Literal[
    "acknowledgement",  # receipt of a submitted application (once routed: sent by the competent partnership)
    "approval",
    "refusal",
    "guidance",
    "mentor_ban",
    "revocation",
    "exclusion",
    "appeal_acknowledgement",  # receipt of an appeal, with the admissibility result
    "appeal_decision",
    "recognition",  # the recognition an upheld appeal against a refusal grants
    "expiry",
    "restoration",  # one per recognition an upheld appeal restores
]

# CONTRACT.md: an appeal lies against a refusal and against the sanctions (DOMAIN.md section 6);
# a guidance action is not a sanction.
APPEALABLE_KINDS: frozenset[str] = frozenset({"refusal", "mentor_ban", "revocation", "exclusion"})
SANCTIONS: frozenset[str] = frozenset({"mentor_ban", "revocation", "exclusion"})
# Acts whose reference is their own id's: the appeal service derives the same one from the
# decision or measure it learns (kernel.identifiers.act_reference), so a company may quote it.
ACT_KINDS: frozenset[str] = frozenset({"approval", "refusal", "guidance", *SANCTIONS})
# Decisions of the appeal route itself, against which only the Council of State remains.
# The appeal route's notices: sent by the VPDL's appeal coordinator and committee, whoever took the contested act.
APPEAL_ROUTE_KINDS: frozenset[str] = frozenset({"appeal_acknowledgement", "appeal_decision"})

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
    address_lines: tuple[str, ...] = ()
    language: str | None = None  # chosen on the application; None: the deployment's default
    submitted_on: date | None = None


@dataclass(frozen=True)
class NoticeFacts:
    """Everything the notice states besides the addressee; ``details`` holds kind-specific values
    (validity dates, measure details, admissibility, outcome).

    ``subject_id`` is the decision, measure, appeal, application or recognition the notice is
    about (GET /notices filters on it); ``about`` tells apart the notices one act gives several
    of (each recognition an upheld appeal restores)."""

    kind: NoticeKind
    subject_id: str
    partnership_id: str | None
    reasons: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    decided_on: date | None = None
    about: str | None = None

    @property
    def appealable(self) -> bool:
        return self.kind in APPEALABLE_KINDS

    @property
    def final(self) -> bool:
        """A final act of the appeal route (an appeal decision, an inadmissible appeal): only the
        Council of State remains."""
        if self.kind == "appeal_decision":
            return True
        return self.kind == "appeal_acknowledgement" and not self.details.get("admissible")

    @property
    def by_appeal_route(self) -> bool:
        return self.kind in APPEAL_ROUTE_KINDS

    @property
    def key(self) -> str:
        """The notice's identity: one per kind, act and subject."""
        if self.kind in ACT_KINDS:
            return self.subject_id
        return f"{self.kind}/{self.subject_id}" + (f"/{self.about}" if self.about else "")


@dataclass(frozen=True)
class AppealTerms:
    """The policy values the remedy block is made of (reference.policy)."""

    window_days: int
    day_kind: Literal["calendar", "working"]
    receipt_offset_days: int
    # A last day on a Saturday, Sunday or public holiday moves to the next working day (policy
    # terms_moved_to_next_working_day, article 53 of the Judicial Code).
    moves_to_working_day: bool = False
    coordinator_postal_address: str = ""
    coordinator_email: str = ""
    portal: str = ""
    suspends: bool = False
    council_of_state_days: int = 60
    council_of_state_address: str = ""


@dataclass(frozen=True)
class Body:
    """A deciding or sending body: a partnership (the VPDL when none is competent)."""

    name: str
    email: str | None = None
    postal_address: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class RecognitionLine:
    """A recognition a notice names (a measure ends it, a ban reaches it)."""

    training: str
    establishment_number: str
    valid_until: date


@dataclass(frozen=True)
class ContestedAct:
    """The decision or measure an appeal is against, as its notice named it."""

    kind: str | None
    reference: str
    decided_on: date | None
    body: str | None


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


def notice_id_for(kind: str, subject_id: str, about: str | None = None) -> str:
    """One notice per kind, act and subject: a redelivered event finds the notice it already made,
    and two recognitions restored by one appeal get a notice each."""
    return str(uuid.uuid5(_NOTICE_NAMESPACE, f"{kind}/{subject_id}" + (f"/{about}" if about else "")))


def reference_for(facts: NoticeFacts, dispatch_date: date) -> str:
    """The act's readable reference (kernel.identifiers.act_reference), of the year it was decided;
    an acknowledgement's is its application's file reference (application_reference)."""
    submitted_on = facts.details.get("submitted_on")
    if facts.kind == "acknowledgement" and isinstance(submitted_on, date):
        return application_reference(facts.subject_id, submitted_on)
    return act_reference(facts.key, (facts.decided_on or dispatch_date).year)


def application_reference(application_id: str, submitted_on: date) -> str:
    """The reference of an application's file: its acknowledgement's "ons kenmerk", which every later
    mail about the file (a question, an answer, a withdrawal, a deadline) quotes. Of the year it was
    submitted, so that it follows from the application alone."""
    return act_reference(f"acknowledgement/{application_id}", submitted_on.year)
