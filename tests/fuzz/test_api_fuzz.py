"""Schemathesis against the app in process (WSGI, no network), from the description the
app serves at /openapi.json: every operation, with valid data (positive) and with data the
description forbids (negative), each under schemathesis's default checks: no 5xx, every
status, content type, header and body as documented, invalid data refused, valid data
accepted.

Each operation gets `EXAMPLES` cases per mode, derandomized (Hypothesis draws them from a
seed fixed by the test itself, and keeps no example database), so CI runs the same cases
every time and a failure here is a failure everywhere.

Every request carries the admin key, which every role-checked operation accepts, so the
cases reach the views instead of stopping at 401. The Shopify callback is left out: it is
authenticated by an HMAC of the raw body, which a generated body never carries, so every
case would stop at 401 and prove nothing; test_hostile_requests.py here and
tests/web/test_callbacks_shopify.py send it signed bodies instead.

Why not `schemathesis.pytest.from_fixture`: under pytest 9.2 its lazy loader fails before
the first case ('Function' object has no attribute '_nodeid', schemathesis 4.32), so the
operations are parametrized here and each runs as a plain Hypothesis test on
`operation.as_strategy()`; the checks are the same `case.call_and_validate()` runs.
"""

import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode

from rates.settings import Role
from rates.web.openapi import build_spec
from tests.support.web import KEYS

EXAMPLES = 25
ADMIN = {"Authorization": f"Bearer {KEYS[Role.ADMIN]}"}
SIGNED_BY_HMAC = "/shopify/{shop}/rates"
SPEC = build_spec()
OPERATIONS = [(method.upper(), path) for path, methods in SPEC["paths"].items()
              for method in methods if path != SIGNED_BY_HMAC]
# Invalid data needs something to make invalid: a body, a path or a query parameter.
TAKING_INPUT = [(method, path) for method, path in OPERATIONS
                if {"requestBody", "parameters"} & SPEC["paths"][path][method.lower()].keys()]
CASES = ([pytest.param(method, path, GenerationMode.POSITIVE, id=f"{method} {path} valid")
          for method, path in OPERATIONS]
         + [pytest.param(method, path, GenerationMode.NEGATIVE, id=f"{method} {path} invalid")
            for method, path in TAKING_INPUT])
CONFIG = {
    # A fixed number of cases, drawn from a seed fixed by the test (derandomized), with no
    # example database to carry failures between runs: the same cases on every machine.
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none",
                   # Query parameters the description does not name are ignored, as by
                   # most HTTP services (cache busters, tracing): not a case to refuse.
                   "allow-extra-parameters": False},
    # Schemathesis's own list of refusals, and 413: an invalid body may also be refused
    # for its size, which every operation with a body documents.
    "checks": {"negative_data_rejection": {"expected-statuses": [
        "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",
        "5xx"]}},
}


@pytest.fixture
def served_schema(app):
    """The description as a client would get it: from the app's own /openapi.json."""
    return schemathesis.openapi.from_wsgi("/openapi.json", app,
                                          config=schemathesis.Config.from_dict(CONFIG))


def test_every_served_operation_but_the_signed_callback_is_fuzzed(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    served = {(method.upper(), path) for path, methods in paths.items() for method in methods}
    assert served - set(OPERATIONS) == {("POST", SIGNED_BY_HMAC)}
    assert set(OPERATIONS) <= served


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_the_operation_answers_as_described(served_schema, reloading, method, path, mode):
    operation = served_schema[path][method]
    cases = operation.as_strategy(mode)
    if mode is GenerationMode.POSITIVE:
        cases = cases.map(lambda case: within_the_rules_in_words(case, reloading.current))

    @served_schema.config.get_hypothesis_settings(
        operation=operation, apply_ci_profile=False)
    @given(case=cases)
    def answers_as_described(case):
        case.call_and_validate(headers=ADMIN)

    answers_as_described()


def within_the_rules_in_words(case, setup):
    """A schema-valid case made to follow the rules the description can state only in
    words (see rates/web/openapi.py), as a client reading it would: the shop's one
    currency, configured locations (in stock and as the origin), one stock shape, each
    location and each lot id of a location listed once, [min, max] in order, lots whose
    `latest` is not before `earliest`, and dates within the calendars (built around the
    fixed clock, 2025 to 2029: years are moved to 2026 and 2027, after a lead time of up to
    two years that still ends inside them)."""
    body = case.body
    if not isinstance(body, dict):
        return case
    locations = list(setup.catalog.locations)
    if "currency" in body:  # a quote request
        body["currency"] = setup.ruleset.currency
        if "origin" in body:
            body["origin"] = locations[len(body["origin"]) % len(locations)]
        if "ordered_at" in body:
            body["ordered_at"] = _in_year(body["ordered_at"], 2026)
        for line in body["lines"]:
            if "stock" in line:
                _follow_stock_rules(line["stock"], locations)
    elif "order_id" not in body and "status" not in body:  # a stock document
        _follow_stock_rules(body, locations)
    return case


def _follow_stock_rules(stock, locations):
    if "locations" in stock:
        for key in ("location", "on_hand", "inbound"):
            stock.pop(key, None)
        del stock["locations"][len(locations):]  # a position per location at most
    for index, position in enumerate([stock, *stock.get("locations", [])]):
        if "location" in position or index:  # every listed position names its own
            position["location"] = locations[index % len(locations)]
        ids: set[str | None] = set()
        for lot in position.get("inbound", []):
            if lot.get("id") in ids:
                lot.pop("id", None)
            ids.add(lot.get("id"))
            earliest, latest = sorted([_in_year(lot["earliest"], 2026),
                                       _in_year(lot["latest"], 2027)])
            lot.update(earliest=earliest, latest=latest)
    if "lead_time_days" in stock:
        stock["lead_time_days"].sort()
    if "lead_time_location" in stock:
        stock["lead_time_location"] = locations[0]


def _in_year(text, year):
    """An ISO date or date-time moved to `year` (a 29 February to the 28th)."""
    moved = f"{year}{text[4:]}"
    return moved.replace(f"{year}-02-29", f"{year}-02-28")
