"""JSON request bodies, read the one way every JSON route reads them.

The body is capped by size before it is read (Flask's MAX_CONTENT_LENGTH, from
`server.max_body_bytes`: 413), but 64 KiB of `[` is 65 536 levels of nesting, and Python's
JSON parser recurses once per level: past about a thousand it raises RecursionError, which
would be a 500. So the nesting is measured first, without recursion, and a body deeper
than any request of this API (a quote request with inline stock is 7 levels) is refused
as malformed. NaN and Infinity, which Python's parser accepts but JSON does not have, are
refused the same way.

Then every string in the body, keys included, must be storable text (no NUL, no lone
surrogate): the service looks a cart's SKUs up in the store before the request schema
has read them, and PostgreSQL refuses a NUL with an error, so such a body is refused here,
with 422 and the path of each bad string, before anything reaches the store.
"""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.exceptions import BadRequest

from rates.domain.errors import InvalidRequest
from rates.wire.request import text_problem

MAX_DEPTH = 32

_OPENERS = frozenset(b"[{")
_CLOSERS = frozenset(b"]}")
# A JSON string, escapes included; an unterminated one is left alone (its brackets then
# count, which can only make a malformed body look deeper, never a good one).
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def too_deep(raw: bytes) -> bool:
    """Whether `raw` nests arrays and objects more than `MAX_DEPTH` levels deep (brackets
    inside strings do not count). Linear in the body, no recursion."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:  # the usual case: nothing to scan
        return False
    level = 0
    for byte in _STRING.sub(b'""', raw):
        if byte in _OPENERS:
            level += 1
            if level > MAX_DEPTH:
                return True
        elif byte in _CLOSERS:
            level -= 1
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON value of `raw`; `BadRequest` (400) if it is not JSON or nests deeper than
    `MAX_DEPTH`, `InvalidRequest` (422) if a string in it cannot be stored."""
    if too_deep(raw):
        raise BadRequest(f"the body nests arrays and objects more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(raw, parse_constant=_not_json)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both are
        raise BadRequest("the body is not valid JSON") from None
    problems: dict[str, list[str]] = {}
    _check_text(value, "", problems)
    if problems:
        raise InvalidRequest("the body holds text that cannot be stored", problems)
    return value


def _check_text(value: Any, path: str, problems: dict[str, list[str]]) -> None:
    """Record each string of `value` that `text_problem` refuses, by its path ("lines.0.sku";
    a bad key at its object's path). Recursion is bounded by `MAX_DEPTH`."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            problems.setdefault(path or "_schema", []).append(problem)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}.{index}" if path else str(index), problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                problems.setdefault(path or "_schema", []).append(f"a key {problem}")
                continue
            _check_text(item, f"{path}.{key}" if path else key, problems)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")
