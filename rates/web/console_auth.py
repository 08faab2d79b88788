"""Who may use the support console, and how its browser session is kept safe.

Staff sign in once with a support API key. The session is kept on the server, in the store
(`Store.start_console_session`): the cookie (signed by Flask) carries only a random id,
never the key, and the store only that id's digest. So signing out ends the session for
every copy of the cookie, a stolen one included, and so does removing or replacing the
key in the config: the session names the key's name, role and digest, and a key that no
longer matches ends it when next used. A session lasts one shift from sign-in, however
much it is used. Failed sign-ins are throttled (`rates.web.console_throttle`).

Every console route declares the role it needs with `@signed_in(Role.X)`, which sets
`required_role` as `auth.requires` does, so the URL-map audit covers the console too.

Cookies make forms forgeable from other sites, so every POST carries a CSRF token
(Flask-WTF); the JSON API, the Shopify callback and the health checks authenticate each
request with a key or a signature instead, and are exempted by blueprint.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import quote, unquote, urlsplit

from flask import Blueprint, Flask, Request, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from rates.settings import ApiKey, Role, ServerSettings, Settings
from rates.store import ConsoleSession
from rates.web import console_throttle
from rates.web.api import metrics, service
from rates.web.console_throttle import Throttled, Wait

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

SESSION_HOURS = 8  # one support shift; neither the session nor its cookie is renewed by use
SHIFT = timedelta(hours=SESSION_HOURS)
HOME = "/support"
SESSION_ID = "sid"  # the cookie's one entry besides Flask-WTF's CSRF token


class ConsoleCookies(SecureCookieSessionInterface):
    """Flask's signed cookie session, its signer made only for a request that brings
    cookies. Flask opens a session for every request, and making the signer costs some
    12 us (itsdangerous encodes a test value to learn what its serializer writes), 1% of a
    quote answered again, for an API call, which brings no cookie (the session's path is
    the console's). A request without cookies gets the empty session Flask would give it."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)


def install(app: Flask, server: ServerSettings, *, exempt: Iterable[Blueprint]) -> None:
    """Session cookie settings and CSRF protection on every form, `exempt` blueprints
    excepted. The cookie's signing secret comes from the environment variable
    `server.session_secret_env`; without it a random one serves this process only (its
    cookies are refused after a restart and by other workers, which is why `rates serve`
    sets one for all its workers)."""
    secret = os.environ.get(server.session_secret_env)
    if not secret:
        log.warning("%s is not set: console sessions end when this process does",
                    server.session_secret_env)
        secret = secrets.token_urlsafe(32)
    app.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=server.secure_cookies,
        SESSION_COOKIE_PATH=HOME,  # only the console reads it; the API never sees it
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # Renewing the cookie on every page would let a session outlive a shift by far.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as its session
    )
    app.session_interface = ConsoleCookies()
    csrf = CSRFProtect(app)
    for blueprint in exempt:
        csrf.exempt(blueprint)


def check_sign_in(typed: str, address: str | None) -> ApiKey | Wait | None:
    """The key `typed` signs in with, if it is one of at least the support role; None
    if not; how long to wait if `address` or the key's first characters have failed too
    often lately (then the key is not checked at all). Counted by outcome."""
    now = service().clock()
    tried = console_throttle.attempt(address, typed, now)
    store = service().store
    try:
        store.record_sign_in_attempt(tried, console_throttle.since(now),
                                     console_throttle.admit(tried))
    except Throttled as throttled:
        metrics().console_sign_ins.labels("throttled").inc()
        return Wait.until(throttled.retry_at, now)
    settings: Settings = current_app.config["RATES_SETTINGS"]
    key = settings.authenticate(typed)
    if key is None or not key.role.allows(Role.SUPPORT):
        metrics().console_sign_ins.labels("refused").inc()
        return None
    store.forget_sign_in_attempt(tried.id)
    metrics().console_sign_ins.labels("ok").inc()
    return key


def start_session(key: ApiKey) -> None:
    """Start a fresh session for `key`, one shift long: whatever the old cookie held (a
    CSRF token, another person's session) is dropped, and its session ended."""
    end_session()
    session_id = secrets.token_urlsafe(32)
    now = service().clock()
    service().store.start_console_session(ConsoleSession(
        _digest(session_id), key.name, key.role, key.sha256, now, now + SHIFT))
    session.permanent = True
    session[SESSION_ID] = session_id


def end_session() -> None:
    """End this cookie's session on the server, so that no copy of the cookie opens it
    again, and empty the cookie."""
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        service().store.end_console_session(_digest(session_id))
    session.clear()
    g.pop("console_user", None)


def current_user() -> ApiKey | None:
    """The key this request's session was started with, looked up once per request:
    None without a session, after it expired or ended, or when that key is no longer in
    the config as it was (removed, its role changed, or replaced under the same name),
    which ends the session for good."""
    if "console_user" not in g:
        g.console_user = _session_key()
    return cast(ApiKey | None, g.console_user)


def _session_key() -> ApiKey | None:
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    digest, store = _digest(session_id), service().store
    found = store.console_session(digest, service().clock())
    if found is None:
        return None
    settings: Settings = current_app.config["RATES_SETTINGS"]
    key = next((key for key in settings.keys
                if (key.name, key.role, key.sha256) == (found.key_name, found.role,
                                                        found.key_sha256)), None)
    if key is None:
        store.end_console_session(digest)
    return key


def _digest(session_id: str) -> str:
    """What the store keeps of a session id: enough to find it, useless to present."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def signed_in(role: Role) -> Callable[[F], F]:
    """Send a visitor without a session of at least `role` to the sign-in page, keeping
    where they were going (for a GET; a form resubmitted after sign-in would surprise)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None or not user.role.allows(role):
                here = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("support.sign_in", next=here))
            g.api_key = user.name  # the access log names who did it, as for the API
            return view(*args, **kwargs)
        checked.required_role = role  # type: ignore[attr-defined]
        return cast(F, checked)
    return decorate


def safe_next(target: str | None) -> str:
    """Where a sign-in's `next` may send someone: `target` normalised as a browser or a
    proxy would read it (percent-decoded once, `.` and `..` segments resolved, `%2e%2e`
    among them, repeated slashes merged), if that is a path inside the console; else the
    console's home. So neither another site (`//evil.example`, `/\\evil.example`,
    `https://...`) nor another part of this one (`/support/../v1/rules`) is reachable."""
    if not target or "\\" in target or any(ord(c) < 0x20 or c == "\x7f" for c in target):
        return HOME
    try:
        parts = urlsplit(target)
    except ValueError:  # "//[": a host that is no IPv6 address
        return HOME
    path = unquote(parts.path)
    if (parts.scheme or parts.netloc or not path.startswith("/") or "\\" in path
            or any(ord(c) < 0x20 or c == "\x7f" for c in path)):
        return HOME
    resolved = posixpath.normpath("/" + path.lstrip("/"))
    if resolved != HOME and not resolved.startswith(HOME + "/"):
        return HOME
    # Written back as a URL again: what was decoded, and any space or non-ASCII letter.
    query = f"?{quote(parts.query, safe=_QUERY_SAFE)}" if parts.query else ""
    return quote(resolved, safe=_PATH_SAFE) + query


_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_QUERY_SAFE = _PATH_SAFE + "?%"  # a query keeps its own escapes
