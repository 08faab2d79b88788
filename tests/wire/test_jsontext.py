"""`rates.wire.jsontext.dumps`: orjson's speed, the standard library's strictness. orjson
writes a NaN or an infinity as null; `dumps` refuses them wherever they hide, and writes
everything else as the standard library would read it back."""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rates.wire.jsontext import dumps

leaves = (st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
          | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                      | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                      max_leaves=30)


def non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(non_finite(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(non_finite(item) for item in value)
    return False


@settings(max_examples=400, deadline=None)
@given(values)
def test_refuses_exactly_the_values_with_a_nan_or_an_infinity(value):
    if non_finite(value):
        with pytest.raises(ValueError, match="NaN and infinities are not JSON"):
            dumps(value)
    else:
        assert json.loads(dumps(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value", [
    {"reference": None, "options": [{"price": float("nan")}]},
    [None, (1, -math.inf)],
    OrderedDict(a=[None, {"b": math.inf}]),
])
def test_a_nan_among_nulls_is_found_however_deep(value):
    with pytest.raises(ValueError):
        dumps(value)


def test_nulls_alone_are_written_as_nulls_with_keys_sorted_on_request():
    assert dumps({"b": None, "a": [1.5, None]}, sort_keys=True) == b'{"a":[1.5,null],"b":null}'


def test_what_orjson_does_not_take_goes_through_the_standard_library():
    assert dumps({"n": 2**70, 1: "x"}) == b'{"n":1180591620717411303424,"1":"x"}'
    with pytest.raises(TypeError):
        dumps({"amount": Decimal("1.50")})
