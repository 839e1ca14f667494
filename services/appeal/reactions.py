"""What the appeal service learns from the bus: the subjects that can be appealed, their notices,
and its own acknowledgement alarm. Every reaction is safe to repeat and to receive out of order."""

from __future__ import annotations

from datetime import datetime

from appeal.adapters.store import AppealStore
from appeal.domain.subjects import Notice
from kernel.calendar import local_date
from kernel.events import AppealAcknowledgementDueV1, DecisionRecordedV1, MeasureImposedV1, NoticeIssuedV1
from kernel.identifiers import act_reference


def _remember_reference(store: AppealStore, subject_id: str, decided_at: datetime) -> None:
    """The readable reference its notice prints (notification derives it the same way), so that
    a company may quote it as subject_id."""
    store.record_reference(act_reference(subject_id, local_date(decided_at).year), subject_id)


def remember_decision(store: AppealStore, data: DecisionRecordedV1) -> None:
    store.record_subject(
        data.decision_id,
        kind="decision",
        subject_type=data.outcome,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.decided_at,
    )
    _remember_reference(store, data.decision_id, data.decided_at)


def remember_measure(store: AppealStore, data: MeasureImposedV1) -> None:
    store.record_subject(
        data.measure_id,
        kind="measure",
        subject_type=data.type,
        enterprise_number=data.enterprise_number,
        partnership_id=data.partnership_id,
        decided_at=data.imposed_at,
    )
    _remember_reference(store, data.measure_id, data.imposed_at)


def remember_notice(store: AppealStore, data: NoticeIssuedV1) -> None:
    store.record_notice(
        data.subject_id,
        Notice(notice_id=data.notice_id, issued_at=data.issued_at, appeal_deadline=data.appeal_deadline),
    )


def flag_unacknowledged(store: AppealStore, data: AppealAcknowledgementDueV1) -> bool:
    """True when the appeal still awaits its admissibility after the acknowledgement date."""
    return store.flag_acknowledgement_overdue(data.appeal_id)
