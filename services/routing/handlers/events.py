"""Bus edge of routing: ApplicationSubmitted -> ApplicationRouted, SupportRequested -> SupportRequestRouted."""

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.consumer import consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import ApplicationSubmittedV1, SupportRequestedV1
from routing import bootstrap
from routing.usecases import routing

logger = Logger(service="routing")


def _application_submitted(envelope: Envelope, data: ApplicationSubmittedV1) -> None:
    decision = routing.route_application(bootstrap.ports(), envelope, data)
    if decision.flagged:
        logger.warning("routed to the fallback partnership for a person to check", extra={"rule": decision.rule})


def _support_requested(envelope: Envelope, data: SupportRequestedV1) -> None:
    routing.route_support_request(bootstrap.ports(), envelope, data)


# checks_marker=False: each handler publishes (a derived event id, which consumers drop when it is
# a copy) and then writes the log with the event's marker, whose condition finds a copy: no read
# of the marker before it (kernel.consumer).
HANDLERS = handler_map(
    on(ApplicationSubmittedV1, _application_submitted, checks_marker=False),
    on(SupportRequestedV1, _support_requested, checks_marker=False),
)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
