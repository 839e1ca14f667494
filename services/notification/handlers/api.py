"""HTTP edge of the notification service: parse, call the domain, respond."""

from aws_lambda_powertools import Logger

from kernel.http import make_resolver

logger = Logger(service="notification")
app = make_resolver(logger)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
