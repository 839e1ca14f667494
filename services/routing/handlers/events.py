"""Bus edge of routing: ApplicationSubmitted -> ApplicationRouted, SupportRequested -> SupportRequestRouted."""

from aws_lambda_powertools import Logger

from kernel.consumer import consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import ApplicationSubmittedV1, SupportRequestedV1
from reference.partnerships import partnership_table
from routing import service
from routing.bootstrap import dependencies

logger = Logger(service="routing")


def on_application_submitted(envelope: Envelope, data: ApplicationSubmittedV1) -> None:
    deps = dependencies()
    decision = service.route_application(
        envelope, data, partnerships=partnership_table(), publisher=deps.publisher, log=deps.log
    )
    if decision.flagged:
        logger.warning("routed to the fallback partnership for a person to check", extra={"rule": decision.rule})


def on_support_requested(envelope: Envelope, data: SupportRequestedV1) -> None:
    deps = dependencies()
    service.route_support_request(
        envelope, data, partnerships=partnership_table(), publisher=deps.publisher, log=deps.log
    )


HANDLERS = handler_map(
    on(ApplicationSubmittedV1, on_application_submitted),
    on(SupportRequestedV1, on_support_requested),
)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=dependencies().processed, logger=logger)
