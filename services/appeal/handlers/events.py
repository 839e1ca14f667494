"""Bus edge of the appeal service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from appeal import bootstrap
from appeal.usecases import lodging, subjects
from kernel import coldstart
from kernel.consumer import consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import (
    AppealAcknowledgementDueV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    NoticeDeliveryFailedV1,
    NoticeIssuedV1,
)

logger = Logger(service="appeal")


def _decision_recorded(envelope: Envelope, data: DecisionRecordedV1) -> None:
    subjects.remember_decision(bootstrap.ports(), envelope, data)


def _measure_imposed(envelope: Envelope, data: MeasureImposedV1) -> None:
    subjects.remember_measure(bootstrap.ports(), envelope, data)


def _notice_issued(envelope: Envelope, data: NoticeIssuedV1) -> None:
    subjects.remember_notice(bootstrap.ports(), envelope, data)


def _notice_undelivered(envelope: Envelope, data: NoticeDeliveryFailedV1) -> None:
    subjects.remember_undelivered_notice(bootstrap.ports(), envelope, data)


def _acknowledgement_due(envelope: Envelope, data: AppealAcknowledgementDueV1) -> None:
    if lodging.on_acknowledgement_due(bootstrap.ports(), envelope, data):
        # The operator's alert: CloudWatch filters on this message (DOMAIN.md section 6: 10 calendar days).
        logger.warning(
            "appeal not acknowledged in time",
            extra={"appeal_id": data.appeal_id, "acknowledgement_due": str(data.acknowledgement_due)},
        )


# Their one write carries the event's marker and finds a copy (kernel.consumer: no read before it).
HANDLERS = handler_map(
    on(DecisionRecordedV1, _decision_recorded, checks_marker=False),
    on(MeasureImposedV1, _measure_imposed, checks_marker=False),
    on(NoticeIssuedV1, _notice_issued, applies=subjects.notice_of_an_act, checks_marker=False),
    on(NoticeDeliveryFailedV1, _notice_undelivered, applies=subjects.notice_of_an_act, checks_marker=False),
    on(AppealAcknowledgementDueV1, _acknowledgement_due),
)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.ports().processed, logger=logger)
