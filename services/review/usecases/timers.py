"""The review service's own timers: decision deadlines per file and the end of each recognition.

Each timer is a one-time schedule whose input is a ready envelope; it lands on the review queue,
where the handlers in deadlines.py/recognitions.py pick it up. Names derive from the subject, so
scheduling twice is harmless and cancelling needs no lookup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kernel import clock
from kernel.calendar import start_of_day
from kernel.events import DecisionDeadlineApproachingV1, DecisionDeadlineMissedV1, RecognitionExpiryDueV1
from kernel.publisher import derived_envelope
from kernel.timers import schedule_name
from review.domain.recognition import Recognition
from review.domain.review_file import ReviewFile
from review.usecases.common import SOURCE
from review.usecases.ports import Ports

# A schedule at or before now would never fire on AWS; such a timer fires a minute from now.
_SOON = timedelta(minutes=1)


def start_of(day: date) -> datetime:
    """Midnight in Brussels at the start of ``day`` (the procedure's days are Brussels days, as
    kernel.clock.today()), as a UTC instant for the scheduler."""
    return start_of_day(day).astimezone(UTC)


def _not_before_now(instant: datetime) -> datetime:
    return max(instant, clock.now() + _SOON)


def warning_name(application_id: str) -> str:
    return schedule_name("review-warn", application_id)


def missed_name(application_id: str) -> str:
    return schedule_name("review-missed", application_id)


def expiry_name(recognition_id: str) -> str:
    return schedule_name("review-expiry", recognition_id)


def _warning_at(due: date, warning_days: int) -> datetime:
    return start_of(due - timedelta(days=warning_days))


def schedule_deadline_timers(ports: Ports, file: ReviewFile, *, warning_days: int, correlation_id: str) -> None:
    """One timer at a time per file: the warning ``warning_days`` before the last day while that is
    ahead, else at once the flag for the day after it. The warning, when it fires on a file still
    open, sets the flag's timer (schedule_missed_timer, from review.usecases.deadlines): a file
    decided before its warning, as most are, never gets a second schedule. Their event ids derive
    from the file and the last day, so a due date moved by a pause gets timers of its own
    (consumers would drop a second event under the first one's id)."""
    assert file.partnership_id is not None and file.decision_due is not None
    due = file.decision_due
    warn_at = _warning_at(due, warning_days)
    if warn_at <= clock.now():  # a warning after the fact says nothing the missed timer won't
        schedule_missed_timer(ports, file, correlation_id=correlation_id)
        return
    warning = DecisionDeadlineApproachingV1(
        application_id=file.application_id,
        partnership_id=file.partnership_id,
        decision_due=due,
        days_left=warning_days,
    )
    ports.timers.schedule(
        warning_name(file.application_id),
        warn_at,
        derived_envelope(warning, source=SOURCE, correlation_id=correlation_id, cause_id=file.application_id,
                         what=f"DecisionDeadlineApproaching/{due}", occurred_at=warn_at),
    )


def schedule_missed_timer(ports: Ports, file: ReviewFile, *, correlation_id: str) -> None:
    """The flag the day after the last day (a minute from now when that is past already)."""
    assert file.partnership_id is not None and file.decision_due is not None
    due = file.decision_due
    missed_at = start_of(due + timedelta(days=1))
    missed = DecisionDeadlineMissedV1(
        application_id=file.application_id, partnership_id=file.partnership_id, decision_due=due
    )
    ports.timers.schedule(
        missed_name(file.application_id),
        _not_before_now(missed_at),
        derived_envelope(missed, source=SOURCE, correlation_id=correlation_id, cause_id=file.application_id,
                         what=f"DecisionDeadlineMissed/{due}", occurred_at=missed_at),
    )


def cancel_deadline_timers(ports: Ports, application_id: str) -> None:
    """Both, for the moves where which one is pending is not known (a pause, a withdrawal, a copy)."""
    ports.timers.cancel(warning_name(application_id))
    ports.timers.cancel(missed_name(application_id))


def cancel_pending_deadline_timer(ports: Ports, file: ReviewFile, *, warning_days: int) -> None:
    """The one timer schedule_deadline_timers left pending for ``file`` as it stands: the warning
    until its instant, the flag after it (the warning has fired and set it). A warning that fires
    during the decision may still set the flag after this: that timer then finds the file decided
    and does nothing (review.usecases.deadlines)."""
    if file.decision_due is not None and _warning_at(file.decision_due, warning_days) > clock.now():
        ports.timers.cancel(warning_name(file.application_id))
    else:
        ports.timers.cancel(missed_name(file.application_id))


def schedule_expiry(ports: Ports, recognition: Recognition, *, correlation_id: str) -> None:
    """RecognitionExpiryDue on the day after the last valid day."""
    due_at = start_of(recognition.valid_until + timedelta(days=1))
    data = RecognitionExpiryDueV1(recognition_id=recognition.recognition_id, valid_until=recognition.valid_until)
    ports.timers.schedule(
        expiry_name(recognition.recognition_id),
        _not_before_now(due_at),
        derived_envelope(data, source=SOURCE, correlation_id=correlation_id, cause_id=recognition.recognition_id,
                         what=f"RecognitionExpiryDue/{recognition.valid_until}", occurred_at=due_at),
    )
