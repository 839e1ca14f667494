"""Bus edge of the review service: one envelope per SQS record, partial batch responses.

The queue carries bus events (filtered by the template's subscription) and the service's own
timer envelopes, delivered straight by EventBridge Scheduler.
"""

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch, handler_map, on, use_cases
from kernel.events import (
    AppealDecidedV1,
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    QuestionAnsweredV1,
    RecognitionExpiryDueV1,
    SensitiveDocumentsPurgedV1,
    SupportRequestRoutedV1,
)
from review import bootstrap

logger = Logger(service="review")


def _with_ports(step: str) -> EventHandler:
    return use_cases("review.service", lambda: bootstrap.ports(), step)  # late-bound: tests swap ports


HANDLERS = handler_map(
    on(ApplicationRoutedV1, _with_ports("files.open_file")),
    on(ApplicationWithdrawnV1, _with_ports("files.withdraw_file")),
    on(QuestionAnsweredV1, _with_ports("files.add_answer")),
    on(SensitiveDocumentsPurgedV1, _with_ports("files.mark_documents_purged")),
    on(SupportRequestRoutedV1, _with_ports("files.keep_support_request")),
    on(AppealDecidedV1, _with_ports("appeals.on_appeal_decided")),
    on(DecisionDeadlineApproachingV1, _with_ports("deadlines.on_deadline_approaching")),
    on(DecisionDeadlineMissedV1, _with_ports("deadlines.on_deadline_missed")),
    on(RecognitionExpiryDueV1, _with_ports("recognitions.on_expiry_due")),
)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed(), logger=logger)
