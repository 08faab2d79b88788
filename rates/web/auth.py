"""API keys by role. Health checks are public; every other route declares the role it needs
with `@requires(Role.X)`, and a test walks the URL map to prove none was forgotten.

Keys arrive as `Authorization: Bearer rk_...` (or `X-Api-Key: rk_...`, for tools that
cannot set Authorization) and are found by their SHA-256 digest (`Settings.authenticate`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request

from rates.settings import Role, Settings
from rates.web.errors import error_response

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"


def presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.headers.get("X-Api-Key")


def requires(role: Role) -> Callable[[F], F]:
    """Reject the request with 401 (no or unknown key) or 403 (key of a lesser role)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            settings: Settings = current_app.config["RATES_SETTINGS"]
            key = settings.authenticate(presented_key())
            if key is None:
                response, status = error_response(
                    401, "unauthorized", "a valid API key is required "
                    "(Authorization: Bearer <key>)")
                response.headers["WWW-Authenticate"] = 'Bearer realm="backorder-rates"'
                return response, status
            if not key.role.allows(role):
                return error_response(403, "forbidden",
                                      f"this key's role ({key.role}) cannot do this; "
                                      f"it needs {role}")
            g.api_key = key.name
            return view(*args, **kwargs)
        checked.required_role = role  # type: ignore[attr-defined]
        return cast(F, checked)
    return decorate


def public(view: F) -> F:
    """Mark a route as deliberately open (health checks)."""
    view.required_role = PUBLIC  # type: ignore[attr-defined]
    return view


def required_role(view: Callable[..., Any]) -> Role | str | None:
    """What a view function declared, for the URL-map audit; None if it declared nothing."""
    return getattr(view, "required_role", None)

