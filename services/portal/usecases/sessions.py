"""Signing in and out: the authorization code flow with PKCE, and the server-side session."""

from __future__ import annotations

from portal.domain.session import LoginAttempt, Session, User, key_of, new_secret, pkce_challenge, same_secret
from portal.usecases.ports import LoginFailed, Ports

CALLBACK_PATH = "/portal/auth/callback"


def start_login(ports: Ports, site: str, return_to: str | None) -> tuple[str, str]:
    """Remembers a login attempt; returns (login cookie value, the issuer's authorization URL)."""
    cookie = new_secret()
    attempt = LoginAttempt.start(cookie, return_to or "", ports.now())
    ports.sessions.save_login(attempt)
    url = ports.identity.authorization_url(site, redirect_uri=site + CALLBACK_PATH, state=attempt.state,
                                           nonce=attempt.nonce, code_challenge=pkce_challenge(attempt.code_verifier))
    return cookie, url


def finish_login(ports: Ports, site: str, login_cookie: str | None, code: str | None,
                 state: str | None) -> tuple[str, Session, str]:
    """The issuer sent the browser back: check state, exchange the code, start the session.

    Returns (session cookie value, the session, the path to go back to). Raises LoginFailed when the
    attempt is unknown or expired, the state differs, or the issuer or the ID token fail.
    """
    if not login_cookie or not code:
        raise LoginFailed("no login in progress")
    attempt = ports.sessions.load_login(key_of(login_cookie))
    ports.sessions.end_login(key_of(login_cookie))  # single use, whatever happens next
    if attempt is None or attempt.expires_at < ports.now():
        raise LoginFailed("the login took too long or was already used")
    if not same_secret(state, attempt.state):
        raise LoginFailed("the state does not match")
    identity = ports.identity.exchange(site, code=code, redirect_uri=site + CALLBACK_PATH,
                                       code_verifier=attempt.code_verifier, nonce=attempt.nonce)
    try:
        user = User.from_claims(identity.claims)
    except ValueError as exc:
        raise LoginFailed(str(exc)) from None
    cookie = new_secret()
    session = Session.start(cookie, user, identity.access_token, identity.expires_in, ports.now())
    ports.sessions.save(session)
    return cookie, session, attempt.return_to


def current_session(ports: Ports, cookie: str | None) -> Session | None:
    """The live session of this cookie, its idle time extended (at most one write per few minutes)."""
    if not cookie:
        return None
    session = ports.sessions.load(key_of(cookie))
    now = ports.now()
    if session is None:
        return None
    if not session.is_live(now):
        ports.sessions.end(session.key)
        return None
    if session.needs_touch(now):
        session = session.touched(now)
        ports.sessions.save(session)
    return session


def end_session(ports: Ports, session: Session) -> None:
    ports.sessions.end(session.key)


def act_for(ports: Ports, session: Session, enterprise_number: str) -> Session:
    """The intermediary chooses the enterprise it works for. Raises ValueError for one it has no mandate for."""
    changed = session.acting(enterprise_number)
    ports.sessions.save(changed)
    return changed
