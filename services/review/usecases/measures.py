"""Imposing measures on a recognition: guidance, mentor ban, revocation, exclusion."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kernel import clock
from kernel.auth import Caller
from kernel.errors import Conflict, FieldError, RuleViolation
from kernel.events import MeasureImposedV1, RecognitionRevokedV1
from kernel.identifiers import normalise
from kernel.ledger import reaches
from kernel.publisher import publish
from reference.catalogue import training
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import MentorBan, Recognition
from review.usecases.common import SOURCE, update_recognition
from review.usecases.ports import Ports
from review.usecases.recognitions import own_recognition
from review.usecases.views import measure_view

# Which optional request fields each type takes (the others must be absent).
FIELDS: dict[str, set[str]] = {
    "guidance": {"plan", "due_date"},
    "mentor_ban": {"mentor_index", "national_register_number", "trainings"},
    "revocation": {"effective_on"},
    "exclusion": {"scope", "until"},
}


@dataclass(frozen=True)
class ImposeMeasure:
    type: str
    reason: str
    given: dict[str, Any] = field(default_factory=dict)  # the optional fields the client sent


def impose(
    ports: Ports, caller: Caller, recognition_id: str, command: ImposeMeasure, correlation_id: str
) -> dict[str, Any]:
    """Raises NotFound (not the partnership's recognition), Conflict (already revoked or ended),
    RuleViolation (fields missing or wrong for the type)."""
    recognition = own_recognition(ports, caller, recognition_id)
    _reject_foreign_fields(command)
    measure = Measure(
        measure_id=str(uuid.uuid4()), type=command.type, recognition_id=recognition_id,
        partnership_id=recognition.partnership_id, enterprise_number=recognition.enterprise_number,
        establishment_number=recognition.establishment_number, reason=command.reason,
        imposed_at=clock.now(), imposed_by=caller.sub,
    )
    exclusion = None
    if command.type == "guidance":
        measure = _guidance(measure, command.given)
    elif command.type == "mentor_ban":
        measure = _mentor_ban(ports, recognition, measure, command.given)
    elif command.type == "revocation":
        measure = _revocation(ports, recognition, measure, command.given, correlation_id)
    else:
        measure, exclusion = _exclusion(ports, recognition, measure, command.given, correlation_id)
    ports.repo.save_measure(measure, exclusion)
    publish(
        ports.publisher,
        MeasureImposedV1(
            measure_id=measure.measure_id, type=measure.type, partnership_id=measure.partnership_id,
            enterprise_number=measure.enterprise_number, establishment_number=measure.establishment_number,
            recognition_id=measure.recognition_id, reason=measure.reason, details=measure.details,
            appealable=measure.appealable, imposed_at=measure.imposed_at,
        ),
        source=SOURCE, correlation_id=correlation_id, cause_id=measure.measure_id, what="MeasureImposed",
    )
    return measure_view(measure)


def _reject_foreign_fields(command: ImposeMeasure) -> None:
    allowed = FIELDS[command.type]
    foreign = sorted(name for name, value in command.given.items() if value is not None and name not in allowed)
    if foreign:
        raise RuleViolation(
            f"These fields do not apply to a {command.type}.",
            [FieldError(name, "not_applicable", f"not used by type {command.type}") for name in foreign],
        )


def _required(given: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if given.get(n) in (None, "", [])]
    if missing:
        raise RuleViolation(
            "Some fields are missing.", [FieldError(n, "required", "required for this type") for n in missing]
        )


def _not_past(name: str, value: date) -> None:
    if value < clock.today():
        raise RuleViolation(f"{name} is in the past.", [FieldError(name, "in_the_past", "must be today or later")])


def _guidance(measure: Measure, given: dict[str, Any]) -> Measure:
    _required(given, "plan", "due_date")
    _not_past("due_date", given["due_date"])
    return measure.model_copy(update={"details": {"plan": given["plan"], "due_date": given["due_date"].isoformat()}})


def _mentor_ban(ports: Ports, recognition: Recognition, measure: Measure, given: dict[str, Any]) -> Measure:
    index = _mentor_index(recognition, given)
    trainings = list(dict.fromkeys(given.get("trainings") or [recognition.training_code]))
    unknown = [code for code in trainings if training(code) is None]
    if unknown:
        raise RuleViolation("Unknown training codes.",
                            [FieldError("trainings", "unknown_training", f"unknown code {c}") for c in unknown])
    mentor = recognition.mentors[index]
    # The ban is on the person for those trainings: it also reaches the enterprise's other
    # recognitions for a listed training where the same mentor (same national register number) is named.
    # Only where the imposing partnership is competent, unless it is the VPDL (kernel.ledger.reaches).
    targets = [(recognition, index)]
    if mentor.national_register_number:
        for other in ports.repo.enterprise_recognitions(recognition.enterprise_number):
            other_index = other.mentor_index(mentor.national_register_number)
            if other.recognition_id != recognition.recognition_id and other_index is not None \
                    and other.training_code in trainings \
                    and reaches(measure.partnership_id, other.partnership_id, ports.supervisor_id):
                targets.append((other, other_index))
    flagged = []
    for target, target_index in targets:
        ban = MentorBan(measure_id=measure.measure_id, mentor_index=target_index, trainings=trainings)
        updated = update_recognition(ports, target.recognition_id, functools.partial(Recognition.with_ban, ban=ban))
        if updated.without_eligible_mentor:
            flagged.append(updated.recognition_id)
    # No national register number in the details: they travel on the bus and into notices.
    details = {"mentor_index": index, "mentor_name": f"{mentor.first_name} {mentor.last_name}", "trainings": trainings,
               "recognition_ids": [t.recognition_id for t, _ in targets],
               "without_eligible_mentor": recognition.recognition_id in flagged,
               "recognitions_without_eligible_mentor": flagged}
    return measure.model_copy(update={"details": details})


def _mentor_index(recognition: Recognition, given: dict[str, Any]) -> int:
    index, number = given.get("mentor_index"), given.get("national_register_number")
    if (index is None) == (number is None):
        raise RuleViolation("Name the mentor by mentor_index or by national_register_number (one of them).",
                            [FieldError("mentor_index", "required", "mentor_index or national_register_number")])
    if number is not None:
        index = recognition.mentor_index(normalise(number))
        if index is None:
            raise RuleViolation(
                "No mentor of this recognition has that national register number.",
                [FieldError("national_register_number", "unknown_mentor", "not a mentor of this recognition")],
            )
    if not isinstance(index, int) or not 0 <= index < len(recognition.mentors):
        raise RuleViolation(
            "No mentor with that index.", [FieldError("mentor_index", "unknown_mentor", "no such mentor")]
        )
    return index


def _revoke(ports: Ports, recognition: Recognition, on: date, measure: Measure, correlation_id: str) -> None:
    update_recognition(ports, recognition.recognition_id, lambda r: r.revoked(on, measure.measure_id, measure.reason))
    publish(
        ports.publisher,
        RecognitionRevokedV1(
            recognition_id=recognition.recognition_id,
            partnership_id=recognition.partnership_id,
            enterprise_number=recognition.enterprise_number,
            establishment_number=recognition.establishment_number,
            training_code=recognition.training_code,
            effective_on=on,
            measure_id=measure.measure_id,
            reason=measure.reason,
        ),
        source=SOURCE,
        correlation_id=correlation_id,
        cause_id=measure.measure_id,
        what=f"RecognitionRevoked/{recognition.recognition_id}",
    )


def _revocation(
    ports: Ports, recognition: Recognition, measure: Measure, given: dict[str, Any], correlation_id: str
) -> Measure:
    today = clock.today()
    if recognition.revoked_on is not None:
        raise Conflict("The recognition has already been revoked.")
    if recognition.status_on(today) == "expired":
        raise Conflict("The recognition has already expired.")
    effective_on = given.get("effective_on") or today
    _not_past("effective_on", effective_on)
    if effective_on > recognition.valid_until:
        raise RuleViolation("The recognition ends before that date.",
                            [FieldError("effective_on", "after_validity", "must not be after valid_until")])
    _revoke(ports, recognition, effective_on, measure, correlation_id)
    return measure.model_copy(update={"details": {"effective_on": effective_on.isoformat()},
                                      "revoked_recognition_ids": [recognition.recognition_id]})


def _exclusion(
    ports: Ports, recognition: Recognition, measure: Measure, given: dict[str, Any], correlation_id: str
) -> tuple[Measure, Exclusion]:
    """Every running or scheduled recognition in its reach is revoked today; none can be granted
    while the exclusion runs (the ledger checks it). A sectoral partnership's exclusion reaches its
    own recognitions; the VPDL's reaches every partnership's (DOMAIN.md section 3)."""
    _required(given, "scope")
    today = clock.today()
    until = given.get("until")
    if until is not None:
        _not_past("until", until)
    scope = given["scope"]
    exclusion = Exclusion(
        measure_id=measure.measure_id, enterprise_number=recognition.enterprise_number, scope=scope,
        establishment_number=recognition.establishment_number if scope == "establishment" else None,
        partnership_id=measure.partnership_id, starts_on=today, until=until,
    )
    bar = exclusion.bar()
    hit = [
        r for r in ports.repo.enterprise_recognitions(recognition.enterprise_number)
        if bar.reaches((r.enterprise_number, r.establishment_number, r.training_code), r.partnership_id,
                       ports.supervisor_id)
        and r.status_on(today) in ("active", "scheduled")
    ]
    for r in hit:
        _revoke(ports, r, today, measure, correlation_id)
    # The revoked ids go on the event too: notification lists them on the notice even when their
    # RecognitionRevoked events reach it first.
    details = {"scope": scope, "starts_on": today.isoformat(), "until": until.isoformat() if until else None,
               "establishment_number": exclusion.establishment_number,
               "revoked_recognition_ids": [r.recognition_id for r in hit]}
    measure = measure.model_copy(update={
        "details": details, "revoked_recognition_ids": [r.recognition_id for r in hit],
        "establishment_number": exclusion.establishment_number,
    })
    return measure, exclusion
