"""Edge for SES's reports on sent mail: the configuration set's SNS destination delivers them to a
queue as raw SES events (not bus envelopes), one per SQS record; partial batch responses."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from kernel import coldstart
from notification import bootstrap
from notification.domain.delivery import mail_event
from notification.usecases.delivery import record_mail_event

logger = Logger(service="notification")


def handle_record(record: SQSRecord) -> str:
    event = mail_event(record.body)
    if event is None:
        return "ignored"  # a send or another report about no notice: nothing to record
    record_mail_event(bootstrap.mail_event_ports(), event)
    return event.outcome


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: Any) -> dict:
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return dict(process_partial_response(event=event, record_handler=handle_record, processor=processor,
                                         context=context))
