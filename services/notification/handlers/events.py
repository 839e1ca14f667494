"""Bus edge of the notification service: one envelope per SQS record, partial batch responses.
Each event runs its use cases in order, against bootstrap's ports."""

from collections.abc import Callable
from typing import TypeVar

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.consumer import consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    DecisionRecordedV1,
    EventData,
    MeasureImposedV1,
    MentorTrainingDueV1,
    QuestionAnsweredV1,
    QuestionAskedV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
    RecognitionRevokedV1,
    RenewalReminderDueV1,
    SupportRequestRoutedV1,
)
from notification import bootstrap
from notification.usecases import messages, notices, reminders
from notification.usecases.ports import Ports

logger = Logger(service="notification")

D = TypeVar("D", bound=EventData)


def _steps(*use_cases: Callable[[Ports, Envelope, D], None]) -> Callable[[Envelope, D], None]:
    """The use cases one event runs, in order; the ports are looked up per event (tests override them)."""

    def run(envelope: Envelope, data: D) -> None:
        ports = bootstrap.ports()
        for use_case in use_cases:
            use_case(ports, envelope, data)

    return run


HANDLERS = handler_map(
    # Not ApplicationSubmitted: ApplicationRouted follows every submission and carries the same
    # snapshot. checks_marker=False: safe to repeat whole (kept notices, claimed mails), and the last
    # mail's claim carries the event's marker, which finds a copy (kernel.consumer: no read before it).
    on(ApplicationRoutedV1, _steps(notices.acknowledge_application, messages.tell_partnership_of_new_file),
       checks_marker=False),
    on(ApplicationWithdrawnV1, _steps(messages.confirm_withdrawal)),
    on(QuestionAskedV1, _steps(messages.tell_company_of_question)),
    on(QuestionAnsweredV1, _steps(messages.tell_partnership_of_answer)),
    on(DecisionRecordedV1, _steps(notices.notify_decision), checks_marker=False),
    on(RecognitionGrantedV1, _steps(reminders.schedule_for_grant, notices.notify_recognition_after_appeal),
       checks_marker=False),
    on(RecognitionRevokedV1, _steps(reminders.stop_on_revocation)),
    on(RecognitionExpiredV1, _steps(reminders.stop_on_expiry, notices.notify_expiry)),
    on(RecognitionRestoredV1, _steps(reminders.reschedule_on_restoration, notices.notify_restoration)),
    # The notice first: an exclusion's lists the recognitions it ends while they still run here.
    on(MeasureImposedV1, _steps(notices.notify_measure, reminders.stop_on_measure)),
    on(SupportRequestRoutedV1, _steps(messages.pass_on_support_request)),
    on(AppealLodgedV1, _steps(notices.acknowledge_appeal)),
    on(AppealAdmissibilityDecidedV1, _steps(notices.acknowledge_admissibility)),
    on(AppealDecidedV1, _steps(notices.notify_appeal_decision)),
    on(DecisionDeadlineApproachingV1, _steps(messages.warn_partnership_of_deadline)),
    on(DecisionDeadlineMissedV1, _steps(messages.flag_missed_deadline)),
    # Timer events: straight from EventBridge Scheduler to this service's queue.
    on(RenewalReminderDueV1, _steps(reminders.send_renewal_reminder)),
    on(MentorTrainingDueV1, _steps(reminders.send_mentor_training_reminder)),
)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
