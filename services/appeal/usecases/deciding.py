"""The appeal committee's steps: the admissibility check and the ruling, each saved and then
announced (and announced again when a retry finds the change already made)."""

from __future__ import annotations

from appeal.domain import appeals as rules
from appeal.domain.appeals import Appeal, Outcome
from appeal.usecases.lodging import acknowledgement_timer, policy_for, publish_admissibility
from appeal.usecases.ports import SOURCE, Ports
from kernel import clock
from kernel.errors import NotFound
from kernel.events import AppealDecidedV1
from kernel.publisher import publish


def record_admissibility(
    ports: Ports, appeal_id: str, *, admissible: bool, reasons: list[str], correlation_id: str
) -> Appeal:
    """The coordinator's admissibility check. Raises NotFound, Conflict (not lodged any more),
    RuleViolation (inadmissible without reasons)."""
    appeal = ports.store.get(appeal_id)
    if appeal is None:
        raise NotFound("No appeal with this id.")
    if appeal.status != "lodged":
        _announce_again(ports, appeal, correlation_id)
    decided = rules.decide_admissibility(
        appeal, admissible=admissible, reasons=reasons, now=clock.now(), policy=policy_for(appeal.partnership_id)
    )
    ports.store.save(decided, expected_status=appeal.status)
    ports.timers.cancel(acknowledgement_timer(appeal_id))
    publish_admissibility(ports, decided, correlation_id)
    return decided


def record_decision(
    ports: Ports, appeal_id: str, *, outcome: Outcome, reasons: list[str], correlation_id: str
) -> Appeal:
    """The committee's ruling on an admissible appeal. Raises NotFound, Conflict (not admissible
    or already decided), RuleViolation (no reasons)."""
    appeal = ports.store.get(appeal_id)
    if appeal is None:
        raise NotFound("No appeal with this id.")
    if appeal.ruling is not None:
        _announce_again(ports, appeal, correlation_id)
    decided = rules.decide(appeal, outcome=outcome, reasons=reasons, now=clock.now())
    ports.store.save(decided, expected_status=appeal.status)
    _publish_ruling(ports, decided, correlation_id)
    return decided


def _announce_again(ports: Ports, appeal: Appeal, correlation_id: str) -> None:
    """Publish again what the appeal's state has announced before. A request that saved a change
    and then failed to publish answered 500; the client's retry finds the change made (and gets
    409), so it re-sends the events here first. Their ids derive from the appeal, so consumers
    drop the copies of whatever did go out."""
    if appeal.admissibility is not None:
        publish_admissibility(ports, appeal, correlation_id)
    if appeal.ruling is not None:
        _publish_ruling(ports, appeal, correlation_id)


def _publish_ruling(ports: Ports, decided: Appeal, correlation_id: str) -> None:
    ruling = decided.ruling
    assert ruling is not None
    data = AppealDecidedV1(
        appeal_id=decided.appeal_id,
        subject_id=decided.subject_id,
        subject_kind=decided.subject_kind,
        enterprise_number=decided.enterprise_number,
        partnership_id=decided.partnership_id,
        outcome=ruling.outcome,
        reasons=list(ruling.reasons),
        decided_at=ruling.decided_at,
    )
    publish(ports.publisher, data, source=SOURCE, correlation_id=correlation_id, cause_id=decided.appeal_id,
            what="decided")
