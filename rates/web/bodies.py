"""Request bodies, read the one way every route reads them.

A body is capped by size (Flask's MAX_CONTENT_LENGTH, from `server.max_body_bytes`: 413).
With a Content-Length, Werkzeug checks it before reading. A chunked body has none, and
Werkzeug then reads up to the cap and stops there without a word, so a 50 MB body became
its first 64 KiB, refused as "not valid JSON"; `CappedRequest` reads one byte past the cap
instead, and that byte is the 413. Nothing reads further than that.

A JSON body's 64 KiB of `[` is 65 536 levels of nesting, and Python's JSON parser
recurses once per level: past about a thousand it raises RecursionError, which would be a
500. So the nesting is measured first, without recursion, and a body deeper
than any request of this API (a quote request with inline stock is 7 levels) is refused
as malformed. NaN and Infinity, which Python's parser accepts but JSON does not have, are
refused the same way.

Then every string in the body, keys included, must be storable text (no NUL, no lone
surrogate): the service looks a cart's SKUs up in the store before the request schema
has read them, and PostgreSQL refuses a NUL with an error, so such a body is refused here,
with 422 and the path of each bad string, before anything reaches the store.

A key given twice in one object (`"quantity": 1, "quantity": 500`) is refused the same
way, with the key's path: Python's parser keeps the last value, so a client, a proxy that
read the first, and this service could each quote a different cart. The parser hands each
object's pairs to a hook, which keeps a plain dict unless a key repeats: 1 to 5 us more per
example cart or Shopify rate request, on 12 to 47 us of reading. The walk over every
string and key is what costs (24 of the reference cart's 46 us), so it is skipped when
nothing can be found: no key repeated, and a body of ASCII bytes without a `\\u` escape
(Python's parser reads a surrogate's own UTF-8 bytes, and a UTF-16 body, too). orjson
parses faster, but keeps the last repeat silently (finding repeats after it takes a
second scan that costs as much), reads an integer past 64 bits as a float and refuses a
lone surrogate escape as malformed rather than naming its field.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from typing import IO, Any, cast

from flask import Request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.utils import cached_property

from rates.domain.errors import InvalidRequest
from rates.wire.request import text_problem

MAX_DEPTH = 32

_OPENERS = frozenset(b"[{")
_CLOSERS = frozenset(b"]}")
# A JSON string, escapes included; an unterminated one is left alone (its brackets then
# count, which can only make a malformed body look deeper, never a good one).
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


class CappedRequest(Request):
    """Flask's request, whose body stream ends in a 413 past the cap however it is sent."""

    @cached_property
    def stream(self) -> IO[bytes]:
        cap = self.max_content_length
        if (self.content_length is None and cap is not None
                and self.environ.get("wsgi.input_terminated")):
            return cast("IO[bytes]", _Capped(self.environ["wsgi.input"], cap))
        return super().stream


class _Capped(io.RawIOBase):
    """A body of unknown length (chunked, on a server that ends the stream where the body
    ends), read no further than `cap` + 1 bytes: the extra byte, if there is one, tells a
    body over the cap from one exactly at it."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self._stream = stream
        self._left = cap + 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._left))
        self._left -= len(data)
        if not self._left:
            raise RequestEntityTooLarge()
        buffer[:len(data)] = data
        return len(data)


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
    `MAX_DEPTH`, `InvalidRequest` (422) if a string in it cannot be stored or an object
    gives a key twice."""
    if too_deep(raw):
        raise BadRequest(f"the body nests arrays and objects more than {MAX_DEPTH} levels deep")
    repeats: list[_Repeating] = []

    def read(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = _object(pairs)
        if isinstance(value, _Repeating):
            repeats.append(value)
        return value
    try:
        value = json.loads(raw, parse_constant=_not_json, object_pairs_hook=read)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both are
        raise BadRequest("the body is not valid JSON") from None
    # In a body of ASCII bytes (so UTF-8, not UTF-16: no NUL byte), only a \u escape can
    # make text that cannot be stored: the parser refuses a raw control character.
    # Without one, and with no key repeated, there is nothing to look for (half the time
    # of reading). Other bytes may be a surrogate's own, which the parser lets through.
    if raw.isascii() and b"\x00" not in raw and b"\\u" not in raw and not repeats:
        return value
    problems: dict[str, list[str]] = {}
    kinds: set[str] = set()
    _check(value, "", problems, kinds)
    if problems:
        raise InvalidRequest(" and ".join(sorted(kinds)), problems)
    return value


class _Repeating(dict[str, Any]):
    """An object that gave a key more than once: its last values, as Python's parser keeps
    them, and how many times each repeated key was given, for `_check` to name them."""

    __slots__ = ("repeated",)
    repeated: dict[str, int]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):  # the usual case: no key given twice
        return value
    repeating = _Repeating(value)
    repeating.repeated = {key: times for key, times in Counter(k for k, _ in pairs).items()
                          if times > 1}
    return repeating


_REPEATED = "the body gives a key more than once"
_UNSTORABLE = "the body holds text that cannot be stored"


def _check(value: Any, path: str, problems: dict[str, list[str]], kinds: set[str]) -> None:
    """Record each string of `value` that `text_problem` refuses and each key an object
    gives more than once, by path ("lines.0.sku"; a bad key at its object's path, a
    repeated one at its own). Recursion is bounded by `MAX_DEPTH`."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            problems.setdefault(path or "_schema", []).append(problem)
            kinds.add(_UNSTORABLE)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}" if path else str(index), problems, kinds)
    elif isinstance(value, dict):
        for key, times in getattr(value, "repeated", {}).items():
            count = "twice" if times == 2 else f"{times} times"
            problems.setdefault(f"{path}.{key}" if path else key, []).append(
                f"given {count} in one object: give each key once")
            kinds.add(_REPEATED)
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                problems.setdefault(path or "_schema", []).append(f"a key {problem}")
                kinds.add(_UNSTORABLE)
                continue
            _check(item, f"{path}.{key}" if path else key, problems, kinds)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")
