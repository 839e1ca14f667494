"""Bus edge of the notification service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    ApplicationSubmittedV1,
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
    catalogue_key,
)

logger = Logger(service="notification")

# The events this consumer acts on (notification.service.dispatch.ROUTES has the use cases; a
# unit test keeps the two lists equal). The use cases load at the first event, not at import.
EVENTS: tuple[type[EventData], ...] = (
    ApplicationSubmittedV1, ApplicationRoutedV1, ApplicationWithdrawnV1, QuestionAskedV1, QuestionAnsweredV1,
    DecisionRecordedV1, RecognitionGrantedV1, RecognitionRevokedV1, RecognitionExpiredV1, RecognitionRestoredV1,
    MeasureImposedV1, SupportRequestRoutedV1, AppealLodgedV1, AppealAdmissibilityDecidedV1, AppealDecidedV1,
    DecisionDeadlineApproachingV1, DecisionDeadlineMissedV1, RenewalReminderDueV1, MentorTrainingDueV1,
)


def _bound(event_name: str) -> EventHandler:
    def handle(envelope: Envelope, data: EventData) -> None:
        from notification.bootstrap import dependencies
        from notification.service import dispatch

        dispatch.run(event_name, envelope, data, dependencies())

    return handle


HANDLERS = handler_map(*(on(model, _bound(catalogue_key(model)[0])) for model in EVENTS))


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    from notification.bootstrap import dependencies

    return consume_batch(event, context, handlers=HANDLERS, processed=dependencies().processed, logger=logger)
