"""Decision deadline timers as they arrive from the scheduler: mark the file, then put the same
envelope on the bus so that notification and the partnership's own feed see it."""

from __future__ import annotations

from kernel.envelope import Envelope
from kernel.events import DecisionDeadlineApproachingV1, DecisionDeadlineMissedV1
from review.domain.review_file import ReviewFile
from review.usecases.common import update_file
from review.usecases.deciding import announce_pending_decision
from review.usecases.ports import Ports


def _mark_and_announce(ports: Ports, envelope: Envelope, application_id: str, flag: str) -> None:
    current = ports.repo.get_file(application_id)
    if current is None or not current.item.is_open():
        # Decided or withdrawn after the timer was set: nothing is late. A decision whose events
        # never reached the bus kept its timers; this is the moment to announce it after all.
        announce_pending_decision(ports, application_id, envelope.correlation_id)
        return

    def mark(file: ReviewFile) -> ReviewFile:
        return file.model_copy(update={flag: True}) if file.is_open() else file

    if update_file(ports, application_id, mark).is_open():
        ports.publisher.publish(envelope)


def on_deadline_approaching(ports: Ports, envelope: Envelope, data: DecisionDeadlineApproachingV1) -> None:
    _mark_and_announce(ports, envelope, data.application_id, "deadline_warned")


def on_deadline_missed(ports: Ports, envelope: Envelope, data: DecisionDeadlineMissedV1) -> None:
    _mark_and_announce(ports, envelope, data.application_id, "deadline_missed")
