"""Decision deadline timers as they arrive from the scheduler: mark the file, then put the same
envelope on the bus so that notification and the partnership's own feed see it. The warning also
sets the missed-deadline timer (one timer per file at a time, review.usecases.timers)."""

from __future__ import annotations

from collections.abc import Callable

from kernel.envelope import Envelope
from kernel.events import DecisionDeadlineApproachingV1, DecisionDeadlineMissedV1
from review.domain.review_file import ReviewFile
from review.usecases.common import update_file
from review.usecases.deciding import announce_pending_decision
from review.usecases.ports import Ports
from review.usecases.timers import schedule_missed_timer


def _mark_and_announce(ports: Ports, envelope: Envelope, application_id: str, flag: str,
                       then: Callable[[ReviewFile], None] | None = None) -> None:
    """``then``: what else to do with the open file as read, before it is marked."""
    current = ports.repo.get_file(application_id)
    if current is None or not current.item.is_open():
        # Decided or withdrawn after the timer was set: nothing is late. A decision whose events
        # never reached the bus kept its timers; this is the moment to announce it after all.
        announce_pending_decision(ports, application_id, envelope.correlation_id)
        return
    if then is not None:
        then(current.item)

    def mark(file: ReviewFile) -> ReviewFile:
        return file.model_copy(update={flag: True}) if file.is_open() else file

    if update_file(ports, application_id, mark).is_open():
        ports.publisher.publish(envelope)


def on_deadline_approaching(ports: Ports, envelope: Envelope, data: DecisionDeadlineApproachingV1) -> None:
    """Sets the missed timer first: a crash after it re-runs the handler, and its name makes the
    second schedule harmless. Only for the term the warning is about, still running: a warning of a
    due date a pause moved finds that term's own timers, set when it ran again (files.add_answer)."""

    def set_missed_timer(file: ReviewFile) -> None:
        if not file.decision_term_paused and file.decision_due == data.decision_due:
            schedule_missed_timer(ports, file, correlation_id=envelope.correlation_id)

    _mark_and_announce(ports, envelope, data.application_id, "deadline_warned", then=set_missed_timer)


def on_deadline_missed(ports: Ports, envelope: Envelope, data: DecisionDeadlineMissedV1) -> None:
    _mark_and_announce(ports, envelope, data.application_id, "deadline_missed")
