"""Files arriving from the bus: a routed application opens one, a withdrawal closes it, an
answer to a question joins it; routed support requests are kept for their partnership."""

from __future__ import annotations

from kernel import clock
from kernel.envelope import Envelope
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    QuestionAnsweredV1,
    SensitiveDocumentsPurgedV1,
    SupportRequestRoutedV1,
)
from review.domain.review_file import Answer, ReviewFile
from review.usecases.common import policy_value, update_file
from review.usecases.ports import Ports
from review.usecases.timers import cancel_deadline_timers, schedule_deadline_timers


class FileNotYetOpen(Exception):
    """An event about a file that has not arrived yet; the message is retried until it has."""


def open_file(ports: Ports, envelope: Envelope, data: ApplicationRoutedV1) -> ReviewFile:
    """Open the file in review and start its deadline timers. A file withdrawn before it was
    routed (events out of order) stays withdrawn and gets no timers.

    The timers come first: the file's write carries the event's idempotency marker and is the last
    step, so a crash before it re-runs everything (the timers' names make that harmless)."""
    file = ReviewFile(
        application_id=data.application_id,
        partnership_id=data.partnership_id,
        status="in_review",
        decision_due=data.decision_due,
        term_due=data.decision_due,
        routed_at=envelope.occurred_at,
        application=data.application,
        routing=data.routing.model_dump(mode="json"),
    )
    warning_days = int(policy_value("decision_deadline_warning_days", data.partnership_id, data.application))
    schedule_deadline_timers(ports, file, warning_days=warning_days, correlation_id=envelope.correlation_id)
    if ports.repo.create_file(file, mark_event=True):
        return file
    existing = ports.repo.get_file(data.application_id)
    assert existing is not None
    if existing.item.application is None:  # the withdrawal came first: keep its status, add the file
        file = file.model_copy(update={"status": existing.item.status})
        file = update_file(ports, data.application_id, lambda _: file)
    else:
        file = existing.item  # routed before (another copy of the event): its term stands
    if not file.is_open():
        cancel_deadline_timers(ports, file.application_id)
    elif file.decision_due != data.decision_due:
        cancel_deadline_timers(ports, file.application_id)
        schedule_deadline_timers(ports, file, warning_days=warning_days, correlation_id=envelope.correlation_id)
    return file


def withdraw_file(ports: Ports, envelope: Envelope, data: ApplicationWithdrawnV1) -> None:
    placeholder = ReviewFile(application_id=data.application_id, partnership_id=data.partnership_id, status="withdrawn")
    if not ports.repo.create_file(placeholder):
        update_file(ports, data.application_id, lambda f: f.withdrawn())
    cancel_deadline_timers(ports, data.application_id)


def add_answer(ports: Ports, envelope: Envelope, data: QuestionAnsweredV1) -> None:
    """Raises FileNotYetOpen when the routing has not arrived yet (the message is retried)."""
    current = ports.repo.get_file(data.application_id)
    if current is None or current.item.application is None:
        raise FileNotYetOpen(data.application_id)
    answer = Answer(message_id=data.message_id, message=data.message, answered_at=data.answered_at)
    pause, day_kind = term_rules(current.item)
    file = update_file(ports, data.application_id, lambda f: f.with_answer(answer).with_term(pause, day_kind))
    if pause and file.is_open() and not file.decision_term_paused:
        # The term runs again, to its moved last day: its timers follow (each due date its own ids).
        cancel_deadline_timers(ports, file.application_id)
        warning_days = int(policy_value("decision_deadline_warning_days", file.partnership_id, file.application))
        schedule_deadline_timers(ports, file, warning_days=warning_days, correlation_id=envelope.correlation_id)


def term_rules(file: ReviewFile) -> tuple[bool, str]:
    """(pause_during_questions, decision_term_day_kind) as pinned on the application."""
    pause = bool(policy_value("pause_during_questions", file.partnership_id, file.application))
    return pause, str(policy_value("decision_term_day_kind", file.partnership_id, file.application))


def mark_documents_purged(ports: Ports, envelope: Envelope, data: SensitiveDocumentsPurgedV1) -> None:
    """Documents intake deleted: the file lists them as purged, without a link. Raises
    FileNotYetOpen while the routing has not arrived (the message is retried)."""
    current = ports.repo.get_file(data.application_id)
    if current is None or current.item.application is None:
        raise FileNotYetOpen(data.application_id)
    update_file(ports, data.application_id, lambda f: f.with_documents_purged(data.document_ids, data.purged_at))


def keep_support_request(ports: Ports, envelope: Envelope, data: SupportRequestRoutedV1) -> None:
    request = data.request
    ports.repo.save_support_request(
        data.partnership_id,
        {
            "support_request_id": data.support_request_id,
            "partnership_id": data.partnership_id,
            "enterprise_number": request.enterprise_number,
            "joint_committee": request.joint_committee,
            "topic": request.topic,
            "message": request.message,
            "contact": request.contact.model_dump(mode="json"),
            "requested_at": clock.iso(request.requested_at),
            "routed_at": clock.iso(envelope.occurred_at),
            "routing": data.routing.model_dump(mode="json"),
        },
    )
