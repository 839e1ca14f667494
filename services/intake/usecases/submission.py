"""Submitting a draft: check it against the policy and what the bus told us, verify every
uploaded object, pin the policy, and publish ApplicationSubmitted with the full file."""

from __future__ import annotations

from dataclasses import replace

from intake.domain.application import Application
from intake.domain.submission import SubmissionContext, check_conflicts, check_key_free, check_submission
from intake.usecases.applications import actor_of
from intake.usecases.ports import SOURCE, KeyHeld, Ports, Principal
from intake.usecases.unit_of_work import commit, load_own
from kernel import clock
from kernel.errors import Conflict, RuleViolation
from kernel.events import ApplicationSubmittedV1
from kernel.ledger import Ledger
from kernel.publisher import derived_envelope
from reference.catalogue import training
from reference.partnerships import partnership_table
from reference.policy import EffectivePolicy, policy
from routing.domain.deadlines import decision_due
from routing.domain.partnership_routing import decide_partnership


def expected_policy(app: Application) -> EffectivePolicy:
    """The policy of the partnership that routing will pick (same pure rule, same reference data),
    so that sector rules such as Horeca's RSZ certificate apply at submission."""
    return policy().for_partnership(expected_partnership(app))


def expected_partnership(app: Application) -> str:
    joint_committee = app.company.joint_committee if app.company else None
    return decide_partnership(joint_committee, app.training_code, partnership_table()).partnership_id


def ledger_for(ports: Ports, app: Application) -> Ledger:
    """The key's recognitions (plus the renewed one) and the enterprise's exclusions, as the bus
    told intake: the same facts review's ledger holds."""
    entries = ports.projections.recognitions_for(app.key())
    if app.renews_recognition_id and all(e.recognition_id != app.renews_recognition_id for e in entries):
        renewed = ports.projections.recognition(app.renews_recognition_id)
        entries = entries + ([renewed] if renewed else [])
    return Ledger(entries=tuple(entries), bars=tuple(ports.projections.exclusions_for(app.enterprise_number)),
                  supervisor_id=partnership_table().fallback)


def _context(ports: Ports, principal: Principal, app: Application, effective: EffectivePolicy) -> SubmissionContext:
    return SubmissionContext(
        today=clock.today(),
        policy=effective.values,
        ledger=ledger_for(ports, app),
        partnership_id=effective.partnership_id,
        # Not read here: the key's conditional hold at the save is the check (_name_the_holder).
        training_exists=training(app.training_code) is not None,
        submitter=actor_of(principal),
    )


def _name_the_holder(ports: Ports, app: Application) -> None:
    """Raises the Conflict naming the application that holds the key, if another one does. Read only
    when the submission fails anyway: the one that goes through learns it from its hold."""
    check_key_free(app, ports.projections.open_application(app.key()))


def submit_application(ports: Ports, principal: Principal, application_id: str, correlation_id: str) -> Application:
    """Raises NotFound, Conflict (state, an active recognition, another open application) or
    RuleViolation listing every failing item."""
    app = load_own(ports, principal, application_id)
    effective = expected_policy(app)
    ctx = _context(ports, principal, app, effective)
    check_conflicts(app, ctx)  # before reading any object back
    ctx = replace(ctx, stored={d.id: ports.documents.read(d.key) for d in app.documents})
    try:
        check_submission(app, ctx)
    except RuleViolation:
        _name_the_holder(ports, app)  # a conflict answers before the file's own errors (409, then 422)
        raise
    now = clock.now()
    verified = [
        d.model_copy(update={"sha256": s.sha256, "version_id": s.version_id, "verified_at": now})
        for d in app.documents
        if (s := ctx.stored[d.id]) is not None
    ]
    due = decision_due(now, effective, documents_complete_at=now)
    app.mark_submitted(
        actor=actor_of(principal), now=now, decision_due=due, policy=effective.snapshot(), verified=verified
    )
    envelope = derived_envelope(ApplicationSubmittedV1(application=app.snapshot()), source=SOURCE,
                                correlation_id=correlation_id, cause_id=app.id, what="submitted")
    try:
        commit(ports, app, [envelope], hold_key=app.key())  # the save takes the key: both or neither
    except KeyHeld:
        _name_the_holder(ports, app)
        raise Conflict("Another application for this establishment and training was submitted just now.") from None
    return app
