"""The contract between the transport and a live carrier protocol, and the checks every
protocol's parser shares.

An adapter is pure: `build` turns a `RateRequest` into the bytes of one HTTP call, `parse`
turns the carrier's status and body back into `LiveRate`s. Neither does I/O, so both are
tested on recorded payloads, and the transport (session, deadline, breaker, cache) is
written once for every protocol.

`parse` raises `LiveRateError` for anything but a well-formed answer; its `reason` is short
and human ("HTTP 500", "amount 'abc' is not a decimal") because the quote shows it next to
the fallback prices. Carrier text that goes into a reason is cut short: a reason is a
message, not a place for a carrier to write pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from rates.domain.live_rates import LiveEndpoint, LiveRate, RateRequest
from rates.domain.money import MINOR_UNITS, Money

MAX_TRANSIT_DAYS = 90
"""The longest transit a carrier may claim. Anything longer is garbage, and would run past
the calendars' horizon when the quote dates the delivery window."""

# Up to 12 whole digits and 9 decimals, ASCII only: any real shipping price, and always
# within Decimal's default precision, so Money never overflows on a carrier's number.
_DECIMAL = re.compile(r"-?\d{1,12}(?:\.\d{1,9})?", re.ASCII)


@dataclass(frozen=True, slots=True)
class HttpCall:
    """One HTTP request, ready for the transport to send as is."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


class LiveRateError(Exception):
    """The carrier's answer cannot be used; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Adapter(Protocol):
    """One live rate protocol. `build` never fails; `parse` returns the rates or raises
    `LiveRateError`, and never anything else, whatever the body holds."""

    def build(self, request: RateRequest, endpoint: LiveEndpoint,
              api_key: str | None) -> HttpCall: ...

    def parse(self, status: int, body: bytes, request: RateRequest,
              endpoint: LiveEndpoint) -> tuple[LiveRate, ...]: ...


def json_body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def answer_object(status: int, body: bytes) -> dict[str, Any]:
    """The answer's top-level JSON object. A non-2xx status fails whatever the body says:
    an error page is not a rate."""
    if not 200 <= status < 300:
        raise LiveRateError(f"HTTP {status}")
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # bad UTF-8 and bad JSON are both ValueErrors
        raise LiveRateError("malformed JSON") from None
    if not isinstance(data, dict):
        raise LiveRateError("the answer is not a JSON object")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # json.loads would accept NaN and Infinity


def rate_objects(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answer's `rates` list, each an object."""
    rates = data.get("rates")
    if rates is None:
        raise LiveRateError("no rates in the answer")
    if not isinstance(rates, list):
        raise LiveRateError("rates must be a list")
    if not all(isinstance(rate, dict) for rate in rates):
        raise LiveRateError("each rate must be a JSON object")
    return rates


def money(rate: Mapping[str, Any], key: str) -> Money:
    """`rate[key]` as Money in `rate["currency"]`. The amount must be a decimal string:
    a JSON number is refused, since a float has already lost the cents."""
    text = rate.get(key)
    if not isinstance(text, str):
        raise LiveRateError(f"{key} must be a decimal string")
    currency = rate.get("currency")
    if not isinstance(currency, str):
        raise LiveRateError('currency must be an ISO 4217 code such as "USD"')
    if currency not in MINOR_UNITS:
        raise LiveRateError(f"unknown currency {shown(currency)}")
    if not _DECIMAL.fullmatch(text):
        raise LiveRateError(f"{key} {shown(text)} is not a decimal")
    amount = Decimal(text)
    if amount < 0:
        raise LiveRateError(f"{key} {shown(text)} is negative")
    return Money(amount, currency)


def whole_days(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) \
            or not 0 <= value <= MAX_TRANSIT_DAYS:
        raise LiveRateError(f"{name} must be whole days from 0 to {MAX_TRANSIT_DAYS}")
    return value


def flag(value: object, name: str) -> bool:
    """An optional boolean: absent or null is false."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise LiveRateError(f"{name} must be true or false")
    return value


def shown(text: str, limit: int = 24) -> str:
    """Carrier text quoted in a reason, cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
