"""HTTP edge of the intake service: parse, call one use case, respond.

Routes for the employer (its own enterprise) and the intermediary (the enterprises of its
mandates). Responses mask national register numbers; nothing here logs a request body.
"""

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools import Logger

from intake import bootstrap
from intake.domain.requests import ChangeApplication, CreateApplication, PostMessage, RegisterDocument, RequestSupport
from intake.handlers.views import application_view, history_view, summary_view
from intake.usecases import applications, documents, submission, support
from kernel import coldstart
from kernel.auth import Caller, authorized_caller, for_roles
from kernel.documented import answers
from kernel.errors import Forbidden
from kernel.http import Response, correlation_id, json_response, make_resolver, resolve
from kernel.idempotency_keys import idempotent
from kernel.params import Body, Header

logger = Logger(service="intake")
app = make_resolver(logger)
# Powertools documents a route's security only when its scheme is declared on the resolver.

COMPANY_ROLES = ("employer", "intermediary")
BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
IdempotencyKey = Annotated[str | None, Header(alias="idempotency-key")]


def _once(key: str | None, caller: Caller, action: str, body: Any, authorise: Callable[[], object],
          create: Callable[[], Response]) -> Response:
    return idempotent(bootstrap.idempotency_keys(), key=key, caller=caller, action=action, body=body,
                      authorise=authorise, create=create)


def _acts_for(caller: Caller, enterprise_number: str) -> Callable[[], None]:
    """A replay's authorisation for a route that names the enterprise in its body."""

    def check() -> None:
        if not caller.may_act_for(enterprise_number):
            raise Forbidden("You may not act for this enterprise.")

    return check


def _owns(caller: Caller, application_id: str) -> Callable[[], object]:
    """A replay's authorisation for a route on an application: it must be the caller's (else 404)."""
    return lambda: applications.get_application(bootstrap.ports(), caller, application_id)


@app.post("/applications", security=BEARER, summary="Start an application (a draft)",
          description="An employer files for its own enterprise (`enterprise_number` of its token), an "
                      "intermediary for an enterprise of its `mandates`. Only the identifiers and `kind` are "
                      "needed now; the rest may follow by PATCH until submission.",
          responses=answers(201, "The new draft", "Application",
                            problems={403: "The caller may not act for this enterprise",
                                      409: "The Idempotency-Key is still in use by a running request",
                                      422: "A field or rule is violated (unknown training, invalid number, ...)"}))
@for_roles(*COMPANY_ROLES)
def create_application(
    body: Annotated[CreateApplication, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        return json_response(201, application_view(applications.create_application(bootstrap.ports(), caller, body)))

    return _once(idempotency_key, caller, "applications", body.model_dump(mode="json"),
                 _acts_for(caller, body.enterprise_number), run)


@app.get("/applications", security=BEARER, summary="The caller's applications, newest first",
         description="An employer's own enterprise's, an intermediary's those of its mandates.",
         responses=answers(200, "The applications, newest first", "ApplicationSummary", many=True))
@for_roles(*COMPANY_ROLES)
def list_applications() -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, [summary_view(a) for a in applications.list_applications(bootstrap.ports(), caller)])


@app.get(
    "/applications/<application_id>",
    security=BEARER,
    summary="One application",
    description=(
        "National register numbers are masked; the decision and recognition once decided. "
        "`status` is the partnership's decision (draft, submitted, in_review, approved, refused, withdrawn) and "
        "stays `refused` after an appeal. `appeal` (once one is lodged against the refusal): `{appeal_id, status "
        "(lodged, admissible, inadmissible, upheld, dismissed), outcome, reasons, lodged_at, decided_at}`; "
        "`upheld` means the company won: the refusal becomes a recognition from the appeal decision date, "
        "named by `recognition_id` once granted. `dismissed` means the refusal stands."
    ),
    responses=answers(200, "The application", "Application"),
)
@for_roles(*COMPANY_ROLES)
def get_application(application_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, application_view(applications.get_application(bootstrap.ports(), caller, application_id)))


@app.patch("/applications/<application_id>", security=BEARER, summary="Change a draft (JSON merge patch)",
           description="RFC 7396: a member set to null clears it; `mentors` is replaced as a whole.",
           responses=answers(200, "The changed draft", "Application",
                             problems={409: "Not a draft any more (submitted)",
                                       422: "A field or rule is violated, or a required field cleared"}))
@for_roles(*COMPANY_ROLES)
def change_application(application_id: str, body: Annotated[ChangeApplication, Body()]) -> Response[Any]:
    caller = authorized_caller(app)
    changed = applications.change_application(bootstrap.ports(), caller, application_id, body)
    return json_response(200, application_view(changed))


@app.get(
    "/applications/<application_id>/history",
    security=BEARER,
    summary="Timeline, oldest first",
    description=(
        "Every step of the application: created, changed, submitted, routed, questions and answers, site "
        "visits, the decision and what followed it, the appeal included: appeal_lodged, "
        "appeal_admissibility_decided, appeal_decided (outcome) and recognised_on_appeal (recognition_id)."
    ),
    responses=answers(200, "The timeline, oldest first", "HistoryEntry", many=True),
)
@for_roles(*COMPANY_ROLES)
def application_history(application_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, history_view(applications.get_application(bootstrap.ports(), caller, application_id)))


_UPLOAD_RULES = (
    "PUT the bytes to `upload_url` with exactly the `upload_headers` (Content-Type, Content-Length and "
    "`If-None-Match: *` are signed into the URL), within 15 minutes, no bearer token. The URL writes its "
    "document once: another type or size is refused (403), a second PUT too (412), and so is any PUT once "
    "the document was removed. To replace a file, remove the document and register it again."
)


@app.post(
    "/applications/<application_id>/documents",
    security=BEARER,
    summary="Register a document and get its upload URL",
    description=_UPLOAD_RULES,
    responses=answers(201, "The document and its presigned upload URL", "DocumentUpload",
                      problems={409: "Not a draft, or too many documents",
                                422: "Unknown type or mentor, a filename, type or size not allowed"}),
)
@for_roles(*COMPANY_ROLES)
def register_document(
    application_id: str, body: Annotated[RegisterDocument, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        return json_response(201, documents.register_document(bootstrap.ports(), caller, application_id, body))

    return _once(idempotency_key, caller, f"documents|{application_id}", body.model_dump(mode="json"),
                 _owns(caller, application_id), run)


@app.delete(
    "/applications/<application_id>/documents/<document_id>", security=BEARER,
    summary="Remove a document from a draft (a wrong file, an expired upload URL)",
    description="Only while the application is a draft; the bytes are deleted with it.",
    responses=answers(204, "Removed", problems={409: "Not a draft any more"}),
)
@for_roles(*COMPANY_ROLES)
def remove_document(application_id: str, document_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    documents.remove_document(bootstrap.ports(), caller, application_id, document_id)
    return Response(status_code=204)


@app.post("/applications/<application_id>/submit", security=BEARER, summary="Submit a draft",
          description="Checks the draft is complete and every document uploaded, then files it: 202, since "
                      "routing to the competent partnership follows on the bus (status submitted, then "
                      "in_review with `partnership_id`).",
          responses=answers(202, "Accepted: the submitted application", "Application",
                            problems={409: "Not a draft (already submitted, withdrawn)",
                                      422: "Incomplete: every missing field or upload is listed in errors[]"}))
@for_roles(*COMPANY_ROLES)
def submit_application(application_id: str, idempotency_key: IdempotencyKey = None) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        submitted = submission.submit_application(bootstrap.ports(), caller, application_id, correlation_id(app))
        return json_response(202, application_view(submitted))

    return _once(idempotency_key, caller, f"submit|{application_id}", {}, _owns(caller, application_id), run)


@app.post("/applications/<application_id>/withdraw", security=BEARER,
          summary="Withdraw an application not yet decided",
          description="A draft, submitted or in-review application; the partnership is told.",
          responses=answers(200, "The withdrawn application", "Application",
                            problems={409: "Decided or withdrawn already"}))
@for_roles(*COMPANY_ROLES)
def withdraw_application(application_id: str, idempotency_key: IdempotencyKey = None) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        withdrawn = applications.withdraw_application(bootstrap.ports(), caller, application_id, correlation_id(app))
        return json_response(200, application_view(withdrawn))

    return _once(idempotency_key, caller, f"withdraw|{application_id}", {}, _owns(caller, application_id), run)


@app.post(
    "/applications/<application_id>/messages",
    security=BEARER,
    summary="Answer one of the partnership's open questions",
    description=(
        "The answer resumes a paused decision term. "
        "`question_id` names the question answered (the application's `questions`, or the `question_asked` "
        "entry of its history). 409 (a state conflict, checked before the body as for every route) when the "
        "application is not under review, has no open question, or the question was answered already; 422 "
        "with a `question_id` field error for a question this application was never asked."
    ),
    responses=answers(201, "The answer", "AnswerPosted",
                      problems={409: "No open question, the question was answered already, or the application "
                                     "is not in review", 422: "question_id names no question of this application"}),
)
@for_roles(*COMPANY_ROLES)
def post_message(
    application_id: str, body: Annotated[PostMessage, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        answer = applications.answer_question(bootstrap.ports(), caller, application_id, body.question_id,
                                              body.message, correlation_id(app))
        return json_response(201, answer)

    return _once(idempotency_key, caller, f"messages|{application_id}", body.model_dump(mode="json"),
                 _owns(caller, application_id), run)


@app.post("/support-requests", security=BEARER, summary="Ask for support",
          description="The partnership competent for the enterprise's joint committee receives it.",
          responses=answers(201, "The request, received", "SupportRequestReceived",
                            problems={403: "The caller may not act for this enterprise"}))
@for_roles(*COMPANY_ROLES)
def request_support(body: Annotated[RequestSupport, Body()], idempotency_key: IdempotencyKey = None) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        return json_response(201, support.request_support(bootstrap.ports(), caller, body, correlation_id(app)))

    return _once(idempotency_key, caller, "support-requests", body.model_dump(mode="json"),
                 _acts_for(caller, body.enterprise_number), run)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
