"""Lodging an appeal: the company's request, its announcement on the bus (with the automatic
admissibility of a late or unmotivated appeal), and the acknowledgement alarm."""

from __future__ import annotations

import uuid
from datetime import timedelta

from appeal.domain import appeals as rules
from appeal.domain.appeals import Appeal
from appeal.domain.deadlines import start_of_day
from appeal.usecases.ports import SOURCE, Ports
from kernel import clock
from kernel.auth import Caller
from kernel.envelope import Envelope
from kernel.errors import NotFound
from kernel.events import AppealAcknowledgementDueV1, AppealAdmissibilityDecidedV1, AppealLodgedV1
from kernel.identifiers import is_act_reference
from kernel.publisher import derived_envelope, publish
from kernel.timers import schedule_name
from reference.policy import EffectivePolicy, policy


def policy_for(partnership_id: str | None) -> EffectivePolicy:
    return policy().for_partnership(partnership_id)


def acknowledgement_timer(appeal_id: str) -> str:
    return schedule_name("appeal-ack", appeal_id)


def resolved_subject(ports: Ports, subject_id: str) -> str:
    """The decision or measure id: a readable reference (DL-..., as the notice prints it) is
    looked up; anything else is taken as the id itself."""
    subject_id = subject_id.strip()
    if is_act_reference(subject_id):
        return ports.store.subject_for_reference(subject_id) or subject_id
    return subject_id


def appealable_subject(ports: Ports, caller: Caller, subject_id: str) -> None:
    """Raises NotFound unless the subject concerns the caller's company (what lodging checks first;
    a replayed lodging is authorised by it)."""
    subject = ports.store.get_subject(resolved_subject(ports, subject_id))
    if subject is None or not subject.belongs_to(caller.enterprise_number):
        raise NotFound("No decision or measure with this id concerns your company.")


def lodge_appeal(ports: Ports, caller: Caller, *, subject_id: str, grounds: str, correlation_id: str) -> Appeal:
    """Record an appeal by the caller's company. Raises NotFound (unknown or another company's
    subject), Conflict (the subject already has an open or decided appeal), RuleViolation (not
    appealable).

    An appeal is saved first and announced after; one whose announcement failed (the request
    answered 500) is announced by the next request about its subject. When that request is the
    company's retry (same person, same grounds), it answers with the appeal saved the first time
    instead of a 409 or a second appeal."""
    subject_id = resolved_subject(ports, subject_id)
    retried = _announce_pending(ports, subject_id, caller, grounds, correlation_id)
    if retried is not None:
        return retried
    subject = ports.store.get_subject(subject_id)
    appeal = rules.lodge(
        appeal_id=str(uuid.uuid4()),
        subject=subject,
        enterprise_number=caller.enterprise_number,
        lodged_by=caller.sub,
        grounds=grounds,
        now=clock.now(),
        policy=policy_for(subject.partnership_id if subject else None),
    )
    ports.store.add(appeal)
    _announce_lodged(ports, appeal, correlation_id)
    return appeal


def _announce_pending(
    ports: Ports, subject_id: str, caller: Caller, grounds: str, correlation_id: str
) -> Appeal | None:
    retried = None
    for appeal in ports.store.pending(subject_id):
        _announce_lodged(ports, appeal, correlation_id)
        if appeal.lodged_by == caller.sub and appeal.enterprise_number == caller.enterprise_number \
                and appeal.grounds == grounds:
            retried = ports.store.get(appeal.appeal_id) or appeal
    return retried


def _announce_lodged(ports: Ports, appeal: Appeal, correlation_id: str) -> None:
    """AppealLodged as it was lodged (its id derives from the appeal: a second announcement is a
    duplicate consumers drop), with the automatic admissibility or the acknowledgement alarm."""
    automatic = appeal.admissibility is not None and appeal.admissibility.decided_by == "automatic"
    if appeal.status == "lodged":
        _schedule_acknowledgement_alert(ports, appeal, correlation_id)
    lodged = AppealLodgedV1(
        appeal_id=appeal.appeal_id,
        subject_id=appeal.subject_id,
        subject_kind=appeal.subject_kind,
        enterprise_number=appeal.enterprise_number,
        partnership_id=appeal.partnership_id,
        grounds=appeal.grounds,
        lodged_at=appeal.lodged_at,
        acknowledgement_due=appeal.acknowledgement_due,
        status="inadmissible" if automatic else "lodged",
        inadmissible_reasons=list(appeal.admissibility.reasons) if automatic and appeal.admissibility else [],
    )
    publish(ports.publisher, lodged, source=SOURCE, correlation_id=correlation_id, cause_id=appeal.appeal_id,
            what="lodged")
    if automatic:
        publish_admissibility(ports, appeal, correlation_id)
    ports.store.announced(appeal)


def on_acknowledgement_due(ports: Ports, envelope: Envelope, data: AppealAcknowledgementDueV1) -> bool:
    """The acknowledgement date has passed. An appeal whose lodging was never announced (the
    request failed after the write and was not retried) is announced now, at the latest; one
    still waiting for its admissibility is flagged. Returns whether it was flagged."""
    appeal = ports.store.get(data.appeal_id)
    if appeal is not None and any(p.appeal_id == appeal.appeal_id for p in ports.store.pending(appeal.subject_id)):
        _announce_lodged(ports, appeal, envelope.correlation_id)
    return ports.store.flag_acknowledgement_overdue(data.appeal_id)


def _schedule_acknowledgement_alert(ports: Ports, appeal: Appeal, correlation_id: str) -> None:
    # Fires once the acknowledgement date has passed, i.e. at the start of the next Brussels day.
    envelope = derived_envelope(
        AppealAcknowledgementDueV1(appeal_id=appeal.appeal_id, acknowledgement_due=appeal.acknowledgement_due),
        source=SOURCE, correlation_id=correlation_id, cause_id=appeal.appeal_id, what="acknowledgement-due",
    )
    at = start_of_day(appeal.acknowledgement_due + timedelta(days=1))
    ports.timers.schedule(acknowledgement_timer(appeal.appeal_id), at, envelope)


def publish_admissibility(ports: Ports, appeal: Appeal, correlation_id: str) -> None:
    decided = appeal.admissibility
    assert decided is not None
    data = AppealAdmissibilityDecidedV1(
        appeal_id=appeal.appeal_id,
        subject_id=appeal.subject_id,
        enterprise_number=appeal.enterprise_number,
        admissible=decided.admissible,
        reasons=list(decided.reasons),
        decided_at=decided.decided_at,
    )
    publish(ports.publisher, data, source=SOURCE, correlation_id=correlation_id, cause_id=appeal.appeal_id,
            what="admissibility")
