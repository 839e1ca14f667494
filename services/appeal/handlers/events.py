"""Bus edge of the appeal service: one envelope per SQS record, partial batch responses."""

import functools

from aws_lambda_powertools import Logger

from kernel.consumer import EventHandler, consume_batch
from kernel.processed import DynamoProcessedEvents
from kernel.settings import Settings

logger = Logger(service="appeal")


class _Env(Settings):
    table_name: str


@functools.cache
def _processed() -> DynamoProcessedEvents:
    return DynamoProcessedEvents(_Env.from_environ().table_name)


HANDLERS: dict[str, EventHandler] = {}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=_processed(), logger=logger)
