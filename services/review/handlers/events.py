"""Bus edge of the review service: one envelope per SQS record, partial batch responses.

The queue carries bus events (filtered by the template's subscription) and the service's own
timer envelopes, delivered straight by EventBridge Scheduler.
"""

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch, use_cases
from review import bootstrap

logger = Logger(service="review")


def _with_ports(step: str) -> EventHandler:
    return use_cases("review.service", lambda: bootstrap.ports(), step)  # late-bound: tests swap ports


HANDLERS: dict[str, EventHandler] = {
    "ApplicationRouted": _with_ports("files.open_file"),
    "ApplicationWithdrawn": _with_ports("files.withdraw_file"),
    "QuestionAnswered": _with_ports("files.add_answer"),
    "SensitiveDocumentsPurged": _with_ports("files.mark_documents_purged"),
    "SupportRequestRouted": _with_ports("files.keep_support_request"),
    "AppealDecided": _with_ports("appeals.on_appeal_decided"),
    "DecisionDeadlineApproaching": _with_ports("deadlines.on_deadline_approaching"),
    "DecisionDeadlineMissed": _with_ports("deadlines.on_deadline_missed"),
    "RecognitionExpiryDue": _with_ports("recognitions.on_expiry_due"),
}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed(), logger=logger)
