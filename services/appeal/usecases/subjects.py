"""What the appeal service learns from the bus: the subjects that can be appealed and their
notices. Every reaction is safe to repeat and to receive out of order."""

from __future__ import annotations

from appeal.domain.subjects import Notice
from appeal.usecases.ports import Ports
from kernel.envelope import Envelope
from kernel.events import DecisionRecordedV1, MeasureImposedV1, NoticeIssuedV1


def remember_decision(ports: Ports, envelope: Envelope, data: DecisionRecordedV1) -> None:
    ports.store.record_subject(
        data.decision_id,
        kind="decision",
        subject_type=data.outcome,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.decided_at,
    )


def remember_measure(ports: Ports, envelope: Envelope, data: MeasureImposedV1) -> None:
    ports.store.record_subject(
        data.measure_id,
        kind="measure",
        subject_type=data.type,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.imposed_at,
    )


def remember_notice(ports: Ports, envelope: Envelope, data: NoticeIssuedV1) -> None:
    ports.store.record_notice(
        data.subject_id,
        Notice(notice_id=data.notice_id, issued_at=data.issued_at, appeal_deadline=data.appeal_deadline),
    )
