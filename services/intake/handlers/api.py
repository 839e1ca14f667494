"""HTTP edge of the intake service: parse, call one use case, respond.

Routes for the employer (its own enterprise) and the intermediary (the enterprises of its
mandates). Responses mask national register numbers; nothing here logs a request body.
"""

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header

from intake import bootstrap
from intake.domain.requests import ChangeApplication, CreateApplication, PostMessage, RegisterDocument, RequestSupport
from intake.handlers.views import application_view, history_view, summary_view
from intake.usecases import applications, documents, submission, support
from kernel.auth import Caller, authorized_caller, for_roles
from kernel.errors import Forbidden
from kernel.http import correlation_id, json_response, make_resolver, resolve
from kernel.idempotency_keys import idempotent

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


@app.post("/applications", security=BEARER, summary="Start an application (a draft)")
@for_roles(*COMPANY_ROLES)
def create_application(
    body: Annotated[CreateApplication, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        return json_response(201, application_view(applications.create_application(bootstrap.ports(), caller, body)))

    return _once(idempotency_key, caller, "applications", body.model_dump(mode="json"),
                 _acts_for(caller, body.enterprise_number), run)


@app.get("/applications", security=BEARER, summary="The caller's applications, newest first")
@for_roles(*COMPANY_ROLES)
def list_applications() -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, [summary_view(a) for a in applications.list_applications(bootstrap.ports(), caller)])


@app.get(
    "/applications/<application_id>",
    security=BEARER,
    summary="One application",
    description=(
        "`status` is the partnership's decision (draft, submitted, in_review, approved, refused, withdrawn) and "
        "stays `refused` after an appeal. `appeal` (once one is lodged against the refusal): `{appeal_id, status "
        "(lodged, admissible, inadmissible, upheld, dismissed), outcome, reasons, lodged_at, decided_at}`; "
        "`upheld` means the company won: the refusal becomes a recognition from the appeal decision date, "
        "named by `recognition_id` once granted. `dismissed` means the refusal stands."
    ),
)
@for_roles(*COMPANY_ROLES)
def get_application(application_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    return json_response(200, application_view(applications.get_application(bootstrap.ports(), caller, application_id)))


@app.patch("/applications/<application_id>", security=BEARER, summary="Change a draft (JSON merge patch)")
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
        "Includes the appeal: appeal_lodged, appeal_admissibility_decided, appeal_decided (outcome) and "
        "recognised_on_appeal (recognition_id)."
    ),
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
)
@for_roles(*COMPANY_ROLES)
def remove_document(application_id: str, document_id: str) -> Response[Any]:
    caller = authorized_caller(app)
    documents.remove_document(bootstrap.ports(), caller, application_id, document_id)
    return Response(status_code=204)


@app.post("/applications/<application_id>/submit", security=BEARER, summary="Submit a draft")
@for_roles(*COMPANY_ROLES)
def submit_application(application_id: str, idempotency_key: IdempotencyKey = None) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        submitted = submission.submit_application(bootstrap.ports(), caller, application_id, correlation_id(app))
        return json_response(202, application_view(submitted))

    return _once(idempotency_key, caller, f"submit|{application_id}", {}, _owns(caller, application_id), run)


@app.post("/applications/<application_id>/withdraw", security=BEARER, summary="Withdraw an application not yet decided")
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
        "`question_id` names the question answered (the application's `questions`, or the `question_asked` "
        "entry of its history). 409 (a state conflict, checked before the body as for every route) when the "
        "application is not under review, has no open question, or the question was answered already; 422 "
        "with a `question_id` field error for a question this application was never asked."
    ),
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


@app.post("/support-requests", security=BEARER, summary="Ask for support")
@for_roles(*COMPANY_ROLES)
def request_support(body: Annotated[RequestSupport, Body()], idempotency_key: IdempotencyKey = None) -> Response[Any]:
    caller = authorized_caller(app)

    def run() -> Response:
        return json_response(201, support.request_support(bootstrap.ports(), caller, body, correlation_id(app)))

    return _once(idempotency_key, caller, "support-requests", body.model_dump(mode="json"),
                 _acts_for(caller, body.enterprise_number), run)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
