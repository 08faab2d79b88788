"""The request's records, and a line's facts for the rules, write out their equality and
hash (the dataclass's would run as Python when compiled). Each must still see every field:
a field added later and left out of `__eq__` or `__hash__` fails here, as would a copy that
mixed two fields up."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.money import Money
from rates.domain.rules.facts import LineFacts
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock

LOT = InboundLot(4, DateRange(date(2026, 12, 7), date(2026, 12, 9)), "L1", 1, "acme")
SHELF = LocationStock("reno", 3, (LOT,))
STOCK = SkuStock("LANTERN", (SHELF,), (5, 9), "reno", 10, "acme")
LINE = Line("LANTERN", 2, Money(Decimal("19.99"), "USD"), 500, frozenset({"fragile"}), STOCK)
REQUEST = QuoteRequest("USD", Destination("US", "NV", "89502"), (LINE,),
                       datetime(2026, 12, 5, 9, 30, tzinfo=UTC), "cart-1",
                       frozenset({"vip"}), "reno")

# One record of each kind, and for each field a value other than the record's.
OTHER: dict[Any, dict[str, Any]] = {
    LOT: {"quantity": 5, "eta": DateRange(date(2026, 12, 7), date(2026, 12, 10)),
          "id": "L2", "committed": 0, "supplier": None},
    SHELF: {"location": "memphis", "on_hand": 4, "inbound": ()},
    STOCK: {"sku": "TENT", "locations": (), "lead_time_days": (5, 10),
            "lead_time_location": "memphis", "backorder_limit": None, "supplier": "zenith"},
    LINE: {"sku": "TENT", "quantity": 3, "unit_price": Money(Decimal("19.98"), "USD"),
           "grams": 501, "tags": frozenset(), "stock": replace(STOCK, backorder_limit=11)},
    REQUEST.destination: {"country": "CA", "region": "ON", "postcode": "89503"},
    # (Not its currency: its lines are priced in it, so no two valid requests differ in
    # their currency alone.)
    REQUEST: {"destination": Destination("US", "NV", "89503"),
              "lines": (replace(LINE, quantity=3),),
              "ordered_at": datetime(2026, 12, 5, 9, 31, tzinfo=UTC), "reference": "cart-2",
              "customer_tags": frozenset(), "origin": "memphis"},
}
FACTS = LineFacts("LANTERN", frozenset({"fragile"}), backordered=True)
OTHER[FACTS] = {"sku": "TENT", "tags": frozenset(), "backordered": False}
CASES = [(record, name, value) for record, others in OTHER.items()
         for name, value in others.items()]


def test_every_field_of_every_record_has_another_value_here():
    # (A field worked out from the others, not passed in, follows them: below.)
    for record, others in OTHER.items():
        named = set(others) | ({"currency"} if record is REQUEST else set())
        assert named == {field.name for field in fields(record) if field.init}, type(record)


@pytest.mark.parametrize(("price", "currency", "cents"), [
    ("19.99", "USD", 1999), ("1500", "JPY", 1500), ("1.234", "KWD", 1234), ("0", "USD", 0)])
def test_a_lines_unit_price_is_kept_in_minor_units_and_follows_a_new_price(price, currency,
                                                                           cents):
    line = replace(LINE, unit_price=Money(Decimal(price), currency))
    assert line.unit_cents == cents
    assert LINE.unit_cents == 1999


@pytest.mark.parametrize(("record", "name", "value"), CASES,
                         ids=[f"{type(r).__name__}.{n}" for r, n, _ in CASES])
def test_a_record_differs_from_one_that_differs_in_one_field(record: Any, name: str,
                                                             value: Any):
    changed = replace(record, **{name: value})

    assert changed != record
    assert hash(changed) != hash(record)


@pytest.mark.parametrize("record", list(OTHER), ids=[type(r).__name__ for r in OTHER])
def test_a_record_equals_and_hashes_as_its_copy(record: Any):
    copy = replace(record)

    assert copy == record
    assert hash(copy) == hash(record)
    assert copy != object()
