"""What the appeal service learns from the bus: the subjects that can be appealed and their
notices. Every reaction is safe to repeat and to receive out of order."""

from __future__ import annotations

from datetime import datetime

from appeal.domain.subjects import Notice
from appeal.usecases.ports import Ports
from kernel.calendar import local_date
from kernel.envelope import Envelope
from kernel.events import DecisionRecordedV1, MeasureImposedV1, NoticeDeliveryFailedV1, NoticeIssuedV1
from kernel.identifiers import act_reference


def _reference(subject_id: str, decided_at: datetime) -> str:
    """The readable reference its notice prints (notification derives it the same way), so that
    a company may quote it as subject_id."""
    return act_reference(subject_id, local_date(decided_at).year)


def remember_decision(ports: Ports, envelope: Envelope, data: DecisionRecordedV1) -> None:
    # The subject and its reference in one write, with the event's marker (the handler's only write).
    ports.store.record_subject(
        data.decision_id,
        kind="decision",
        subject_type=data.outcome,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.decided_at,
        reference=_reference(data.decision_id, data.decided_at),
        mark_event=True,
    )


def remember_measure(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    ports.store.record_subject(
        data.measure_id,
        kind="measure",
        subject_type=data.type,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.imposed_at,
        reference=_reference(data.measure_id, data.imposed_at),
        mark_event=True,
    )


# Notification's kind for the acknowledgement of a submitted application: its subject is the
# application, which is no act anyone can appeal against.
APPLICATION_ACKNOWLEDGEMENT = "acknowledgement"
# Notification's kinds for the notices of the acts an appeal lies against (DOMAIN.md section 6: a
# refusal or a sanction; CONTRACT.md: the notices that carry an appeal deadline). A notice is read
# here only for the deadline of an appeal against its subject (domain.subjects.appeal_deadline),
# which no other subject has: an approval, a guidance action, an appeal's own notices, a
# recognition, its expiry or restoration are refused as not appealable before any deadline is read.
APPEALABLE_NOTICE_KINDS = frozenset({"refusal", "mentor_ban", "revocation", "exclusion"})


def notice_of_an_act(data: NoticeIssuedV1 | NoticeDeliveryFailedV1) -> bool:
    """Whether the notice can be about a subject an appeal names (a refusal or a sanction)."""
    return data.kind in APPEALABLE_NOTICE_KINDS


def remember_notice(ports: Ports, envelope: Envelope, data: NoticeIssuedV1) -> None:
    ports.store.record_notice(
        data.subject_id,
        Notice(notice_id=data.notice_id, issued_at=data.issued_at, appeal_deadline=data.appeal_deadline),
        mark_event=True,  # the handler's only write
    )


def remember_undelivered_notice(ports: Ports, envelope: Envelope, data: NoticeDeliveryFailedV1) -> None:
    """The notice's mail did not arrive: its printed deadline no longer decides lateness."""
    ports.store.record_undelivered(data.subject_id, data.notice_id, mark_event=True)  # the handler's only write
