"""The quote request's two decoders accept the same requests and read them alike: msgspec
(`rates.wire.request_structs`), which reads every valid request, and the marshmallow
schemas, which name the problems of a refused one.

Requests are drawn near the edge: a valid cart, then a few mutations (a value swapped for
a wrong type, a number just past a bound, 3.0 for 3, a huge int, a date in another ISO
form, text with NUL, a key dropped or added). For each: msgspec accepts it exactly when
marshmallow does, and `parse_quote_request` answers what the code before msgspec answered
(`marshmallow_parse` below, that code kept as the oracle): the same `QuoteRequest`, or
the same 422 with the same messages at the same paths.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.errors import InvalidRequest
from rates.domain.money import Money
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.settings import Limits
from rates.wire.request import (
    StockSchema,
    _request_schema,
    load_document,
    parse_quote_request,
    parse_stock,
    within_caps,
)
from rates.wire.request_structs import REFUSALS, Stock, cart_type

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
KNOWN = {"TENT": SkuStock("TENT", (LocationStock("reno", 7),))}


# -- the code before msgspec, kept as the oracle --------------------------------------------


def marshmallow_parse(payload: Any, limits: Limits) -> QuoteRequest:
    """`parse_quote_request` as it was: marshmallow validates, dicts become domain values."""
    data = load_document(_request_schema(within_caps(limits)), payload, "quote request")
    repeats = {f"lines.{index}.stock.{path}": problem
               for index, line in enumerate(data["lines"]) if "stock" in line
               for path, problem in _repeats(line["stock"]).items()}
    if repeats:
        raise InvalidRequest("a line's stock lists a location or a lot twice", repeats)
    dest = data["destination"]
    return QuoteRequest(
        currency=data["currency"],
        destination=Destination(dest["country"], dest.get("region"), dest.get("postcode")),
        lines=tuple(Line(sku=line["sku"], quantity=line["quantity"],
                         unit_price=Money(line["unit_price"], data["currency"]),
                         grams=line["grams"], tags=frozenset(line["tags"]),
                         stock=(_stock(line["sku"], line["stock"]) if "stock" in line
                                else KNOWN.get(line["sku"]) or SkuStock(line["sku"])))
                    for line in data["lines"]),
        ordered_at=data.get("ordered_at") or NOW,
        reference=data.get("reference"),
        customer_tags=frozenset(data["customer_tags"]),
        origin=data.get("origin"),
    )


def marshmallow_stock(sku: str, payload: Any) -> SkuStock:
    data = load_document(StockSchema(), payload, "stock document")
    repeats = _repeats(data)
    if repeats:
        raise InvalidRequest("the stock document lists a location or a lot twice", repeats)
    return _stock(sku, data)


def _positions(raw: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    if "locations" in raw:
        return [(f"locations.{index}.", p) for index, p in enumerate(raw["locations"])]
    if {"location", "on_hand", "inbound"} & raw.keys():
        return [("", raw)]
    return []


def _repeats(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    locations: set[str] = set()
    for path, position in _positions(raw):
        location = position.get("location", "reno")
        if location in locations:
            problems[f"{path}location"] = [f"{location} appears twice"]
        locations.add(location)
        lots: set[str] = set()
        for index, lot in enumerate(position.get("inbound", ())):
            if lot.get("id") in lots:
                problems[f"{path}inbound.{index}.id"] = [f"{lot['id']} appears twice at {location}"]
            if lot.get("id") is not None:
                lots.add(lot["id"])
    return problems


def _stock(sku: str, raw: Mapping[str, Any]) -> SkuStock:
    lead_time = raw.get("lead_time_days")
    return SkuStock(
        sku=sku,
        locations=tuple(
            LocationStock(p.get("location", "reno"), p.get("on_hand", 0), tuple(
                InboundLot(lot["quantity"], DateRange(lot["earliest"], lot["latest"]),
                           lot.get("id"), lot["committed"], lot.get("supplier"))
                for lot in p.get("inbound", ())))
            for _, p in _positions(raw)),
        lead_time_days=(lead_time[0], lead_time[1]) if lead_time else None,
        lead_time_location=raw.get("lead_time_location"),
        backorder_limit=raw.get("backorder_limit"),
        supplier=raw.get("supplier"),
    )


# -- near-valid requests ---------------------------------------------------------------------

def _dated(lot: dict[str, Any]) -> dict[str, Any]:
    """A lot whose "dates" are its earliest and latest, in order."""
    earliest, latest = sorted(lot.pop("dates"))
    return {**lot, "earliest": earliest, "latest": latest}


day = st.dates(date(2026, 11, 1), date(2027, 6, 30)).map(date.isoformat)
name = st.sampled_from(["TENT", "LANTERN", "reno", "newark", "PO-1", "oversize", "é", "😀"])
suppliers = st.sampled_from(["Acme Outdoor", "Brightway & Co.", "x", "a" * 100, "a" * 101,
                             " Acme", "Acme ", "Acme\n", "Müller", "Acme/West", ""])
position = st.fixed_dictionaries({}, optional={
    "location": st.sampled_from(["reno", "newark", "calgary"]),
    "on_hand": st.integers(0, 20),
    "inbound": st.lists(st.fixed_dictionaries(
        {"quantity": st.integers(1, 50), "dates": st.lists(day, min_size=2, max_size=2)},
        optional={"id": st.sampled_from(["PO-1", "PO-2"]), "committed": st.integers(0, 5),
                  "supplier": suppliers},
    ).map(_dated), max_size=2),
})
stock = st.one_of(
    position,
    st.fixed_dictionaries({"locations": st.lists(position, max_size=3)}),
).flatmap(lambda where: st.fixed_dictionaries({}, optional={
    "lead_time_days": st.sampled_from([[3, 9], [0, 730], [21, 35]]),
    "lead_time_location": st.just("reno"),
    "backorder_limit": st.one_of(st.none(), st.integers(0, 100)),
    "supplier": suppliers,
}).map(lambda supplier: {**where, **supplier}))
line = st.fixed_dictionaries(
    {"sku": name, "quantity": st.integers(1, 5),
     "unit_price": st.sampled_from(["12.95", "0", "149.00", "0.005", "999999999999.999999"])},
    optional={"grams": st.integers(0, 5000), "tags": st.lists(name, max_size=3),
              "stock": stock},
)
cart = st.fixed_dictionaries(
    {"currency": st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
     "destination": st.fixed_dictionaries({"country": st.sampled_from(["US", "CA", "XK"])},
                                          optional={"region": st.sampled_from(["NV", "ON"]),
                                                    "postcode": st.just("89501")}),
     "lines": st.lists(line, min_size=1, max_size=3)},
    optional={"reference": st.just("cart-8812"), "locale": st.sampled_from(["en", "fr-CA"]),
              "ordered_at": st.sampled_from(["2026-11-23T09:30:00-08:00",
                                             "2026-11-23T17:30:00Z"]),
              "customer_tags": st.lists(name, max_size=2), "origin": st.just("reno")},
)

ODD_VALUES: list[Any] = [
    # numbers on and past every bound, and numbers JSON writes as floats
    -1, 0, 1, 2, 3, 5, 6, 50, 51, 100, 101, 730, 731, 1000, 1001, 10_000, 10_001,
    1_000_000, 1_000_001, 10_000_000, 10_000_001, 2**63, 10**30, -(2**63) - 1,
    0.0, -0.0, 1.0, 3.0, 1.5, 730.0, 1000.0, 1e7, 1e300, float("nan"), float("inf"),
    True, False, None,
    # text: lengths on and past the bounds, codes, patterns, unstorable
    "", "a", "a" * 20, "a" * 21, "a" * 35, "a" * 36, "a" * 100, "a" * 101, "a" * 200,
    "a" * 201, "😀" * 100, "😀" * 101, "x\x00y", "x\ud800", "\ud83d\ude00",
    "US", "us", "ZZ", "EU", "XK", "AC", "USD", "usd", "XXX", "NV", "NV\n", "ABCD", "N-V",
    "12.95", "12.95\n", "1.", ".5", "-1", "+1", "1e2", " 1", "1234567890123",
    "123456789012.123456", "1.1234567", "١٢", "１", "3",
    "2026-12-10", "20261210", "2026-W50-1", "2026-12-10T00:00:00", "1999-12-31",
    "2199-12-31", "2200-01-01", "2026-02-30",
    "2026-11-23T09:30:00-08:00", "2026-11-23T09:30:00", "2026-11-23 09:30:00+01:00",
    "2026-11-23T09:30Z", "20261123T093000+0100", "1999-12-31T23:00:00-02:00",
    "2199-12-31T23:30:00-01:00", "2026-11-23T09:30:00+25:00",
    # containers
    [], [1, 2], [2, 1], [1], [1, 2, 3], [1.0, 2.0], [730, 731], ["1", 2], ["a"], [None],
    ["a"] * 51, {}, {"x": 1}, [{}],
]


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in `value` (the root included)."""
    places = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            places += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            places += _places(item, (*path, index))
    return places


def _mutated(value: Any, draw: Callable[..., Any]) -> Any:
    """A copy of `value` with one thing changed at a random place (copies: the drawn lists
    and dicts are the strategies' own, which must not change)."""
    value = copy.deepcopy(value)
    path = draw(st.sampled_from(_places(value)[1:]))
    *parents, last = path
    holder = value
    for step in parents:
        holder = holder[step]
    action = draw(st.sampled_from(["swap", "swap", "swap", "drop", "add", "copy"]))
    if action == "drop":
        del holder[last]
    elif action == "add" and isinstance(holder, dict):
        holder[draw(st.sampled_from(["stock", "grams", "locations", "on_hand", "id",
                                     "destinaton", "lead_time_days", "tags", "Sku"]))] = (
            copy.deepcopy(draw(st.sampled_from(ODD_VALUES))))
    elif action == "copy" and isinstance(holder, list):
        holder.append(holder[last])
    else:
        holder[last] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    return value


LIMITS = st.builds(Limits, st.sampled_from([1, 2, 3, 100, 250, 1000]),
                   st.sampled_from([1, 5, 1000, 10_000, 50_000]))


def _outcome(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except InvalidRequest as error:
        return ("refused", error.message, error.fields)


def _accepts(decode: Callable[[], Any]) -> bool:
    try:
        decode()
    except (*REFUSALS, ValidationError):
        return False
    return True


def _read_alike(payload: Any, limits: Limits) -> None:
    """msgspec accepts `payload` exactly when marshmallow does, and `parse_quote_request`
    answers what the code before msgspec answered."""
    capped = within_caps(limits)
    assert (_accepts(lambda: msgspec.convert(payload, cart_type(capped)))
            == _accepts(lambda: _request_schema(capped).load(payload)))
    assert _outcome(lambda: parse_quote_request(
        payload, default_location="reno", now=NOW, inventory=KNOWN.get, limits=limits,
    )) == _outcome(lambda: marshmallow_parse(payload, limits))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=cart, limits=LIMITS, changes=st.integers(0, 3), data=st.data())
def test_msgspec_accepts_what_marshmallow_accepts_and_reads_it_alike(
        payload: dict[str, Any], limits: Limits, changes: int, data: st.DataObject) -> None:
    for _ in range(changes):
        payload = _mutated(payload, data.draw)
    _read_alike(payload, limits)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=stock, changes=st.integers(0, 3), data=st.data())
def test_a_stock_document_is_read_alike_by_both(
        payload: dict[str, Any], changes: int, data: st.DataObject) -> None:
    for _ in range(changes):
        if _places(payload)[1:]:
            payload = _mutated(payload, data.draw)
    assert (_accepts(lambda: msgspec.convert(payload, Stock))
            == _accepts(lambda: StockSchema().load(payload)))
    assert (_outcome(lambda: parse_stock("TENT", payload, default_location="reno").stock)
            == _outcome(lambda: marshmallow_stock("TENT", payload)))


@pytest.mark.parametrize("written", [3.0, 3])
def test_a_whole_number_written_as_a_float_is_read_as_an_int(written: float) -> None:
    payload = {"currency": "USD", "destination": {"country": "US"},
               "lines": [{"sku": "A", "quantity": written, "unit_price": "1.00",
                          "stock": {"on_hand": written, "lead_time_days": [written, 9.0]}}]}
    line = msgspec.convert(payload, cart_type(Limits())).lines[0]
    assert (line.quantity, line.stock.on_hand, line.stock.lead_time_days) == (3, 3, [3, 9])
    assert type(line.quantity) is int


def test_a_value_json_cannot_hold_is_refused_in_msgspecs_words() -> None:
    # marshmallow reads bytes as UTF-8 text; a Python caller's b"A" is no JSON request.
    payload = {"currency": "USD", "destination": {"country": "US"},
               "lines": [{"sku": b"A", "quantity": 1, "unit_price": "1.00"}]}
    with pytest.raises(InvalidRequest) as caught:
        parse_quote_request(payload, default_location="reno", now=NOW, inventory={}.get,
                            limits=Limits())
    assert caught.value.fields == {
        "_schema": ["Expected `str`, got `bytes` - at `$.lines[0].sku`"]}


def test_timestamps_a_yaml_cart_gives_unquoted_are_taken_as_marshmallow_took_them() -> None:
    ordered_at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    payload = {"currency": "USD", "destination": {"country": "US"}, "ordered_at": ordered_at,
               "lines": [{"sku": "A", "quantity": 1, "unit_price": "1.00", "stock": {
                   "inbound": [{"quantity": 2, "earliest": date(2026, 12, 1),
                                "latest": date(2026, 12, 2)}]}}]}
    request = parse_quote_request(payload, default_location="reno", now=NOW,
                                  inventory={}.get, limits=Limits())
    assert request.ordered_at == ordered_at
    assert request.lines[0].stock == SkuStock("A", (LocationStock("reno", 0, (InboundLot(
        2, DateRange(date(2026, 12, 1), date(2026, 12, 2))),)),))


RICH = {
    "reference": "cart-8812", "locale": "fr-CA", "ordered_at": "2026-11-23T09:30:00-08:00",
    "currency": "USD", "destination": {"country": "US", "region": "NV", "postcode": "89501"},
    "customer_tags": ["vip"], "origin": "reno",
    "lines": [
        {"sku": "TENT", "quantity": 3, "unit_price": "149.00", "grams": 3200,
         "tags": ["oversize"], "stock": {
             "on_hand": 2, "location": "reno", "lead_time_days": [21, 35],
             "lead_time_location": "reno", "backorder_limit": 5,
             "inbound": [{"id": "PO-1", "quantity": 10, "committed": 4,
                          "earliest": "2026-12-10", "latest": "2026-12-14"}]}},
        {"sku": "LANTERN", "quantity": 1, "unit_price": "12.95", "stock": {
            "locations": [{"location": "reno", "on_hand": 1},
                          {"location": "newark", "inbound": [
                              {"quantity": 2, "earliest": "2026-12-01",
                               "latest": "2026-12-01"}]}]}},
    ],
}


def _variants(cart: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str, Any]]:
    """`cart` with one change at one place: each odd value in place of each value, each key
    dropped, an unknown key added to each object."""
    for path in _places(cart):
        *parents, last = path or (None,)
        for change, odd in [*(("swap", odd) for odd in ODD_VALUES), ("drop", None),
                            ("add", 1)]:
            payload = copy.deepcopy(cart)
            holder = payload
            for step in parents:
                holder = holder[step]
            if change == "swap" and path:
                holder[last] = copy.deepcopy(odd)
            elif change == "drop" and path and isinstance(holder, dict):
                del holder[last]
            elif change == "add" and isinstance(target := holder[last] if path else holder,
                                                dict):
                target["unknown"] = odd
            else:
                continue
            yield path, change, payload


def test_every_odd_value_at_every_place_of_a_rich_cart_is_read_alike() -> None:
    limits = Limits(max_lines=2, max_quantity=5)
    for path, change, payload in _variants(RICH):
        try:
            _read_alike(payload, limits)
        except AssertionError as error:
            raise AssertionError(f"{change} at {path}") from error
