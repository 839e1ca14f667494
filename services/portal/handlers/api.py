"""HTTP edge of the portal: the HTML pages at / and /portal/*. Each route reads the request, calls
one use case (which calls the JSON API with the user's token) and renders a template.

Every form works without JavaScript (except the upload, which goes from the browser to S3);
htmx only swaps parts of a page. Every POST carries the session's CSRF token and, where it
creates something, an Idempotency-Key made when the form was rendered, so a double click
creates nothing twice.
"""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from kernel import coldstart
from portal import bootstrap
from portal.domain import dates, steps
from portal.domain.session import LOGIN_SECONDS, home_path, safe_return_path
from portal.domain.texts import LANGUAGES
from portal.handlers import backoffice, forms
from portal.handlers.site import app, company_user, current, error_page, logger, page, signed_in
from portal.handlers.views import asset, today
from portal.handlers.web import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    CsrfFailed,
    cookie,
    expired_cookie,
    redirect,
    security_headers,
)
from portal.usecases import applications, documents, notices, register, sessions
from portal.usecases.ports import ApiProblem, LoginFailed

# The partnerships' and the appeal committee's pages live in their own module, on the same resolver.
ROUTE_MODULES = (backoffice,)


# ---------------------------------------------------------------------- site
@app.get("/")
def home() -> Response:
    return page("home.html")


@app.get("/portal/static/<name>")
def static(name: str) -> Response:
    found = asset(name)
    if found is None:
        return error_page(404, "error.404")
    content, content_type, _ = found
    headers = security_headers(None, cache=True)
    headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return Response(status_code=200, content_type=content_type, body=content, headers=headers)


@app.get("/portal/language")
def switch_language() -> Response:
    req = current()
    lang = req.query.get("to", "")
    target = safe_return_path(req.query.get("next") or "/")
    if lang not in LANGUAGES:
        return redirect(req, target)
    return redirect(req, target, [cookie(req, LANGUAGE_COOKIE, lang, 365 * 86400, http_only=False)])


@app.get("/portal/login")
def login() -> Response:
    req = current()
    value, url = sessions.start_login(bootstrap.ports(), req.site, req.query.get("next"))
    return redirect(req, url, [cookie(req, LOGIN_COOKIE, value, LOGIN_SECONDS)])


@app.get("/portal/auth/callback")
def login_callback() -> Response:
    req = current()
    if req.query.get("error"):
        raise LoginFailed(f"the issuer answered {req.query['error']}")
    value, session, return_to = sessions.finish_login(bootstrap.ports(), req.site, req.cookies.get(LOGIN_COOKIE),
                                                      req.query.get("code"), req.query.get("state"))
    req.replace_session(session)
    lifetime = int(session.expires_at - session.created_at)
    gone = expired_cookie(req, LOGIN_COOKIE)
    if return_to == safe_return_path(None):  # no page asked for: the role's own start page
        return_to = home_path(session.user)
    if session.user.role == "intermediary" and session.acting_for is None:
        return_to = "/portal/enterprise?next=" + forms.quote(return_to)
    return redirect(req, return_to, [cookie(req, SESSION_COOKIE, value, lifetime), gone])


@app.post("/portal/logout")
def logout() -> Response:
    req, session = signed_in()
    req.checked_form()
    sessions.end_session(bootstrap.ports(), session)
    return redirect(req, "/?msg=signed_out", [expired_cookie(req, SESSION_COOKIE)])


@app.get("/portal/enterprise")
def choose_enterprise() -> Response:
    req, _ = company_user(need_enterprise=False)
    return page("enterprise.html", next=safe_return_path(req.query.get("next")))


@app.post("/portal/enterprise")
def chosen_enterprise() -> Response:
    req, session = company_user(need_enterprise=False)
    form = req.checked_form()
    try:
        sessions.act_for(bootstrap.ports(), session, form.get("enterprise_number", ""))
    except ValueError:
        return page("enterprise.html", 422, next=safe_return_path(form.get("next")), error=True)
    return redirect(req, safe_return_path(form.get("next")))


# ---------------------------------------------------------------------- applications
@app.get("/portal/applications")
def my_applications() -> Response:
    req, session = company_user()
    enterprise = session.acting_for
    found = applications.my_applications(bootstrap.ports(), req.viewer, enterprise)
    renewals = (
        applications.recognitions_to_renew(bootstrap.ports(), req.viewer, enterprise, today()) if enterprise else []
    )
    return page("applications.html", applications=found, renewals=renewals, window=dates.renewal_window_days())


@app.get("/portal/trainings")
def training_options() -> Response:
    req = current()
    return page(
        "partials/training_select.html", **forms.training_choice(req.query.get("q"), req.query.get("training_code"))
    )


@app.get("/portal/applications/new")
def new_application() -> Response:
    req, _ = company_user()
    values = {
        k: v for k, v in req.query.items() if k in ("training_code", "establishment_number", "renews_recognition_id")
    }
    if values.get("renews_recognition_id"):
        values["kind"] = "renewal"
    return page("step.html", **forms.step_context(None, "key", values=values, q=req.query.get("q")))


@app.post("/portal/applications/new")
def create_application() -> Response:
    req, session = company_user()
    form = req.checked_form()
    if form.get("action") == "search":
        return page("step.html", **forms.step_context(None, "key", values=form, q=form.get("q")))
    body = steps.key_body(form, session.acting_for)
    try:
        created = applications.start_draft(bootstrap.ports(), req.viewer, body, forms.key_of(form))
    except ApiProblem as problem:
        if problem.status not in (403, 422):
            raise
        return page("step.html", 422, **forms.step_context(None, "key", values=form, problem=problem, q=form.get("q")))
    return redirect(req, f"/portal/applications/{created['id']}/edit/company?msg=saved")


@app.get("/portal/applications/<application_id>/edit/<step>")
def edit_step(application_id: str, step: str) -> Response:
    req, _ = company_user()
    if step not in steps.STEPS:
        return error_page(404, "error.404")
    application = applications.get_application(bootstrap.ports(), req.viewer, application_id)
    if application.get("status") != "draft":
        return redirect(req, f"/portal/applications/{application_id}")
    return page("step.html", **forms.step_context(application, step, q=req.query.get("q"), msg=req.query.get("msg")))


@app.post("/portal/applications/<application_id>/edit/<step>")
def save_step(application_id: str, step: str) -> Response:
    req, _ = company_user()
    form = req.checked_form()
    if step not in steps.STEPS or step in ("documents", "review"):
        return error_page(404, "error.404")
    application = applications.get_application(bootstrap.ports(), req.viewer, application_id)
    if form.get("action") == "search":
        return page("step.html", **forms.step_context(application, step, values=form, q=form.get("q")))
    patch, local_problems = forms.patch_for(step, form, application)
    if local_problems is not None:
        return page("step.html", 422, **forms.step_context(application, step, values=form, problem=local_problems))
    try:
        applications.save_step(bootstrap.ports(), req.viewer, application_id, patch)
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        return page("step.html", 422, **forms.step_context(application, step, values=form, problem=problem))
    stay = step == "mentors" and (form.get("action") == "add" or form.get("remove") is not None)
    target = step if stay else steps.next_step(step)
    return redirect(req, f"/portal/applications/{application_id}/edit/{target}?msg=saved")


@app.post("/portal/applications/<application_id>/documents")
def register_document(application_id: str) -> Response:
    """Called by portal.js (JSON): register the document, answer the presigned upload as the API gave it."""
    req, session = company_user()
    data = req.json_body()
    if not forms.csrf_header_ok(req, session):
        raise CsrfFailed("missing or wrong CSRF header")
    try:
        ticket = documents.register_document(
            bootstrap.ports(), req.viewer, application_id, doc_type=str(data.get("type")),
            filename=str(data.get("filename") or "document")[:200], content_type=str(data.get("content_type")),
            size_bytes=int(data.get("size_bytes") or 0), mentor_index=forms.optional_int(data.get("mentor_index")),
            idempotency_key=str(data.get("idempotency_key") or forms.new_key()))
    except ApiProblem as problem:
        codes = [e.get("code") for e in problem.errors] or [problem.title]
        return forms.json_response(problem.status, {"error": forms.upload_error(req.lang, problem.status, codes)})
    return forms.json_response(201, ticket)


@app.get("/portal/applications/<application_id>/documents")
def document_list(application_id: str) -> Response:
    req, _ = company_user()
    application = applications.get_application(bootstrap.ports(), req.viewer, application_id)
    return page("partials/documents.html", **forms.step_context(application, "documents"))


@app.post("/portal/applications/<application_id>/documents/<document_id>/delete")
def remove_document(application_id: str, document_id: str) -> Response:
    req, _ = company_user()
    req.checked_form()
    documents.remove_document(bootstrap.ports(), req.viewer, application_id, document_id)
    return redirect(req, f"/portal/applications/{application_id}/edit/documents")


@app.post("/portal/applications/<application_id>/submit")
def submit_application(application_id: str) -> Response:
    req, _ = company_user()
    form = req.checked_form()
    try:
        applications.submit(bootstrap.ports(), req.viewer, application_id, forms.key_of(form))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        application = applications.get_application(bootstrap.ports(), req.viewer, application_id)
        return page("step.html", 422, **forms.step_context(application, "review", problem=problem, submitted=True))
    return redirect(req, f"/portal/applications/{application_id}?msg=submitted")


@app.get("/portal/applications/<application_id>")
def application_file(application_id: str) -> Response:
    req, _ = company_user()
    ports = bootstrap.ports()
    application = applications.get_application(ports, req.viewer, application_id)
    if application.get("status") == "draft":
        return redirect(req, f"/portal/applications/{application_id}/edit/review")
    history = applications.timeline(ports, req.viewer, application_id)
    related = {
        application_id,
        (application.get("decision") or {}).get("decision_id"),
        application.get("recognition_id"),
    }
    file_notices = [n for n in notices.my_notices(ports, req.viewer) if n.get("subject_id") in related]
    return page("application.html", application=application, history=history, notices=file_notices,
                msg=req.query.get("msg"))


@app.post("/portal/applications/<application_id>/answers")
def answer_question(application_id: str) -> Response:
    req, _ = company_user()
    form = req.checked_form()
    message = (form.get("message") or "").strip()
    if not message:
        application = applications.get_application(bootstrap.ports(), req.viewer, application_id)
        history = applications.timeline(bootstrap.ports(), req.viewer, application_id)
        return page("application.html", 422, application=application, history=history, notices=[],
                    answer_error={"question_id": form.get("question_id"), "code": "required"})
    applications.answer_question(bootstrap.ports(), req.viewer, application_id, form.get("question_id", ""), message,
                                 forms.key_of(form))
    return redirect(req, f"/portal/applications/{application_id}?msg=answered")


@app.post("/portal/applications/<application_id>/withdraw")
def withdraw_application(application_id: str) -> Response:
    req, _ = company_user()
    form = req.checked_form()
    applications.withdraw(bootstrap.ports(), req.viewer, application_id, forms.key_of(form))
    return redirect(req, f"/portal/applications/{application_id}?msg=withdrawn")


# ---------------------------------------------------------------------- notices and appeals
@app.get("/portal/notices")
def my_notices() -> Response:
    req, session = company_user(need_enterprise=False)
    found = notices.my_notices(bootstrap.ports(), req.viewer)
    if session.acting_for:
        found = [n for n in found if n.get("enterprise_number") in (None, session.acting_for)]
    return page("notices.html", notices=found)


@app.get("/portal/notices/<notice_id>/pdf")
def notice_pdf(notice_id: str) -> Response:
    req, _ = signed_in()
    return redirect(req, notices.notice_pdf_url(bootstrap.ports(), req.viewer, notice_id))


@app.get("/portal/appeals")
def my_appeals() -> Response:
    req, session = company_user(need_enterprise=False)
    found = notices.my_appeals(bootstrap.ports(), req.viewer) if session.user.role == "employer" else []
    return page("appeals.html", appeals=found)


@app.get("/portal/appeals/new")
def new_appeal() -> Response:
    req, _ = company_user()
    subject_id = req.query.get("subject_id", "")
    notice = forms.notice_for(notices.my_notices(bootstrap.ports(), req.viewer, subject_id) if subject_id else [])
    return page("appeal_new.html", subject_id=subject_id, notice=notice, values={})


@app.post("/portal/appeals/new")
def lodge_appeal() -> Response:
    req, _ = company_user()
    form = req.checked_form()
    subject_id, grounds = form.get("subject_id", ""), (form.get("grounds") or "").strip()
    try:
        if not grounds:
            raise ApiProblem(422, {"errors": [{"field": "grounds", "code": "required", "message": "required"}]})
        appeal = notices.lodge_appeal(bootstrap.ports(), req.viewer, subject_id, grounds, forms.key_of(form))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        notice = forms.notice_for(notices.my_notices(bootstrap.ports(), req.viewer, subject_id))
        return page("appeal_new.html", 422, subject_id=subject_id, notice=notice, values=form,
                    errors=forms.errors_by_field(problem))
    return redirect(req, f"/portal/appeals/{appeal['id']}?msg=lodged")


@app.get("/portal/appeals/<appeal_id>")
def appeal_file(appeal_id: str) -> Response:
    req, _ = company_user(need_enterprise=False)
    return page("appeal.html", appeal=notices.get_appeal(bootstrap.ports(), req.viewer, appeal_id),
                msg=req.query.get("msg"))


# ---------------------------------------------------------------------- support
@app.get("/portal/support")
def support() -> Response:
    req, _ = company_user()
    return page("support.html", values={}, errors={}, msg=req.query.get("msg"))


@app.post("/portal/support")
def request_support() -> Response:
    req, session = company_user()
    form = req.checked_form()
    try:
        applications.request_support(bootstrap.ports(), req.viewer, forms.support_body(form, session.acting_for),
                                     forms.key_of(form))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        return page("support.html", 422, values=form, errors=forms.errors_by_field(problem), msg=None)
    return redirect(req, "/portal/support?msg=sent")


# ---------------------------------------------------------------------- public: register and verify
@app.get("/portal/register")
def register_page() -> Response:
    req = current()
    filters = forms.register_filters(req.query)
    result, errors = None, {}
    if any(filters.values()) or req.query.get("search"):
        try:
            result = register.search_register(bootstrap.ports(), req.public, cursor=req.query.get("cursor"), **filters)
        except ApiProblem as problem:
            if problem.status not in (400, 422):
                raise
            errors = forms.errors_by_field(problem)
    template = "partials/register_results.html" if req.is_htmx else "register.html"
    return page(template, filters=filters, result=result, errors=errors, trainings=forms.all_trainings())


@app.get("/portal/verify")
def verify_page() -> Response:
    req = current()
    values = forms.verify_values(req.query)
    answer, errors = None, forms.verify_missing(values) if req.query.get("check") else {}
    if req.query.get("check") and not errors:
        try:
            answer = register.verify_workplace(bootstrap.ports(), req.public, **values)
        except ApiProblem as problem:
            if problem.status not in (400, 422):
                raise
            errors = forms.errors_by_field(problem)
    return page("verify.html", 422 if errors else 200, values=values, answer=answer, errors=errors,
                trainings=forms.all_trainings())


@app.get("/portal/mailbox")
def mailbox() -> Response:
    req = current()
    mails = register.local_mailbox(bootstrap.ports(), req.public)
    if mails is None:
        return error_page(404, "mailbox.unavailable")
    return page("mailbox.html", mails=mails)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: Any) -> dict:
    return app.resolve(event, context)
