"""Bus edge of the notification service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch
from kernel.envelope import Envelope
from kernel.events import EventData

logger = Logger(service="notification")

# The events this consumer acts on (notification.service.dispatch.ROUTES has the use cases; a
# unit test keeps the two lists equal). The use cases load at the first event, not at import.
EVENT_NAMES = (
    "ApplicationSubmitted", "ApplicationRouted", "ApplicationWithdrawn", "QuestionAsked", "QuestionAnswered", "DecisionRecorded",
    "RecognitionGranted", "RecognitionRevoked", "RecognitionExpired", "RecognitionRestored", "MeasureImposed",
    "SupportRequestRouted", "AppealLodged", "AppealAdmissibilityDecided", "AppealDecided",
    "DecisionDeadlineApproaching", "DecisionDeadlineMissed", "RenewalReminderDue", "MentorTrainingDue",
)


def _bound(event_name: str) -> EventHandler:
    def handle(envelope: Envelope, data: EventData) -> None:
        from notification.bootstrap import dependencies
        from notification.service import dispatch

        dispatch.run(event_name, envelope, data, dependencies())

    return handle


HANDLERS: dict[str, EventHandler] = {name: _bound(name) for name in EVENT_NAMES}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    from notification.bootstrap import dependencies

    return consume_batch(event, context, handlers=HANDLERS, processed=dependencies().processed, logger=logger)
