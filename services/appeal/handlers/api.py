"""HTTP edge of the appeal service: parse, call the use case, respond."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger

from appeal import bootstrap
from appeal.handlers.bodies import LodgeAppeal, RecordAdmissibility, RecordDecision
from appeal.handlers.views import appeal_view
from appeal.usecases import deciding, lodging, reading
from kernel import clock, coldstart
from kernel.auth import authorized_caller, for_roles
from kernel.documented import answers
from kernel.http import Response, correlation_id, json_response, make_resolver, resolve
from kernel.idempotency_keys import idempotent
from kernel.params import Body, Header, Query

logger = Logger(service="appeal")
app = make_resolver(logger)
# Powertools refuses to document a route's security unless its scheme is declared on the resolver.
BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
StatusFilter = Literal["lodged", "admissible", "inadmissible", "upheld", "dismissed"]


@app.post(
    "/appeals",
    security=BEARER,
    summary="Lodge an appeal against a refusal or a sanction",
    description=(
        "Only the company concerned (employer role). 201 also for a late or unmotivated appeal, which is "
        "at once inadmissible with reasons deadline_passed / not_motivated. 404 for an unknown subject or "
        "another company's; 409 when the subject already has an open or decided appeal; 422 for an "
        "approval or a guidance action. The outcome, later: `upheld` means the company wins (a refusal becomes "
        "a recognition, a measure is annulled), `dismissed` that the decision stands."
    ),
    responses=answers(201, "The appeal (lodged, or at once inadmissible)", "Appeal",
                      problems={404: "No such decision or measure of the caller's company",
                                409: "The subject already has an appeal",
                                422: "The subject cannot be appealed (an approval, a guidance action)"}),
)
@for_roles("employer")
def lodge(
    body: Annotated[LodgeAppeal, Body()],
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key")] = None,
) -> Response[Any]:
    caller = authorized_caller(app)
    ports = bootstrap.ports()

    def create() -> Response[Any]:
        appeal = lodging.lodge_appeal(
            ports, caller, subject_id=body.subject_id, grounds=body.grounds, correlation_id=correlation_id(app)
        )
        logger.info("appeal lodged", extra={"appeal_id": appeal.appeal_id, "status": appeal.status})
        return json_response(201, appeal_view(appeal, clock.today()))

    def authorise() -> None:
        lodging.appealable_subject(ports, caller, body.subject_id)

    return idempotent(ports.keys, key=idempotency_key, caller=caller, action="appeals", body=body.model_dump(),
                      authorise=authorise, create=create)


@app.get(
    "/appeals",
    security=BEARER,
    summary="Appeals: the coordinator's queue, or an employer's own appeals (oldest first)",
    description=(
        "For the `appeals` role every company's appeals, with acknowledgement_due, decision_due and the "
        "overdue flags. For an employer the appeals its own company lodged, in the same shape. Intermediaries "
        "get 403: an appeal is lodged and followed by the company itself (only the appellant and the "
        "`appeals` role may read one). ?status= filters on lodged, admissible, inadmissible, upheld (the "
        "company won: a refusal becomes a recognition, a measure is annulled) or dismissed (the decision stands)."
    ),
    responses=answers(200, "The appeals, oldest first", "Appeal", many=True),
)
@for_roles("employer", "appeals")
def queue(status: Annotated[StatusFilter | None, Query()] = None) -> Response[Any]:
    caller = authorized_caller(app)
    today = clock.today()
    return json_response(200, [appeal_view(a, today) for a in reading.appeals_for(bootstrap.ports(), caller, status)])


@app.get("/appeals/<appeal_id>", security=BEARER, summary="One appeal (the appellant company or the appeals role)",
         description="Another company's appeal is a 404.",
         responses=answers(200, "The appeal", "Appeal"))
@for_roles("employer", "appeals")
def read(appeal_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    appeal = reading.visible_appeal(bootstrap.ports(), caller, appeal_id)
    return json_response(200, appeal_view(appeal, clock.today()))


@app.post(
    "/appeals/<appeal_id>/admissibility",
    security=BEARER,
    summary="Record the admissibility check (200 with the appeal)",
    description="Only while the appeal is lodged (else 409); reasons are required when inadmissible.",
    responses=answers(200, "The appeal, admissible or inadmissible", "Appeal",
                      problems={409: "The appeal is not lodged any more",
                                422: "Reasons missing for an inadmissible appeal"}),
)
@for_roles("appeals")
def admissibility(appeal_id: str, body: Annotated[RecordAdmissibility, Body()]) -> Response[Any]:
    authorized_caller(app)
    appeal = deciding.record_admissibility(
        bootstrap.ports(),
        appeal_id,
        admissible=body.admissible,
        reasons=body.reasons,
        correlation_id=correlation_id(app),
    )
    logger.info("admissibility recorded", extra={"appeal_id": appeal_id, "status": appeal.status})
    return json_response(200, appeal_view(appeal, clock.today()))


@app.post(
    "/appeals/<appeal_id>/decision",
    security=BEARER,
    summary="Record the appeal decision (200 with the appeal)",
    description="Only for an admissible appeal not yet decided (else 409); reasons are required. `upheld`: the "
                "appeal succeeds and the company wins (a refused application is recognised from this date, a "
                "measure is annulled); `dismissed`: the decision or measure stands.",
    responses=answers(200, "The decided appeal", "Appeal",
                      problems={409: "Not admissible, or decided already"}),
)
@for_roles("appeals")
def decision(appeal_id: str, body: Annotated[RecordDecision, Body()]) -> Response[Any]:
    authorized_caller(app)
    appeal = deciding.record_decision(
        bootstrap.ports(), appeal_id, outcome=body.outcome, reasons=body.reasons, correlation_id=correlation_id(app)
    )
    logger.info("appeal decided", extra={"appeal_id": appeal_id, "status": appeal.status})
    return json_response(200, appeal_view(appeal, clock.today()))


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
