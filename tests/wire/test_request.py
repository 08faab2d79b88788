"""The wire request: every bad field reported at once, by path; good input to domain values."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from rates.domain.errors import InvalidRequest
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.settings import Limits
from rates.wire.request import MAX_LINES, MAX_QUANTITY, parse_quote_request

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
LIMITS = Limits()  # 100 lines per cart, 1000 units per line


def cart(**changes):
    base = {
        "reference": "cart-8812",
        "ordered_at": "2026-11-23T09:30:00-08:00",
        "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}],
    }
    base.update(changes)
    return base


def parse(payload, inventory=None):
    return parse_quote_request(payload, default_location="reno", now=NOW,
                               inventory=(inventory or {}).get, limits=LIMITS)


def problems(payload):
    with pytest.raises(InvalidRequest) as caught:
        parse(payload)
    return caught.value.fields


def test_a_valid_cart_becomes_a_domain_request():
    request = parse(cart())
    assert request.reference == "cart-8812"
    assert request.ordered_at == datetime.fromisoformat("2026-11-23T09:30:00-08:00")
    assert request.destination.region == "NV"
    (line,) = request.lines
    assert line.unit_price.amount == Decimal("149.00")
    assert line.grams == 3200
    assert request.subtotal.amount == Decimal("447.00")


def test_ordered_at_defaults_to_the_clock():
    payload = cart()
    del payload["ordered_at"]
    assert parse(payload).ordered_at == NOW


def test_money_as_a_json_number_is_refused_with_the_fix():
    fields = problems(cart(lines=[{"sku": "A", "quantity": 1, "unit_price": 12.95}]))
    assert fields == {
        "lines.0.unit_price": ['must be a decimal string such as "12.95", not a number']}


def test_every_problem_is_reported_at_once_by_path():
    fields = problems(cart(
        currency="usd",
        ordered_at="2026-11-23T09:30:00",
        destination={"country": "United States"},
        lines=[{"sku": "A", "quantity": 0, "unit_price": "x"}],
    ))
    assert set(fields) == {"currency", "ordered_at", "destination.country",
                           "lines.0.quantity", "lines.0.unit_price"}
    assert fields["ordered_at"] == ["Not a valid aware datetime."]


def test_unknown_fields_are_errors_not_silently_dropped():
    payload = cart(destinaton={"country": "US"})
    del payload["destination"]
    fields = problems(payload)
    assert fields["destinaton"] == ["Unknown field."]
    assert fields["destination"] == ["Missing data for required field."]


def test_cart_size_is_capped():
    line = {"sku": "A", "quantity": 1, "unit_price": "1.00"}
    assert "lines" in problems(cart(lines=[line] * (MAX_LINES + 1)))
    assert "lines" in problems(cart(lines=[]))


QUANTITY_TO = "Must be greater than or equal to 1 and less than or equal to {}."
LINES_TO = "Length must be between 1 and {}."


@pytest.mark.parametrize(("limits", "quantity", "lines", "says"), [
    (Limits(max_lines=2, max_quantity=5), 6, 1, {"lines.0.quantity": [QUANTITY_TO.format(5)]}),
    (Limits(max_lines=2, max_quantity=5), 1, 3, {"lines": [LINES_TO.format(2)]}),
    # A configured limit above the cap is the cap: that is the limit that applies.
    (Limits(max_lines=1000, max_quantity=50_000), MAX_QUANTITY + 1, 1,
     {"lines.0.quantity": [QUANTITY_TO.format(MAX_QUANTITY)]}),
    (Limits(max_lines=1000, max_quantity=50_000), 1, MAX_LINES + 1,
     {"lines": [LINES_TO.format(MAX_LINES)]}),
], ids=["configured-quantity", "configured-lines", "capped-quantity", "capped-lines"])
def test_the_limits_a_request_is_told_are_the_ones_that_apply(limits, quantity, lines, says):
    line = {"sku": "A", "quantity": quantity, "unit_price": "1.00"}
    with pytest.raises(InvalidRequest) as caught:
        parse_quote_request(cart(lines=[line] * lines), default_location="reno", now=NOW,
                            inventory={}.get, limits=limits)
    assert caught.value.fields == says


def test_quantity_must_be_a_whole_number():
    fields = problems(cart(lines=[{"sku": "A", "quantity": 1.5, "unit_price": "1.00"}]))
    assert fields == {"lines.0.quantity": ["Not a valid integer."]}


def test_a_body_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidRequest, match="JSON object"):
        parse([1, 2])


def test_inline_stock_defaults_to_the_preferred_location():
    payload = cart(lines=[{
        "sku": "TENT-2P", "quantity": 3, "unit_price": "149.00",
        "stock": {"on_hand": 2, "lead_time_days": [21, 35], "backorder_limit": 5,
                  "inbound": [{"id": "PO-1", "quantity": 10, "committed": 4,
                               "earliest": "2026-12-10", "latest": "2026-12-14"}]},
    }])
    assert parse(payload).lines[0].stock == SkuStock(
        sku="TENT-2P",
        locations=(LocationStock("reno", 2, (InboundLot(
            10, DateRange(date(2026, 12, 10), date(2026, 12, 14)), "PO-1", 4),)),),
        lead_time_days=(21, 35),
        backorder_limit=5,
    )


def test_stock_at_several_locations():
    payload = cart(lines=[{
        "sku": "A", "quantity": 1, "unit_price": "1.00",
        "stock": {"locations": [{"location": "reno", "on_hand": 1},
                                {"location": "newark", "on_hand": 4}]},
    }])
    stock = parse(payload).lines[0].stock
    assert [(p.location, p.on_hand) for p in stock.locations] == [("reno", 1), ("newark", 4)]


def test_one_position_and_a_locations_list_together_are_ambiguous():
    fields = problems(cart(lines=[{
        "sku": "A", "quantity": 1, "unit_price": "1.00",
        "stock": {"on_hand": 3, "locations": [{"location": "reno", "on_hand": 1}]},
    }]))
    assert fields == {"lines.0.stock.locations": [
        "give either locations: [...] or one position, not both"]}


def test_inbound_range_must_not_end_before_it_starts():
    fields = problems(cart(lines=[{
        "sku": "A", "quantity": 1, "unit_price": "1.00",
        "stock": {"inbound": [{"quantity": 1, "earliest": "2026-12-14", "latest": "2026-12-10"}]},
    }]))
    assert fields == {"lines.0.stock.inbound.0.latest": ["latest must not be before earliest"]}


def test_a_line_without_stock_takes_it_from_the_inventory():
    known = SkuStock("TENT-2P", (LocationStock("reno", 7),))
    assert parse(cart(), {"TENT-2P": known}).lines[0].stock is known


def test_an_unknown_sku_gets_an_empty_position_not_an_error():
    assert parse(cart()).lines[0].stock == SkuStock("TENT-2P")


def test_a_stock_document_round_trips_through_json():
    from rates.wire.request import parse_stock
    from rates.wire.response import stock_document

    stock = SkuStock(
        "TENT-2P",
        (LocationStock("reno", 2, (InboundLot(10, DateRange(date(2026, 12, 10),
                                                            date(2026, 12, 14)), "PO-1", 3),)),
         LocationStock("newark", 0)),
        lead_time_days=(21, 35), lead_time_location="newark", backorder_limit=40)
    doc = stock_document(stock)
    assert doc["locations"][0]["inbound"] == [
        {"id": "PO-1", "quantity": 10, "committed": 3,
         "earliest": "2026-12-10", "latest": "2026-12-14"}]
    assert parse_stock("TENT-2P", doc, default_location="reno").stock == stock


def test_a_sku_only_the_supplier_has_round_trips_with_no_positions():
    from rates.wire.request import parse_stock
    from rates.wire.response import stock_document

    stock = SkuStock("X", lead_time_days=(3, 9), lead_time_location="reno")
    assert stock_document(stock)["locations"] == []
    assert parse_stock("X", stock_document(stock), default_location="reno").stock == stock
    assert parse_stock("X", {"lead_time_days": [3, 9]},
                       default_location="reno").stock.locations == ()
