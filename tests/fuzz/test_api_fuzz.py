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
tests/web/test_shopify_callback.py send it signed bodies instead.

Why not `schemathesis.pytest.from_fixture`: under pytest 9.2 its lazy loader fails before
the first case ('Function' object has no attribute '_nodeid', schemathesis 4.32), so the
operations are parametrized here and each runs as a plain Hypothesis test on
`operation.as_strategy()`; the checks are the same `case.call_and_validate()` runs.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from web_support import KEYS

from rates.settings import Role
from rates.web.openapi import build_spec

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
FIXED = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture
def served_schema(app):
    """The description as a client would get it: from the app's own /openapi.json."""
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def test_every_served_operation_but_the_signed_callback_is_fuzzed(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    served = {(method.upper(), path) for path, methods in paths.items() for method in methods}
    assert served - set(OPERATIONS) == {("POST", SIGNED_BY_HMAC)}
    assert set(OPERATIONS) <= served


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_the_operation_answers_as_described(served_schema, method, path, mode):
    operation = served_schema[path][method]

    @FIXED
    @given(case=operation.as_strategy(mode))
    def answers_as_described(case):
        case.call_and_validate(headers=ADMIN)

    answers_as_described()
