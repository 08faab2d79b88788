"""The support console at /support: server-rendered pages that answer "when will my
backordered item arrive?".

Like the JSON API, each view only turns a request into a `ShippingService` call and the
answer into a page; the pages read the same documents the API serves. No JavaScript: every
action is a link or a form, so the console works with scripts blocked and under a strict
Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import BadRequest, Conflict, HTTPException

from rates.app.accuracy import Accuracy, PromiseAccuracy, parse_since
from rates.app.calibration import widened_latest
from rates.domain.errors import SetupUnavailable
from rates.settings import Role, Settings
from rates.web.api import service
from rates.web.auth import public
from rates.web.charts import suppliers_svg, weekly_svg
from rates.web.console_auth import (
    SESSION_HOURS,
    check_sign_in,
    current_user,
    end_session,
    safe_next,
    signed_in,
    start_session,
)
from rates.web.console_format import FILTERS, GLOBALS, Places, Times, chosen_first, worded_changes
from rates.web.console_throttle import Wait
from rates.wire.request import storable

support = Blueprint("support", __name__, url_prefix="/support", template_folder="templates")

STATIC = Path(__file__).with_name("static")
MAX_QUERY = 200  # longer than any id or reference: a pasted page is cut, not searched

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""A chart is an image: matplotlib styles its SVG inline, and nothing else may load."""


@support.record_once
def _jinja(state: BlueprintSetupState) -> None:
    state.app.jinja_env.filters.update(FILTERS)
    state.app.jinja_env.globals.update(GLOBALS)


@support.after_request
def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():  # a view's own (a chart's policy) stands
        response.headers.setdefault(name, value)
    if request.endpoint != "support.static":  # pages name customers; the stylesheet not
        response.headers["Cache-Control"] = "no-store"
    return response


@support.context_processor
def _context() -> dict[str, Any]:
    """What every page words with: the merchant's zone for instants (named once, in the
    header) and the current setup's names for locations."""
    settings: Settings = current_app.config["RATES_SETTINGS"]
    locations = service().reloading.current.catalog.locations
    return {"user": current_user(),
            "times": Times(settings.support.timezone, service().clock()),
            "place": Places({ident: loc.name for ident, loc in locations.items()})}


@support.errorhandler(HTTPException)
def _error(error: HTTPException) -> tuple[str, int]:
    """A page, not JSON, for people; a 400 here is nearly always a form whose session
    expired (its CSRF token with it), so the page says how to go on."""
    return page("error", error=error), error.code or 500


@support.get("/static/<path:filename>")
@public
def static(filename: str) -> Response:
    return send_from_directory(STATIC, filename)


@support.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Any:
    """A wrong key, or a key whose role cannot use the console, get the same answer; too
    many of them from one address, or with one key, a pause (`console_throttle`)."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return page("sign_in", next=target, hours=SESSION_HOURS)
    found = check_sign_in(request.form.get("key", "").strip(), request.remote_addr)
    if isinstance(found, Wait):
        return (page("sign_in", next=target, hours=SESSION_HOURS, wait=found), 429,
                {"Retry-After": str(found.seconds)})
    if found is None:
        return page("sign_in", next=target, hours=SESSION_HOURS, failed=True), 401
    start_session(found)
    return redirect(target)


@support.post("/sign-out")
@signed_in(Role.SUPPORT)
def sign_out() -> Any:
    end_session()
    return redirect(url_for("support.sign_in"))


@support.get("")
@signed_in(Role.SUPPORT)
def home() -> str:
    return page("home", risk=service().at_risk())


@support.get("/search")
@signed_in(Role.SUPPORT)
def search() -> Any:
    """One hit (or one exact id among several) opens its page; otherwise a list."""
    text = request.args.get("q", "").strip()[:MAX_QUERY]
    if not text:
        return redirect(url_for("support.home"))
    if not storable(text):  # a NUL: no id or reference holds one, and PostgreSQL refuses it
        return page("search", q=text.replace("\x00", ""), found={"orders": [], "quotes": []})
    found = service().search(text)
    hits = [("support.order", hit["id"]) for hit in found["orders"]]
    hits += [("support.quote", hit["id"]) for hit in found["quotes"]]
    exact = [hit for hit in hits if hit[1] == text]
    chosen = exact if len(exact) == 1 else hits
    if len(chosen) == 1:
        endpoint, ident = chosen[0]
        return redirect(url_for(endpoint, ident=ident))
    return page("search", q=text, found=found)


@support.get("/quotes/<ident>")
@signed_in(Role.SUPPORT)
def quote(ident: str) -> Any:
    try:
        document = service().explained_quote(ident) if storable(ident) else None
    except SetupUnavailable as error:
        raise Conflict(error.message) from error
    if document is None:
        return missing("quote", ident)
    orders = service().quote_orders(ident)
    return page("quote", quote=document, orders=orders,
                offered=chosen_first(document["options"], orders))


@support.post("/quotes/<ident>/refresh")
@signed_in(Role.SUPPORT)
def refresh(ident: str) -> Any:
    """The changes are worded from both documents: the API's rows name options by id and
    windows in ISO dates, for programs."""
    previous = service().get_quote(ident) if storable(ident) else None
    result = service().refresh_quote(ident) if previous else None
    if previous is None or result is None:
        return missing("quote", ident)
    return page("refresh", result=result, quote=result["quote"],
                changes=worded_changes(result["changes"], previous, result["quote"]))


@support.get("/orders/<ident>")
@signed_in(Role.SUPPORT)
def order(ident: str) -> Any:
    document = service().get_order(ident) if storable(ident) else None
    if document is None:
        return missing("order", ident)
    return page("order", order=document)


@support.get("/at-risk")
@signed_in(Role.SUPPORT)
def at_risk() -> str:
    return page("at_risk", risk=service().at_risk())


@support.get("/accuracy")
@signed_in(Role.SUPPORT)
def accuracy() -> Any:
    """How well promises held since `?since=` (default: 90 days ago); a date written
    otherwise is said on the page, with the form to correct it, as a 400."""
    since = request.args.get("since", "").strip()[:MAX_QUERY]
    try:
        found = _measured()
    except BadRequest as error:
        return page("accuracy", since=since, problem=error.description, found=None), 400
    return page("accuracy", since=found.since.isoformat(), problem=None, found=found)


@support.get("/accuracy/weekly.svg")
@signed_in(Role.SUPPORT)
def weekly_chart() -> Response:
    return _chart(weekly_svg(_measured().report.weeks))


@support.get("/accuracy/suppliers.svg")
@signed_in(Role.SUPPORT)
def suppliers_chart() -> Response:
    return _chart(suppliers_svg(_measured().report.by_supplier))


def _measured() -> Accuracy:
    """The report since the request's `?since=` (none or empty: the default); a date
    written otherwise is a 400 that says how to write one."""
    text = request.args.get("since", "").strip()
    try:
        since = parse_since(text) if text else None
    except ValueError as error:
        raise BadRequest(f"Since: {error}") from None
    shipping = service()
    setup = shipping.reloading.current
    calibration = shipping.calibrations.of(setup).calibration
    widening = (widened_latest(calibration, setup.catalog)
                if calibration is not None and calibration.target is not None else None)
    return PromiseAccuracy(shipping.store, shipping.clock, widening,
                           None if calibration is None else calibration.target).measure(since)


def _chart(svg: bytes) -> Response:
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": CHART_CSP})


def page(name: str, **context: Any) -> str:
    return render_template(f"support/{name}.html", **context)


def missing(kind: str, ident: str) -> tuple[str, int]:
    return page("missing", kind=kind, ident=ident), 404
