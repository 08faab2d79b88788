"""Schemathesis against the app in process (WSGI, no network), from the description the
app serves at /openapi.json: every operation, with valid data (positive) and with data the
description forbids (negative), each under these checks: no 5xx; every status, content
type, header and body as documented; data the description forbids is refused
(`negative_data_rejection`); and data it allows is accepted (`positive_data_acceptance`:
no 400 or 422 for a valid request), so the description and the server agree both ways.

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
from rates.web.openapi import OPERATIONS as DESCRIBED
from tests.support.web import KEYS

EXAMPLES = 25
ADMIN = {"Authorization": f"Bearer {KEYS[Role.ADMIN]}"}
SIGNED_BY_HMAC = "/shopify/{shop}/rates"
OPERATIONS = [(op.method.upper(), op.path) for op in DESCRIBED if op.path != SIGNED_BY_HMAC]
# Invalid data needs something to make invalid: a body, a path or a query parameter.
TAKING_INPUT = [(op.method.upper(), op.path) for op in DESCRIBED
                if op.path != SIGNED_BY_HMAC and (op.body or op.query or "{" in op.path)]
CASES = ([pytest.param(method, path, GenerationMode.POSITIVE, id=f"{method} {path} valid")
          for method, path in OPERATIONS]
         + [pytest.param(method, path, GenerationMode.NEGATIVE, id=f"{method} {path} invalid")
            for method, path in TAKING_INPUT])
# Schemathesis's own lists, and 413 among the refusals: an invalid body may also be
# refused for its size, which every operation with a body documents.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",
           "5xx"]
CONFIG = {
    # A fixed number of cases, drawn from a seed fixed by the test (derandomized), with no
    # example database to carry failures between runs: the same cases on every machine.
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none",
                   # Query parameters the description does not name are ignored, as by
                   # most HTTP services (cache busters, tracing): not a case to refuse.
                   "allow-extra-parameters": False},
    # Named, though on by default, because they are the point: a 5xx is caught by
    # not_a_server_error, which stays on with the conformance checks.
    "checks": {"positive_data_acceptance": {"enabled": True, "expected-statuses": ACCEPTED},
               "negative_data_rejection": {"enabled": True, "expected-statuses": REFUSED}},
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
def test_the_operation_answers_as_described(served_schema, method, path, mode):
    operation = served_schema[path][method]
    cases = operation.as_strategy(mode)
    if mode is GenerationMode.POSITIVE:
        cases = cases.map(within_the_rules_in_words)

    @served_schema.config.get_hypothesis_settings(
        operation=operation, apply_ci_profile=False)
    @given(case=cases)
    def answers_as_described(case):
        case.call_and_validate(headers=ADMIN)

    answers_as_described()


def within_the_rules_in_words(case):
    """A schema-valid case made to follow the rules the description states only in words,
    because JSON Schema cannot (see rates/web/openapi.py), as a client reading it would:
    [min, max] in order, each location and each lot id of a location listed once, lots
    whose `latest` is not before `earliest`, and dates within the calendars (built around
    the fixed clock, 2025 to 2029: years are moved to 2026 and 2027, after a lead time of
    up to two years that still ends inside them); what happened (a lot received, by its id;
    a parcel shipped or delivered) not after today (moved to 2025). The rest
    (currencies, locations, one stock shape, the years and forms of dates) the
    description states, and generated data follows it unaided."""
    body = case.body
    if not isinstance(body, dict):
        return case
    if "currency" in body:  # a quote request
        if "ordered_at" in body:
            body["ordered_at"] = _in_year(body["ordered_at"], 2026)
        for line in body["lines"]:
            if "stock" in line:
                _follow_stock_rules(line["stock"])
    elif "received_on" in body:  # a lot's receipt: not after today
        body["received_on"] = _in_year(body["received_on"], 2025)
    elif "type" in body:  # a shipment's event: not after now
        body["at"] = _in_year(body["at"], 2025)
    elif "order_id" not in body and "status" not in body:  # a stock document
        _follow_stock_rules(body)
    return case


def _follow_stock_rules(stock):
    if "locations" in stock:  # a position without `location` is at the first, reno
        kept: dict[str, dict] = {}
        for position in stock["locations"]:
            kept.setdefault(position.get("location", "reno"), position)
        stock["locations"] = list(kept.values())
    for position in [stock, *stock.get("locations", [])]:
        ids: set[str | None] = set()
        for lot in position.get("inbound", []):
            if lot.get("id") in ids:
                lot.pop("id", None)
            ids.add(lot.get("id"))
            earliest, latest = sorted([_in_year(lot["earliest"], 2026),
                                       _in_year(lot["latest"], 2027)])
            lot.update(earliest=earliest, latest=latest)
            if "received_on" in lot:  # a lot received by its id, not after today
                if lot.get("id") is None:
                    del lot["received_on"]
                else:
                    lot["received_on"] = _in_year(lot["received_on"], 2025)
    if "lead_time_days" in stock:
        stock["lead_time_days"].sort()


def _in_year(text, year):
    """An ISO date or date-time moved to `year` (a 29 February to the 28th)."""
    moved = f"{year}{text[4:]}"
    return moved.replace(f"{year}-02-29", f"{year}-02-28")
