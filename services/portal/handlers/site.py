"""The resolver every page module registers on, the request of this invocation, and the answers
every page shares: the page itself, who may see it, and the error pages.

The page modules (api.py for the company's and the public pages, backoffice.py for the
partnerships' and the appeal committee's) import this; api.py is the function's handler.
"""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from portal.domain.session import Session, home_path
from portal.handlers import forms
from portal.handlers.views import render
from portal.handlers.web import (
    SESSION_COOKIE,
    BadForm,
    CsrfFailed,
    Request,
    expired_cookie,
    html,
    read_request,
    redirect,
)
from portal.usecases.ports import ApiProblem, ApiUnavailable, LoginFailed, SignInRequired

logger = Logger(service="portal")
app = APIGatewayHttpResolver()


class GoTo(Exception):
    """Answer with a redirect (e.g. an intermediary who has not chosen an enterprise yet)."""

    def __init__(self, location: str):
        self.location = location


def current() -> Request:
    req = app.context.get("request")
    if req is None:
        req = read_request(app)
        app.append_context(request=req)
    return req


def page(template: str, status: int = 200, **context: Any) -> Response:
    req = current()
    return html(req, render(req, template, **context), status)


def signed_in() -> tuple[Request, Session]:
    req = current()
    if req.session is None:
        raise SignInRequired("no session")
    return req, req.session


def company_user(need_enterprise: bool = True) -> tuple[Request, Session]:
    """A signed-in employer or intermediary; an intermediary first picks the enterprise it acts for.
    Staff who land on a company page go to their own start page."""
    req, session = signed_in()
    if not session.user.acts_for_companies:
        raise GoTo(home_path(session.user))
    if need_enterprise and session.acting_for is None:
        raise GoTo("/portal/enterprise?next=" + forms.quote(req.full_path))
    return req, session


def staff_user(role: str) -> tuple[Request, Session]:
    """A signed-in user of this back-office role; anyone else goes to their own start page."""
    req, session = signed_in()
    if session.user.role != role:
        raise GoTo(home_path(session.user))
    return req, session


# ---------------------------------------------------------------------- errors
def error_page(status: int, message_key: str, **context: Any) -> Response:
    req = current()
    return html(req, render(req, "error.html", message_key=message_key, status=status, **context), status)


@app.exception_handler(SignInRequired)
def _sign_in(exc: SignInRequired) -> Response:
    req = current()
    gone = [expired_cookie(req, SESSION_COOKIE)] if req.cookies.get(SESSION_COOKIE) else []
    if req.method == "GET" and not req.is_htmx:
        return redirect(req, "/portal/login?next=" + forms.quote(req.full_path), gone)
    req.replace_session(None)
    return html(req, render(req, "error.html", message_key="error.session", status=401, login=True), 401, gone)


@app.exception_handler(GoTo)
def _go_to(exc: GoTo) -> Response:
    return redirect(current(), exc.location)


@app.exception_handler(CsrfFailed)
def _csrf(exc: CsrfFailed) -> Response:
    return error_page(403, "error.csrf")


@app.exception_handler(BadForm)
def _bad_form(exc: BadForm) -> Response:
    return error_page(400, "error.csrf")


@app.exception_handler(ApiProblem)
def _problem(exc: ApiProblem) -> Response:
    status = exc.status if exc.status in (403, 404, 409) else 404 if exc.status == 400 else exc.status
    key = {403: "error.403", 409: "error.409"}.get(status, "error.404")
    return error_page(status, key, detail=exc.detail if status == 409 else "")


@app.exception_handler(ApiUnavailable)
def _unavailable(exc: ApiUnavailable) -> Response:
    logger.warning("API unavailable", extra={"reason": str(exc)})
    return error_page(503, "error.unavailable")


@app.exception_handler(LoginFailed)
def _login_failed(exc: LoginFailed) -> Response:
    logger.warning("login failed", extra={"reason": str(exc)})
    return error_page(400, "error.login", login=True)


@app.not_found
def _not_found(exc: Exception) -> Response:
    return error_page(404, "error.404")


@app.exception_handler(Exception)
def _unexpected(exc: Exception) -> Response:
    logger.exception("unhandled error in a page")
    return error_page(500, "error.unavailable")
