"""The back office in the browser (issue 15): the partnership's work queue, its files, decisions,
recognitions, measures and support requests; the VPDL's supervision of overdue files; and the
appeal committee's queue, admissibility and ruling.

Same resolver, session, login and look as the company's pages (site.py). Every action is one
call of the JSON API with the user's own token and the Idempotency-Key the form was rendered
with; a decision and a measure are first shown with the outcome the rules give them, and sent
only once the user confirms. A conflict (409) or a rule violation (422) comes back as a message
on the same page, never as an error page.
"""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from portal import bootstrap
from portal.domain import backoffice as rules
from portal.handlers import forms
from portal.handlers.site import app, error_page, page, staff_user
from portal.handlers.views import today
from portal.handlers.web import Request, redirect
from portal.usecases import committee, review
from portal.usecases.ports import ApiProblem

PARTNERSHIP, APPEALS = "partnership", "appeals"


def _problem(problems: list[tuple[str, str]]) -> ApiProblem:
    return ApiProblem(422, {"errors": [{"field": f, "code": c, "message": c} for f, c in problems]})


def _shown(problem: ApiProblem) -> ApiProblem:
    """A problem the page shows as a message: 409 and 422 (and a 400 the API gave a form); others
    (401, 403, 404) stay the error pages they are."""
    if problem.status not in (400, 409, 422):
        raise problem
    return problem


# ====================================================================== the partnership
@app.get("/portal/review")
def work_queue() -> Response:
    req, session = staff_user(PARTNERSHIP)
    partnership_id = session.user.partnership_id or ""
    files = review.queue(bootstrap.ports(), req.viewer)
    queue = rules.work_queue(files, partnership_id, status=req.query.get("status") or None,
                             training=req.query.get("training") or None)
    supervised = rules.supervision(files, partnership_id) if rules.is_supervisor(partnership_id) else []
    return page("review/queue.html", queue=queue, supervised_count=sum(1 for f in supervised if not f["own"]),
                supervisor=rules.is_supervisor(partnership_id), filters=rules.QUEUE_FILTERS)


@app.get("/portal/review/supervision")
def supervision() -> Response:
    req, session = staff_user(PARTNERSHIP)
    partnership_id = session.user.partnership_id or ""
    if not rules.is_supervisor(partnership_id):
        return error_page(403, "error.403")
    files = rules.supervision(review.overdue(bootstrap.ports(), req.viewer), partnership_id)
    return page("review/supervision.html", files=files)


def _file_page(req: Request, application_id: str, status: int = 200, *, file: dict[str, Any] | None = None,
               **context: Any) -> Response:
    file = file if file is not None else review.review_file(bootstrap.ports(), req.viewer, application_id)
    own = file.get("partnership_id") == (req.session.user.partnership_id if req.session else None)
    if not own:  # the VPDL supervising another partnership's overdue file: dates and state only
        return page("review/supervised_file.html", status,
                    file={k: file.get(k) for k in rules.SUPERVISION_FIELDS})
    problem = context.pop("problem", None)
    return page(
        "review/file.html",
        status,
        file=file,
        application=file.get("application") or {},
        timeline=rules.file_timeline(file),
        conversation=rules.conversation(file),
        problem=problem,
        errors=forms.errors_by_field(problem),
        values=context.pop("values", {}),
        failed=context.pop("failed", None),
        msg=req.query.get("msg"),
        condition_codes=rules.CONDITION_CODES,
        **context,
    )


@app.get("/portal/review/applications/<application_id>")
def review_file(application_id: str) -> Response:
    req, session = staff_user(PARTNERSHIP)
    if rules.is_supervisor(session.user.partnership_id):
        # The supervisor's own files open in full; another partnership's overdue file opens from the
        # queue's dates and state, so no download link is made (or logged) for a file it only supervises.
        theirs = next(
            (
                f
                for f in review.overdue(bootstrap.ports(), req.viewer)
                if f.get("application_id") == application_id and f.get("partnership_id") != session.user.partnership_id
            ),
            None,
        )
        if theirs is not None:
            return page("review/supervised_file.html", file={k: theirs.get(k) for k in rules.SUPERVISION_FIELDS})
    return _file_page(req, application_id)


@app.get("/portal/review/applications/<application_id>/documents/<document_id>")
def open_document(application_id: str, document_id: str) -> Response:
    req, session = staff_user(PARTNERSHIP)
    return redirect(
        req,
        review.download_url(bootstrap.ports(), req.viewer, application_id, document_id, session.user.partnership_id),
    )


@app.post("/portal/review/applications/<application_id>/questions")
def ask_question(application_id: str) -> Response:
    req, _ = staff_user(PARTNERSHIP)
    form = req.checked_form()
    message = (form.get("message") or "").strip()
    try:
        if not message:
            raise _problem([("message", "required")])
        review.ask_question(bootstrap.ports(), req.viewer, application_id, message, forms.key_of(form))
    except ApiProblem as problem:
        return _file_page(req, application_id, _shown(problem).status, problem=problem, values=form, failed="question")
    return redirect(req, f"/portal/review/applications/{application_id}?msg=asked#questions")


@app.post("/portal/review/applications/<application_id>/visits")
def plan_visit(application_id: str) -> Response:
    req, _ = staff_user(PARTNERSHIP)
    form = req.checked_form()
    planned_for = (form.get("planned_for") or "").strip()
    try:
        if not planned_for:
            raise _problem([("planned_for", "required")])
        review.plan_visit(bootstrap.ports(), req.viewer, application_id, planned_for, forms.key_of(form))
    except ApiProblem as problem:
        return _file_page(req, application_id, _shown(problem).status, problem=problem, values=form, failed="visit")
    return redirect(req, f"/portal/review/applications/{application_id}?msg=visit_planned#visits")


@app.post("/portal/review/applications/<application_id>/visits/<visit_id>/report")
def report_visit(application_id: str, visit_id: str) -> Response:
    req, _ = staff_user(PARTNERSHIP)
    form = req.checked_form()
    findings, satisfactory = (form.get("findings") or "").strip(), form.get("satisfactory")
    try:
        missing = [(f"report.{visit_id}.findings", "required")] if not findings else []
        if satisfactory not in ("yes", "no"):
            missing.append((f"report.{visit_id}.satisfactory", "required"))
        if missing:
            raise _problem(missing)
        review.report_visit(
            bootstrap.ports(), req.viewer, application_id, visit_id, findings, satisfactory == "yes", forms.key_of(form)
        )
    except ApiProblem as problem:
        for error in problem.errors:  # each unreported visit has its own form: tie the error to this one
            if not str(error.get("field", "")).startswith("report."):
                error["field"] = f"report.{visit_id}.{error.get('field')}"
        return _file_page(
            req, application_id, _shown(problem).status, problem=problem, values=form, failed=f"report.{visit_id}"
        )
    return redirect(req, f"/portal/review/applications/{application_id}?msg=visit_reported#visits")


@app.post("/portal/review/applications/<application_id>/decision")
def decide(application_id: str) -> Response:
    """action=preview shows what the decision will be (validity or appeal deadline); action=confirm
    takes it, with the key made when the preview was shown; action=change goes back to the form."""
    req, _ = staff_user(PARTNERSHIP)
    form = req.checked_form()
    ports = bootstrap.ports()
    outcome, reasons = form.get("outcome"), rules.reasons_of(form.get("reasons"))
    conditions = rules.conditions_of(form)
    action = form.get("action")
    file = review.review_file(ports, req.viewer, application_id)
    problems = rules.decision_problems(outcome, reasons, conditions)
    if action == "change" or problems:
        return _file_page(
            req,
            application_id,
            422 if problems and action != "change" else 200,
            file=file,
            problem=_problem(problems) if problems and action != "change" else None,
            values=form,
            failed="decision",
        )
    assert outcome is not None
    if file.get("status") != "in_review":  # decided or withdrawn meanwhile: nothing left to confirm
        if action == "confirm" and rules.same_decision(file, outcome, reasons):  # a double click's second request
            return redirect(req, f"/portal/review/applications/{application_id}?msg=decided#decision")
        return _file_page(
            req,
            application_id,
            409,
            file=file,
            failed="decision",
            problem=ApiProblem(409, {"title": "Conflict", "detail": ""}),
        )
    if action != "confirm":
        preview = rules.decision_preview(
            file, outcome, reasons, today(), review.renewed_recognition(ports, req.viewer, file)
        )
        return page(
            "review/decide.html",
            file=file,
            application=file.get("application") or {},
            preview=preview,
            reasons_text=form.get("reasons") or "",
            conditions=conditions,
        )
    try:
        review.decide(ports, req.viewer, application_id, outcome, reasons, forms.key_of(form), conditions)
    except ApiProblem as problem:
        if problem.status == 409 and rules.same_decision(
            review.review_file(ports, req.viewer, application_id), outcome, reasons
        ):  # the first of two clicks took it
            return redirect(req, f"/portal/review/applications/{application_id}?msg=decided#decision")
        return _file_page(req, application_id, _shown(problem).status, problem=problem, values=form, failed="decision")
    return redirect(req, f"/portal/review/applications/{application_id}?msg=decided#decision")


@app.get("/portal/review/applications/<application_id>/<action>")
def back_to_file(application_id: str, action: str) -> Response:
    """A form's address opened with GET (e.g. the language switch on a page a POST answered): the file."""
    req, _ = staff_user(PARTNERSHIP)
    if action not in ("questions", "visits", "decision"):
        return error_page(404, "error.404")
    return redirect(req, f"/portal/review/applications/{forms.quote(application_id)}")


@app.get("/portal/review/recognitions")
def recognitions() -> Response:
    """One page of recognitions (the API's pages), filtered by status on the API's side."""
    req, _ = staff_user(PARTNERSHIP)
    status = req.query.get("status") or None
    if status not in (None, *RECOGNITION_STATES):
        status = None
    try:
        found = review.recognitions(bootstrap.ports(), req.viewer, status=status,
                                    cursor=req.query.get("cursor") or None)
    except ApiProblem as problem:
        if problem.status != 400:
            raise
        found = review.recognitions(bootstrap.ports(), req.viewer, status=status)  # a stale cursor: the first page
    return page(
        "review/recognitions.html",
        recognitions=found["items"],  # the API's order (valid_from), the same on every page
        states=RECOGNITION_STATES,
        state=status,
        next_cursor=found["next_cursor"],
        msg=req.query.get("msg"),
    )


RECOGNITION_STATES = ("active", "scheduled", "expired", "revoked")


def _measure_page(req: Request, recognition_id: str, status: int = 200, **context: Any) -> Response:
    recognition, _ = review.recognition(bootstrap.ports(), req.viewer, recognition_id)
    problem = context.pop("problem", None)
    return page(
        "review/measure.html",
        status,
        recognition=recognition,
        problem=problem,
        errors=forms.errors_by_field(problem),
        values=context.pop("values", {}),
        types=rules.MEASURE_TYPES,
        **context,
    )


@app.get("/portal/review/recognitions/<recognition_id>/measure")
def new_measure(recognition_id: str) -> Response:
    req, _ = staff_user(PARTNERSHIP)
    return _measure_page(req, recognition_id, values={"type": req.query.get("type") or ""})


@app.post("/portal/review/recognitions/<recognition_id>/measure")
def impose_measure(recognition_id: str) -> Response:
    req, _ = staff_user(PARTNERSHIP)
    form = req.checked_form()
    ports = bootstrap.ports()
    measure = rules.measure_form(form, today())
    action = form.get("action")
    if action == "change":
        return _measure_page(req, recognition_id, values=form)
    if measure.problems:
        return _measure_page(req, recognition_id, 422, problem=_problem(measure.problems), values=form)
    if action != "confirm":
        recognition, everything = review.recognition(ports, req.viewer, recognition_id)
        effects = rules.measure_effects(recognition, everything, measure, today())
        return page(
            "review/measure_confirm.html", recognition=recognition, measure=measure, effects=effects, values=form
        )
    try:
        done = review.impose_measure(ports, req.viewer, recognition_id, measure.body, forms.key_of(form))
    except ApiProblem as problem:
        return _measure_page(req, recognition_id, _shown(problem).status, problem=problem, values=form)
    return redirect(req, f"/portal/review/recognitions?msg=measure.{done.get('type') or measure.type}")


@app.get("/portal/review/support")
def support_requests() -> Response:
    req, _ = staff_user(PARTNERSHIP)
    return page("review/support.html", requests=review.support_requests(bootstrap.ports(), req.viewer))


# ====================================================================== the appeal committee
APPEAL_STATES = ("lodged", "admissible", "inadmissible", "upheld", "dismissed")


@app.get("/portal/committee")
def appeals_queue() -> Response:
    req, _ = staff_user(APPEALS)
    found = committee.appeals(bootstrap.ports(), req.viewer)
    status = req.query.get("status") if req.query.get("status") in APPEAL_STATES else None
    counts = {s: sum(1 for a in found if a.get("status") == s) for s in APPEAL_STATES}
    shown = [a for a in found if status is None or a.get("status") == status]
    # The coordinator answers the oldest first: by the date the acknowledgement is due.
    shown.sort(key=lambda a: (str(a.get("acknowledgement_due") or ""), str(a.get("lodged_at") or "")))
    return page(
        "committee/queue.html", appeals=shown, counts=counts, state=status, states=APPEAL_STATES, total=len(found)
    )


def _appeal_page(req: Request, appeal_id: str, status: int = 200, **context: Any) -> Response:
    ports = bootstrap.ports()
    appeal = context.pop("appeal", None) or committee.appeal(ports, req.viewer, appeal_id)
    problem = context.pop("problem", None)
    return page(
        "committee/appeal.html",
        status,
        appeal=appeal,
        problem=problem,
        errors=forms.errors_by_field(problem),
        values=context.pop("values", {}),
        failed=context.pop("failed", None),
        notices=committee.contested_notices(ports, req.viewer, str(appeal.get("subject_id"))),
        reasons=rules.ADMISSIBILITY_REASONS,
        in_time=rules.lodged_in_time(appeal),
        msg=req.query.get("msg"),
        **context,
    )


@app.get("/portal/committee/appeals/<appeal_id>")
def appeal_file(appeal_id: str) -> Response:
    req, _ = staff_user(APPEALS)
    return _appeal_page(req, appeal_id)


@app.get("/portal/committee/appeals/<appeal_id>/<action>")
def back_to_appeal(appeal_id: str, action: str) -> Response:
    req, _ = staff_user(APPEALS)
    if action not in ("admissibility", "ruling"):
        return error_page(404, "error.404")
    return redirect(req, f"/portal/committee/appeals/{forms.quote(appeal_id)}")


@app.post("/portal/committee/appeals/<appeal_id>/admissibility")
def admissibility(appeal_id: str) -> Response:
    req, _ = staff_user(APPEALS)
    form = req.checked_form()
    body, problems = rules.admissibility_body(form)
    try:
        if problems:
            raise _problem(problems)
        committee.record_admissibility(bootstrap.ports(), req.viewer, appeal_id, body, forms.key_of(form))
    except ApiProblem as problem:
        if problem.status == 409:  # a double click's second request finds its own first one done
            appeal = committee.appeal(bootstrap.ports(), req.viewer, appeal_id)
            if rules.same_admissibility(appeal, body):
                return redirect(req, f"/portal/committee/appeals/{appeal_id}?msg=admissibility")
        return _appeal_page(
            req, appeal_id, _shown(problem).status, problem=problem, values=form, failed="admissibility"
        )
    return redirect(req, f"/portal/committee/appeals/{appeal_id}?msg=admissibility")


@app.post("/portal/committee/appeals/<appeal_id>/ruling")
def ruling(appeal_id: str) -> Response:
    req, _ = staff_user(APPEALS)
    form = req.checked_form()
    body, problems = rules.ruling_body(form)
    try:
        if problems:
            raise _problem(problems)
        committee.record_ruling(bootstrap.ports(), req.viewer, appeal_id, body, forms.key_of(form))
    except ApiProblem as problem:
        if problem.status == 409:
            appeal = committee.appeal(bootstrap.ports(), req.viewer, appeal_id)
            if rules.same_ruling(appeal, body):
                return redirect(req, f"/portal/committee/appeals/{appeal_id}?msg=ruling")
        return _appeal_page(req, appeal_id, _shown(problem).status, problem=problem, values=form, failed="ruling")
    return redirect(req, f"/portal/committee/appeals/{appeal_id}?msg=ruling")
