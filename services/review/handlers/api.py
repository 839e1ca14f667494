"""HTTP edge of the review service: the partnership's back office (/review/...) and the public
register (/register, /register/verify). Parse, call one use case, respond."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from kernel import coldstart
from kernel.auth import Caller, authorized_caller, for_roles
from kernel.documented import answers
from kernel.errors import BadRequest, FieldError, Forbidden
from kernel.fields import IsoDate
from kernel.http import Response, correlation_id, json_response, make_resolver, resolve
from kernel.idempotency_keys import idempotent
from kernel.identifiers import is_enterprise_number, is_establishment_number, normalise
from kernel.params import Body, Header, Query
from review import bootstrap
from review.handlers.bodies import DecisionBody, MeasureBody, QuestionBody, SiteVisitBody, VisitReportBody
from review.usecases import deciding, measures, recognitions, register, reviewing
from review.usecases.ports import RegisterFilter

logger = Logger(service="review")


app = make_resolver(logger)
# Routes declare security=[{"bearer": []}]; the document needs the scheme they name.

IdempotencyKey = Annotated[str | None, Header(alias="idempotency-key")]
QueueStatus = Literal["in_review", "approved", "refused", "withdrawn", "overdue"]
RecognitionStatus = Literal["active", "scheduled", "expired", "revoked"]


def _partnership(caller: Caller) -> str:
    if not caller.partnership_id:
        raise Forbidden("The token carries no partnership_id.")
    return caller.partnership_id


def _created(
    caller: Caller, action: str, key: str | None, body: BaseModel, authorise: Any, create: Any
) -> Response[Any]:
    return idempotent(
        bootstrap.idempotency_keys(),
        key=key,
        caller=caller,
        action=action,
        body=body.model_dump(mode="json"),
        authorise=authorise,
        create=lambda: json_response(201, create()),
    )


def _own_file(caller: Caller, application_id: str) -> Any:
    """A replay's authorisation: the file must be the caller's partnership's (else 404)."""
    return lambda: reviewing.own_file(bootstrap.ports(), caller, application_id)


def _own_recognition(caller: Caller, recognition_id: str) -> Any:
    return lambda: recognitions.own_recognition(bootstrap.ports(), caller, recognition_id)


# ---------------------------------------------------------------------- the partnership's work
@app.get("/review/queue", security=[{"bearer": []}], summary="The partnership's queue of files",
         description="Files routed to the caller's partnership (its token's `partnership_id`), earliest "
                     "decision_due first; the supervising partnership also sees every overdue file. "
                     "`?status=` filters on the file status, or `overdue`.",
         responses=answers(200, "The files", "QueueItem", many=True,
                           problems={403: "Not a partnership token, or one without partnership_id"}))
@for_roles("partnership")
def get_queue(status: Annotated[QueueStatus | None, Query()] = None) -> Response[Any]:
    """Files routed to the caller's partnership, earliest decision_due first, with days_left and overdue."""
    partnership_id = _partnership(authorized_caller(app))
    return json_response(200, reviewing.queue(bootstrap.ports(), partnership_id, status))


@app.get("/review/applications/<application_id>", security=[{"bearer": []}], summary="One file, in full",
         responses=answers(200, "The file", "ReviewFile"))
@for_roles("partnership")
def get_application(application_id: str) -> Response[Any]:
    """The full file with 5-minute download links (each link handed out is logged). The VPDL reading
    another partnership's overdue file gets its state and dates only (``supervision: true``): no
    mentors, national register numbers, messages or document links."""
    caller = authorized_caller(app)
    _partnership(caller)
    return json_response(200, reviewing.full_file(bootstrap.ports(), caller, application_id))


@app.post("/review/applications/<application_id>/questions", security=[{"bearer": []}],
          summary="Ask the company a question",
          description="The company is told by e-mail and answers with POST /applications/{id}/messages naming "
                      "the `question_id`; where the policy says so the decision term pauses until the answer.",
          responses=answers(201, "The question", "QuestionAsked",
                            problems={409: "The file is decided or withdrawn"}))
@for_roles("partnership")
def ask_question(
    application_id: str, body: Annotated[QuestionBody, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)
    _partnership(caller)
    return _created(caller, f"questions|{application_id}", idempotency_key, body,
                    _own_file(caller, application_id), lambda: reviewing.ask_question(
        bootstrap.ports(), caller, application_id, body.message, correlation_id(app)))


@app.post("/review/applications/<application_id>/site-visits", security=[{"bearer": []}],
          summary="Plan a site visit",
          description="On a day from today on (Brussels); the company is told.",
          responses=answers(201, "The planned visit", "SiteVisitPlanned",
                            problems={409: "The file is decided or withdrawn",
                                      422: "planned_for is in the past"}))
@for_roles("partnership")
def plan_site_visit(
    application_id: str, body: Annotated[SiteVisitBody, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)
    _partnership(caller)
    return _created(caller, f"visits|{application_id}", idempotency_key, body,
                    _own_file(caller, application_id), lambda: reviewing.plan_visit(
        bootstrap.ports(), caller, application_id, body.planned_for, correlation_id(app)))


@app.post("/review/applications/<application_id>/site-visits/<visit_id>/report", security=[{"bearer": []}],
          summary="Report on a site visit",
          responses=answers(201, "The report", "SiteVisitReported",
                            problems={404: "No such file of the partnership's, or no such visit",
                                      409: "The visit was reported already"}))
@for_roles("partnership")
def report_site_visit(
    application_id: str, visit_id: str, body: Annotated[VisitReportBody, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)
    _partnership(caller)
    return _created(caller, f"report|{application_id}|{visit_id}", idempotency_key, body,
                    _own_file(caller, application_id), lambda: reviewing.report_visit(
        bootstrap.ports(), caller, application_id, visit_id, body.findings, body.satisfactory, correlation_id(app)))


@app.post("/review/applications/<application_id>/decision", security=[{"bearer": []}],
          summary="Decide: approve or refuse",
          responses=answers(201, "The decision (and on approval the recognition)", "DecisionTaken",
                            problems={409: "Decided or withdrawn already, or an exclusion runs (approval)",
                                      422: "A refusal without reasons; conditions_not_met with an unknown "
                                           "code or on an approval"}))
@for_roles("partnership")
def decide(
    application_id: str, body: Annotated[DecisionBody, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    """The one decision: 409 when the application is decided or withdrawn, or while an exclusion
    of the enterprise or establishment runs (approval); 422 for a refusal without reasons, or
    conditions_not_met that name an unknown code or come with an approval."""
    caller = authorized_caller(app)
    _partnership(caller)
    return _created(caller, f"decision|{application_id}", idempotency_key, body,
                    _own_file(caller, application_id), lambda: deciding.decide(
        bootstrap.ports(), caller, application_id, body.outcome, body.reasons, correlation_id(app),
        conditions_not_met=list(body.conditions_not_met)))


@app.get("/review/recognitions", security=[{"bearer": []}], summary="The partnership's recognitions",
         description="The recognitions the caller's partnership granted (or an upheld appeal granted on its "
                     "files), oldest first, with mentors (masked) and their bans, a page at a time: "
                     "`{items, next_cursor}` (limit 1-200, default 50); ?status= and ?enterprise_number= filter.",
         responses=answers(200, "A page of recognitions", "RecognitionPage"))
@for_roles("partnership")
def list_recognitions(
    status: Annotated[RecognitionStatus | None, Query()] = None,
    enterprise_number: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=600)] = None,
) -> Response[Any]:
    """The recognitions the caller's partnership granted, by valid_from, one page of at most ``limit``
    (default 50, at most 200): ``{"items", "next_cursor"}`` as ``GET /register``; pass ``next_cursor``
    back as ``cursor`` with the same filters for the next page (null after the last; with a status
    a page may be short). ``enterprise_number``: that enterprise's only. National register numbers masked."""
    partnership_id = _partnership(authorized_caller(app))
    enterprise = _identifier("enterprise_number", enterprise_number, is_enterprise_number)
    return json_response(200, recognitions.listing(bootstrap.ports(), partnership_id, status=status,
                                                   enterprise_number=enterprise, limit=limit, cursor=cursor))


@app.get("/review/recognitions/<recognition_id>", security=[{"bearer": []}], summary="One recognition",
         responses=answers(200, "The recognition, with its mentors (masked) and their bans", "Recognition"))
@for_roles("partnership")
def get_recognition(recognition_id: str) -> Response[Any]:
    """One recognition the caller's partnership granted (404 for any other)."""
    caller = authorized_caller(app)
    _partnership(caller)
    return json_response(200, recognitions.one(bootstrap.ports(), caller, recognition_id))


@app.post("/review/recognitions/<recognition_id>/measures", security=[{"bearer": []}],
          summary="Impose a measure on a recognition",
          responses=answers(201, "The measure", "Measure",
                            problems={409: "The recognition is revoked or expired",
                                      422: "A field the measure type needs is missing or does not apply"}))
@for_roles("partnership")
def impose_measure(
    recognition_id: str, body: Annotated[MeasureBody, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    """guidance {plan, due_date} · mentor_ban {mentor_index | national_register_number, trainings?} ·
    revocation {effective_on?} · exclusion {scope, until? (null: for good)}."""
    caller = authorized_caller(app)
    _partnership(caller)
    given = body.model_dump(exclude={"type", "reason"}, exclude_unset=True)
    command = measures.ImposeMeasure(type=body.type, reason=body.reason, given=given)
    return _created(caller, f"measure|{recognition_id}", idempotency_key, body,
                    _own_recognition(caller, recognition_id), lambda: measures.impose(
        bootstrap.ports(), caller, recognition_id, command, correlation_id(app)))


@app.get("/review/support-requests", security=[{"bearer": []}], summary="Support requests for the partnership",
         description="Companies' requests for support, routed by joint committee; oldest first.",
         responses=answers(200, "The requests", "SupportRequest", many=True))
@for_roles("partnership")
def list_support_requests() -> Response[Any]:
    partnership_id = _partnership(authorized_caller(app))
    return json_response(200, reviewing.support_requests(bootstrap.ports(), partnership_id))


# ---------------------------------------------------------------------- public register
def _identifier(name: str, raw: str | None, valid: Any) -> str | None:
    """Normalised identifier. Raises BadRequest when it is not a valid number."""
    if raw is None:
        return None
    value = normalise(raw)
    if not valid(value):
        raise BadRequest(f"{name} is not a valid number.", [FieldError(name, "invalid_format", "not a valid number")])
    return value


@app.get("/register", summary="The public register of recognitions (paged)",
         responses=answers(200, "One page", "RegisterPage",
                           problems={400: "An invalid enterprise number, postal code, limit or cursor"}))
def get_register(
    training_code: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    postal_code: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    enterprise_number: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=600)] = None,
) -> Response[Any]:
    """Recognitions active today, public fields only (never mentors or documents), one page of at most
    ``limit`` (default 50, at most 200): ``{"items", "next_cursor"}``; pass ``next_cursor`` back as
    ``cursor``, with the same filters, for the next page (null after the last; a page may be short).
    Ordered by enterprise, establishment and training; with a training filter by postal code first."""
    enterprise = _identifier("enterprise_number", enterprise_number, is_enterprise_number)
    where = RegisterFilter(training_code=training_code, postal_code=postal_code, enterprise_number=enterprise)
    return json_response(200, register.register(bootstrap.register_reader(), where=where, limit=limit,
                                                            cursor=cursor))


@app.get("/register/verify", summary="Is this establishment recognised for this training?",
         responses=answers(200, "The answer, one shape whether found or not", "Verification",
                           problems={400: "A missing or invalid identifier or date"}))
def verify_recognition(
    enterprise_number: Annotated[str, Query(max_length=20)],
    establishment_number: Annotated[str, Query(max_length=20)],
    training_code: Annotated[str, Query(min_length=1, max_length=100)],
    on: Annotated[IsoDate | None, Query()] = None,
) -> Response[Any]:
    """Is this establishment recognised for this training (today, or on ``on``)? One shape either way:
    the identifiers and the day echoed; no match: recognized false, status "none", the recognition's
    fields null."""
    enterprise = _identifier("enterprise_number", enterprise_number, is_enterprise_number)
    establishment = _identifier("establishment_number", establishment_number, is_establishment_number)
    assert enterprise is not None and establishment is not None
    return json_response(200, register.verify(bootstrap.register_reader(), enterprise_number=enterprise,
                                                          establishment_number=establishment,
                                                          training_code=training_code, on=on))


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
