"""Bus edge of the appeal service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from appeal import bootstrap, reactions
from kernel.consumer import EventHandler, consume_batch
from kernel.envelope import Envelope
from kernel.events import EventData

logger = Logger(service="appeal")


def _decision_recorded(envelope: Envelope, data: EventData) -> None:
    reactions.remember_decision(bootstrap.ports().store, data)  # type: ignore[arg-type]


def _measure_imposed(envelope: Envelope, data: EventData) -> None:
    reactions.remember_measure(bootstrap.ports().store, data)  # type: ignore[arg-type]


def _notice_issued(envelope: Envelope, data: EventData) -> None:
    reactions.remember_notice(bootstrap.ports().store, data)  # type: ignore[arg-type]


def _acknowledgement_due(envelope: Envelope, data: EventData) -> None:
    from appeal import service  # the use cases load at the first alarm, not at cold start

    if service.on_acknowledgement_due(bootstrap.ports(), envelope, data):  # type: ignore[arg-type]
        # The operator's alert: CloudWatch filters on this message (DOMAIN.md section 6: 10 calendar days).
        logger.warning(
            "appeal not acknowledged in time",
            extra={"appeal_id": data.appeal_id, "acknowledgement_due": str(data.acknowledgement_due)},  # type: ignore[attr-defined]
        )


HANDLERS: dict[str, EventHandler] = {
    "DecisionRecorded": _decision_recorded,
    "MeasureImposed": _measure_imposed,
    "NoticeIssued": _notice_issued,
    "AppealAcknowledgementDue": _acknowledgement_due,
}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.ports().processed, logger=logger)
