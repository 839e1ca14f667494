"""Bus edge of the notification service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch
from kernel.envelope import Envelope
from kernel.events import EventData
from notification.bootstrap import dependencies
from notification.service import dispatch

logger = Logger(service="notification")


def _bound(event_name: str) -> EventHandler:
    def handle(envelope: Envelope, data: EventData) -> None:
        dispatch.run(event_name, envelope, data, dependencies())

    return handle


HANDLERS: dict[str, EventHandler] = {name: _bound(name) for name in dispatch.ROUTES}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=dependencies().processed, logger=logger)
