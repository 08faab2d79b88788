"""Who may use the support console, and how its browser session is kept safe.

Staff sign in once with a support API key; the Flask session (a signed cookie) then
carries only the key's name and role, never the key. Every console route declares the role
it needs with `@signed_in(Role.X)`, which sets `required_role` as `auth.requires` does, so
the URL-map audit covers the console too.

Cookies make forms forgeable from other sites, so every POST carries a CSRF token
(Flask-WTF); the JSON API, the Shopify callback and the health checks authenticate each
request with a key or a signature instead, and are exempted by blueprint.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from rates.settings import ApiKey, Role, ServerSettings, Settings

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

SESSION_HOURS = 8  # one support shift; the cookie is not renewed by use (see `install`)
HOME = "/support"


def install(app: Flask, server: ServerSettings, *, exempt: Iterable[Blueprint]) -> None:
    """Session cookie settings and CSRF protection on every form, `exempt` blueprints
    excepted. The secret comes from the environment variable `server.session_secret_env`;
    without it a random one serves this process only (sessions end on restart and do not
    span workers, which is why `rates serve` sets one for all its workers)."""
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
    csrf = CSRFProtect(app)
    for blueprint in exempt:
        csrf.exempt(blueprint)


def start_session(key: ApiKey) -> None:
    """Start a fresh session for `key`: whatever the old cookie held (a CSRF token, another
    person's name) is dropped rather than carried over."""
    session.clear()
    session.permanent = True
    session["name"] = key.name
    session["role"] = str(key.role)


def current_user() -> ApiKey | None:
    """The key this session was signed in with, if that key still exists with that role:
    a key removed from the config stops working at the next restart, cookie or not."""
    name, role = session.get("name"), session.get("role")
    settings: Settings = current_app.config["RATES_SETTINGS"]
    return next((key for key in settings.keys if key.name == name and key.role == role), None)


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
    """`target` if it is a path inside the console, else the console's home: the `next`
    of a sign-in link must never send someone to another site (`//evil.example`,
    `/\\evil.example`, `https://...`)."""
    if not target or "\\" in target or any(ord(c) < 0x20 for c in target):
        return HOME
    parts = urlsplit(target)
    inside = parts.path == HOME or parts.path.startswith(HOME + "/")
    return target if inside and not parts.scheme and not parts.netloc else HOME
