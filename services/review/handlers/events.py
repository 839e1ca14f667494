"""Bus edge of the review service: one envelope per SQS record, partial batch responses.

The queue carries bus events (filtered by the template's subscription) and the service's own
timer envelopes, delivered straight by EventBridge Scheduler.
"""

from collections.abc import Callable
from typing import TypeVar

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.consumer import EventHandler, consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    ApplicationWithdrawnV1,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    EventData,
    QuestionAnsweredV1,
    RecognitionExpiryDueV1,
    SensitiveDocumentsPurgedV1,
    SupportRequestRoutedV1,
)
from review import bootstrap
from review.usecases import appeals, deadlines, files, recognitions
from review.usecases.ports import Ports

logger = Logger(service="review")

D = TypeVar("D", bound=EventData)


def _with_ports(use_case: Callable[[Ports, Envelope, D], object]) -> Callable[[Envelope, D], None]:
    """The use case with the service's ports, looked up at each event (tests override them)."""

    def handle(envelope: Envelope, data: D) -> None:
        use_case(bootstrap.ports(), envelope, data)

    handle.__name__ = handle.__qualname__ = getattr(use_case, "__name__", "handle")
    return handle


HANDLERS: dict[str, EventHandler] = handler_map(
    # The file's write carries the marker and finds a copy (kernel.consumer: no read before it).
    on(ApplicationRoutedV1, _with_ports(files.open_file), checks_marker=False),
    on(ApplicationWithdrawnV1, _with_ports(files.withdraw_file)),
    on(QuestionAnsweredV1, _with_ports(files.add_answer)),
    on(SensitiveDocumentsPurgedV1, _with_ports(files.mark_documents_purged)),
    on(SupportRequestRoutedV1, _with_ports(files.keep_support_request)),
    on(AppealLodgedV1, _with_ports(appeals.on_appeal_lodged)),
    on(AppealAdmissibilityDecidedV1, _with_ports(appeals.on_appeal_admissibility_decided)),
    on(AppealDecidedV1, _with_ports(appeals.on_appeal_decided)),
    on(DecisionDeadlineApproachingV1, _with_ports(deadlines.on_deadline_approaching)),
    on(DecisionDeadlineMissedV1, _with_ports(deadlines.on_deadline_missed)),
    on(RecognitionExpiryDueV1, _with_ports(recognitions.on_expiry_due)),
)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed(), logger=logger)
