"""HTTP edge of the notification service: parse, call the domain, respond."""

from typing import Annotated, Any

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.auth import authorized_caller, for_roles
from kernel.documented import answers
from kernel.http import Response, json_response, make_resolver, resolve
from kernel.params import Query
from notification import bootstrap
from notification.usecases.listing import list_notices

logger = Logger(service="notification")
app = make_resolver(logger)


@app.get(
    "/notices",
    summary="Official notices (PDF) issued to the caller's companies or about its files",
    description=(
        "An employer sees its enterprise's notices, an intermediary those of its mandates, a partnership "
        "the ones about its files; newest first. `pdf_url` is a presigned download link valid 5 minutes. "
        "`appeal_deadline` is present only on notices of appealable decisions (refusal, mentor ban, "
        "revocation, exclusion)."
    ),
    security=[{"bearer": []}],
    responses=answers(200, "The notices, newest first", "Notice", many=True),
)
@for_roles("employer", "intermediary", "partnership")
def get_notices(
    subject_id: Annotated[
        str | None, Query(max_length=200, description="Only notices about this decision, measure or appeal")
    ] = None,
) -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, list_notices(bootstrap.read_ports(), caller, subject_id))


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
