"""Bus edge of the intake service: one envelope per SQS record, partial batch responses."""

from typing import Any, Callable

from aws_lambda_powertools import Logger

from intake import bootstrap
from intake.usecases import reactions
from kernel.consumer import EventHandler, consume_batch
from kernel.envelope import Envelope
from kernel.events import EventData

logger = Logger(service="intake")


def _with_ports(reaction: Callable[..., Any]) -> EventHandler:
    def handle(envelope: Envelope, data: EventData) -> None:
        reaction(bootstrap.ports(), envelope, data)

    return handle


HANDLERS: dict[str, EventHandler] = {
    "ApplicationRouted": _with_ports(reactions.on_application_routed),
    "QuestionAsked": _with_ports(reactions.on_question_asked),
    "SiteVisitPlanned": _with_ports(reactions.on_site_visit_planned),
    "DecisionRecorded": _with_ports(reactions.on_decision_recorded),
    "RecognitionGranted": _with_ports(reactions.on_recognition_granted),
    "RecognitionRevoked": _with_ports(reactions.on_recognition_revoked),
    "RecognitionExpired": _with_ports(reactions.on_recognition_expired),
    "RecognitionRestored": _with_ports(reactions.on_recognition_restored),
    "MeasureImposed": _with_ports(reactions.on_measure_imposed),
    "AppealDecided": _with_ports(reactions.on_appeal_decided),
}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
