"""The quote request on the wire (DESIGN section 7), read by two decoders, then turned
into a domain `QuoteRequest`.

Every request is decoded by msgspec (`request_structs`): typed structs, checked in C, in
about a twentieth of marshmallow's time on the reference cart, and a valid request (nearly
every one a checkout sends) is read by it alone. It converts the value already parsed
(by `rates.web.bodies`, which first refuses repeated keys, absurd depth and text that
cannot be stored, each with its path), not the body's bytes: the Shopify callback's cart,
the CLI's and a rule test's are values too, and are read by the same code.

msgspec stops at its first problem and words it its own way, so a request it refuses is
read again by the marshmallow schemas below, which report every problem at once with its
field path ("lines.0.unit_price"), as `InvalidRequest.fields`: what a client is told is
theirs. The two accept the same requests, from the bounds both read (`request_bounds`);
tests/wire/test_request_decoders.py holds them to it. Should marshmallow find no problem
in a request msgspec refused (a value JSON cannot hold, such as bytes, from a Python
caller), msgspec's words are the answer: the request is refused either way.

Both are built once at import, and once per configured `Limits` (lines per cart, units per
line): a request never constructs one. The configured limits are checked by the decoders
themselves, so a quantity of 10**4000 and one of 1001 hear the same limit, the one that
applies. A SKU's stock document (a cart line's `stock`, `PUT /v1/inventory/{sku}`) is
read the same two ways.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, cast

import msgspec
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from msgspec import UNSET, UnsetType

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.errors import InvalidRequest, RatesError
from rates.domain.money import Money
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.settings import Limits
from rates.wire import request_structs as structs
from rates.wire.request_bounds import (
    COUNTRIES,
    CURRENCIES,
    LOCALE,
    MAX_LEAD_DAYS,
    MAX_LOCATIONS,
    MAX_LOTS,
    MAX_TAGS,
    MAX_UNITS,
    NAME,
    POSTCODE,
    REFERENCE,
    REGION,
    SUPPLIER,
    SUPPLIER_RULE,
)

# Imported from here by the API, the Shopify reader, the console and the OpenAPI description.
from rates.wire.request_bounds import MAX_GRAMS as MAX_GRAMS
from rates.wire.request_bounds import MAX_LINES as MAX_LINES
from rates.wire.request_bounds import MAX_QUANTITY as MAX_QUANTITY
from rates.wire.request_bounds import storable as storable
from rates.wire.request_bounds import text_problem as text_problem
from rates.wire.request_fields import (
    DAY_YEARS,
    INSTANT_YEARS,
    DecimalString,
    Pattern,
    Text,
    WholeNumber,
)


def _int(minimum: int, maximum: int, **kwargs: Any) -> fields.Integer:
    return WholeNumber(validate=validate.Range(minimum, maximum), **kwargs)


def _pair(name: str) -> list[Callable[[list[int]], Any]]:
    """[min, max]: two items (a Length, which the OpenAPI description states), min <= max
    (which it can only say in words)."""
    def ordered(value: list[int]) -> None:
        if len(value) == 2 and value[0] > value[1]:
            raise ValidationError(f"{name} must be [min, max] with min <= max")
    return [validate.Length(equal=2, error=f"{name} must be [min, max]: two whole numbers"),
            ordered]


class InboundSchema(Schema):
    id = Text(validate=validate.Length(1, NAME))
    quantity = _int(1, MAX_UNITS, required=True)
    earliest = fields.Date(required=True, validate=DAY_YEARS)
    latest = fields.Date(required=True, validate=DAY_YEARS, metadata={
        "description": "on or after earliest"})
    committed = _int(0, MAX_UNITS, load_default=0)
    supplier = Text(validate=Pattern(SUPPLIER, error=SUPPLIER_RULE), metadata={
        "description": "who sends the lot (default: the SKU's `supplier`); its past "
                       "lateness calibrates the promises made on the lot"})

    @validates_schema
    def _ordered(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if data.get("earliest") and data.get("latest") and data["earliest"] > data["latest"]:
            raise ValidationError("latest must not be before earliest", "latest")


class ReceivedInboundSchema(InboundSchema):
    """A lot of `PUT /v1/inventory/{sku}`, which may say it arrived (a quote's may not)."""

    received_on = fields.Date(validate=DAY_YEARS, metadata={
        "description": "the day the lot arrived, recorded as by POST "
                       "/v1/inventory/{sku}/receipts (the lot needs an `id`)"})


class PositionSchema(Schema):
    location = Text(validate=validate.Length(1, NAME), metadata={
        "description": "a location of the service's configuration (default: the first)"})
    on_hand = _int(0, MAX_UNITS)
    inbound = fields.List(fields.Nested(InboundSchema), validate=validate.Length(max=MAX_LOTS))


class StockSchema(PositionSchema):
    """One SKU's stock: a single position (`location` defaults to the preferred location)
    or `locations: [...]`, plus supplier lead time and backorder limit."""

    # The rules JSON Schema cannot state, for the people who write clients: the OpenAPI
    # description carries them as the schema's description (rates.web.openapi).
    RULES = ("Either `locations: [...]` or one position (`location`, `on_hand`, `inbound`), "
             "not both. Locations must be configured ones, each listed once (a position "
             "without `location` is at the first); a lot `id` is given once per location; "
             "every inbound lot's `latest` is on or after its `earliest`; dates must fall "
             "within the service's calendars (a few years around today).")

    locations = fields.List(fields.Nested(PositionSchema),
                            validate=validate.Length(max=MAX_LOCATIONS))
    lead_time_days = fields.List(WholeNumber(validate=validate.Range(0, MAX_LEAD_DAYS)),
                                 validate=_pair("lead_time_days"),
                                 metadata={"description": "[min, max] with min <= max"})
    lead_time_location = Text(validate=validate.Length(1, NAME), metadata={
        "description": "a location of the service's configuration"})
    backorder_limit = _int(0, MAX_UNITS, allow_none=True)
    supplier = Text(validate=Pattern(SUPPLIER, error=SUPPLIER_RULE), metadata={
        "description": "who restocks the SKU: the supplier of its lead time's units and of "
                       "its lots that name none"})

    ONE_POSITION = ("location", "on_hand", "inbound")
    """The keys of one position, which `locations` may not come with."""

    @validates_schema
    def _one_shape(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if "locations" in data and set(self.ONE_POSITION) & data.keys():
            raise ValidationError("give either locations: [...] or one position, not both",
                                  "locations")


class InventoryPositionSchema(PositionSchema):
    inbound = fields.List(fields.Nested(ReceivedInboundSchema),
                          validate=validate.Length(max=MAX_LOTS))


class InventorySchema(StockSchema):
    """The body of `PUT /v1/inventory/{sku}`: a SKU's stock, whose lots may say they
    arrived (`received_on`)."""

    inbound = fields.List(fields.Nested(ReceivedInboundSchema),
                          validate=validate.Length(max=MAX_LOTS))
    locations = fields.List(fields.Nested(InventoryPositionSchema),
                            validate=validate.Length(max=MAX_LOCATIONS))


class LineSchema(Schema):
    sku = Text(required=True, validate=validate.Length(1, NAME))
    quantity = _int(1, MAX_QUANTITY, required=True)
    unit_price = DecimalString(required=True)
    grams = _int(0, MAX_GRAMS, load_default=0)
    tags = fields.List(Text(validate=validate.Length(1, NAME)), load_default=list,
                       validate=validate.Length(max=MAX_TAGS))
    stock = fields.Nested(StockSchema)


class DestinationSchema(Schema):
    country = Text(required=True, validate=validate.OneOf(
        COUNTRIES, error="must be an ISO 3166-1 alpha-2 code in capitals, e.g. US"))
    region = Text(validate=Pattern(
        REGION, error="must be the subdivision code without the country, e.g. NV"))
    postcode = Text(validate=validate.Length(1, POSTCODE))


class QuoteRequestSchema(Schema):
    reference = Text(validate=validate.Length(1, REFERENCE))
    locale = Text(validate=validate.Length(1, LOCALE), metadata={
        "description": "the shopper's locale, e.g. en, fr-CA: the words of options' label, "
                       "service_name and description and of block messages; default: the "
                       "shop's wording_default"})
    ordered_at = fields.AwareDateTime(validate=INSTANT_YEARS, metadata={
        "description": "with its UTC offset, in the years 2000 to 2199 and within the "
                       "service's calendars (a few years around today); default: now"})
    currency = Text(required=True, validate=validate.OneOf(
        CURRENCIES, error="must be an ISO 4217 code this engine knows, e.g. USD"),
        metadata={"description": "the checkout's currency: the shop's own (the one its "
                                 "rules are in) or one with an exchange rate in the "
                                 "config's `currencies:`; the lines' prices are in it, "
                                 "and so are the quote's"})
    destination = fields.Nested(DestinationSchema, required=True)
    customer_tags = fields.List(Text(validate=validate.Length(1, NAME)),
                                load_default=list, validate=validate.Length(max=MAX_TAGS))
    origin = Text(validate=validate.Length(1, NAME), metadata={
        "description": "a location id to source from first, among locations that can fill "
                       "as many lines (a checkout's own origin); default: the configured "
                       "order"})
    lines = fields.List(fields.Nested(LineSchema), required=True,
                        validate=validate.Length(1, MAX_LINES))


def within_caps(limits: Limits) -> Limits:
    """The limits that apply: the configured ones, lowered to the caps where they ask for
    more (`MAX_LINES`, `MAX_QUANTITY`)."""
    return Limits(min(limits.max_lines, MAX_LINES), min(limits.max_quantity, MAX_QUANTITY))


@cache
def _request_schema(limits: Limits) -> QuoteRequestSchema:
    """The quote request's schema with `limits` (already `within_caps`) as its bounds: one
    per configuration, built on first use."""

    class Line(LineSchema):
        quantity = _int(1, limits.max_quantity, required=True)

    class Request(QuoteRequestSchema):
        lines = fields.List(fields.Nested(Line), required=True,
                            validate=validate.Length(1, limits.max_lines))

    return Request()


def parse_quote_request(
    payload: Any,
    *,
    default_location: str,
    now: datetime,
    inventory: Callable[[str], SkuStock | None],
    limits: Limits,
) -> QuoteRequest:
    """A domain `QuoteRequest` from the JSON `payload`, or `InvalidRequest` with every
    field problem. Lines without `stock` take it from `inventory(sku)`; `ordered_at`
    defaults to `now`; `limits` are the configuration's (lines per cart, units per line)."""
    limits = within_caps(limits)
    cart = _decoded(payload, structs.cart_type(limits), _request_schema(limits),
                    "quote request")
    repeats = {f"lines.{index}.stock.{path}": problem
               for index, line in enumerate(cart.lines) if line.stock is not UNSET
               for path, problem in _repeats(line.stock, default_location).items()}
    if repeats:
        raise InvalidRequest("a line's stock lists a location or a lot twice", repeats)
    currency = cart.currency
    try:
        lines = tuple(_line(raw, currency, default_location, inventory) for raw in cart.lines)
        dest = cart.destination
        return QuoteRequest(
            currency=currency,
            destination=Destination(dest.country, _given(dest.region), _given(dest.postcode)),
            lines=lines,
            ordered_at=_given(cart.ordered_at) or now,
            reference=_given(cart.reference),
            customer_tags=frozenset(cart.customer_tags),
            origin=_given(cart.origin),
        )
    except InvalidRequest:
        raise
    except RatesError as error:
        raise InvalidRequest(error.message) from None


_INVENTORY = InventorySchema()


@dataclass(frozen=True, slots=True)
class LotArrival:
    """A request says lot `lot` arrived at `location` (None: wherever the SKU's lot of
    that id is) on `received_on`; `field` is the path of its `received_on`, where its
    problems are reported."""

    lot: str
    received_on: date
    location: str | None = None
    field: str = "received_on"


@dataclass(frozen=True, slots=True)
class StockUpdate:
    """A stock document read: the SKU's `stock`, and the `arrivals` its lots record."""

    stock: SkuStock
    arrivals: tuple[LotArrival, ...] = ()


def parse_stock(sku: str, payload: Any, *, default_location: str) -> StockUpdate:
    """A SKU's stock from its JSON document (the body of `PUT /v1/inventory/{sku}`, a
    stored inventory row), with the lots it says were received; `InvalidRequest` if
    malformed (a received lot must have an id: a receipt finds its lot by it)."""
    stock = _decoded(payload, structs.Inventory, _INVENTORY, "stock document")
    repeats = _repeats(stock, default_location)
    if repeats:
        raise InvalidRequest("the stock document lists a location or a lot twice", repeats)
    received = _received(stock, default_location)
    nameless = {f"{path}received_on": ["a lot is received by its id: give the lot an `id`"]
                for path, _, lot in received if lot.id is UNSET}
    if nameless:
        raise InvalidRequest("a received lot has no id", nameless)
    return StockUpdate(_stock(sku, stock, default_location), tuple(
        LotArrival(cast("str", lot.id), cast("date", lot.received_on), location,
                   f"{path}received_on")
        for path, location, lot in received))


def load_document(schema: Schema, payload: Any, what: str) -> Any:
    """`payload` validated by `schema`, or `InvalidRequest` with every field problem."""
    if not isinstance(payload, dict):
        raise InvalidRequest(f"the {what} must be a JSON object",
                             {"_schema": ["must be a JSON object"]})
    try:
        return schema.load(payload)
    except ValidationError as error:
        raise InvalidRequest(f"the {what} is invalid", _flatten(error.messages)) from None


Decoded = TypeVar("Decoded", bound=msgspec.Struct)


def _decoded(payload: Any, kind: type[Decoded], schema: Schema, what: str) -> Decoded:
    """`payload` decoded as `kind` by msgspec; if msgspec refuses it, `InvalidRequest`
    with every problem `schema` names (or msgspec's, should `schema` name none)."""
    try:
        return msgspec.convert(payload, kind)
    except structs.REFUSALS as refusal:
        load_document(schema, payload, what)
        raise InvalidRequest(f"the {what} is invalid", {"_schema": [str(refusal)]}) from None


Given = TypeVar("Given")


def _given(value: Given | UnsetType) -> Given | None:
    """An optional field's value, None where it was not given."""
    return None if isinstance(value, UnsetType) else value


def _line(raw: structs.Line, currency: str, default_location: str,
          inventory: Callable[[str], SkuStock | None]) -> Line:
    if raw.stock is not UNSET:
        stock = _stock(raw.sku, raw.stock, default_location)
    else:
        stock = inventory(raw.sku) or SkuStock(raw.sku)
    return Line(
        sku=raw.sku,
        quantity=raw.quantity,
        unit_price=Money(Decimal(raw.unit_price), currency),
        grams=raw.grams,
        tags=frozenset(raw.tags),
        stock=stock,
    )


def _repeats(stock: structs.Stock, default_location: str) -> dict[str, list[str]]:
    """Each position at a location listed before, and each lot whose id a location lists
    before, by path: the store keeps one position per location and finds a lot by its id
    there, so a repeat would be read as one of the two, or counted once (reno on hand 1
    and reno on hand 2 was quoted as 1 available). A position without `location` is at
    `default_location`. One id at two locations is two lots: each location's are its own."""
    problems: dict[str, list[str]] = {}
    locations: set[str] = set()
    for path, position in stock.positions:
        location = _given(position.location) or default_location
        if location in locations:
            problems[f"{path}location"] = [f"{location} appears twice"]
        locations.add(location)
        lots: set[str] = set()
        for index, lot in enumerate(position.inbound or ()):
            if lot.id in lots:
                problems[f"{path}inbound.{index}.id"] = [f"{lot.id} appears twice at {location}"]
            if lot.id is not UNSET:
                lots.add(lot.id)
    return problems


def _received(stock: structs.Inventory,
              default_location: str) -> list[tuple[str, str, structs.ReceivedInbound]]:
    """The lots with a `received_on`, each with its path ("locations.0.inbound.1.") and
    location."""
    return [(f"{path}inbound.{index}.", _given(position.location) or default_location, lot)
            for path, position in stock.positions
            for index, lot in enumerate(cast("list[structs.ReceivedInbound]",
                                             position.inbound or ()))
            if lot.received_on is not UNSET]


def _stock(sku: str, raw: structs.Stock, default_location: str) -> SkuStock:
    lead_time = raw.lead_time_days
    return SkuStock(
        sku=sku,
        locations=tuple(
            LocationStock(
                location=_given(p.location) or default_location,
                on_hand=_given(p.on_hand) or 0,
                inbound=tuple(
                    InboundLot(lot.quantity, DateRange(lot.earliest, lot.latest),
                               _given(lot.id), lot.committed, _given(lot.supplier))
                    for lot in p.inbound or ()),
            )
            for _, p in raw.positions),
        lead_time_days=(lead_time[0], lead_time[1]) if lead_time else None,
        lead_time_location=_given(raw.lead_time_location),
        backorder_limit=raw.backorder_limit,
        supplier=_given(raw.supplier),
    )


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dict as {"lines.0.unit_price": ["..."]}."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        flat.update(_flatten(value, path))
    return flat
