"""BigCommerce's order webhooks and v2 orders, as our events.

Fixtures, saved verbatim from BigCommerce's documentation (developer.bigcommerce.com):
- `fixtures/webhook_order_created.json`: "Example callback payload object", Webhook
  Events (https://developer.bigcommerce.com/docs/integrations/webhooks/events);
- `fixtures/webhook_order_status_updated.json`: the `store/order/statusUpdated` example
  of the same page (its source file in BigCommerce's docs repository, which is valid JSON:
  the page's copy has `//` comments);
- `fixtures/order.json`, `order_products.json`, `order_shipping_addresses.json`: the
  examples of Get an Order ("Response"), List Order Products and Get Order Shipping
  Addresses, and `order_shipping_quote.json` the "Fedex" example of Get Consignment
  Shipping Quotes, in the v2 Orders reference
  (https://developer.bigcommerce.com/docs/rest-management/orders), converted from the
  reference's YAML to JSON;
- `store_information.json`: Get Store Information's example
  (https://developer.bigcommerce.com/docs/rest-management/store-information).
The examples come from different orders (218, 149, 229): BigCommerce documents each
resource alone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rates.app.platform_events import (
    CheckoutCart,
    Ignored,
    NoCart,
    OrderClosed,
    OrderPlaced,
    ShippingChoice,
)
from rates.domain.errors import InvalidRequest
from rates.platforms.bigcommerce.orders import (
    ORDER_CREATED,
    STATUS_UPDATED,
    delivery_of,
    order_event,
    state_code,
)
from rates.settings import Limits
from rates.store import OrderStatus

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = Limits()


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def event(scope: str = ORDER_CREATED, *, order: Any = None, addresses: Any = None,
          quote: Any = None) -> Any:
    return order_event(scope, order or fixture("order.json"), fixture("order_products.json"),
                       fixture("order_shipping_addresses.json")[:1] if addresses is None
                       else addresses, store_hash="abc123", limits=LIMITS,
                       weight_unit="Ounces", shipping_quote=quote)


# -- the callback ---------------------------------------------------------------------------


def test_the_documented_callbacks_are_deliveries_of_order_250() -> None:
    created = delivery_of(fixture("webhook_order_created.json"))
    updated = delivery_of(fixture("webhook_order_status_updated.json"))
    assert (created.scope, created.order_number) == (ORDER_CREATED, 250)
    assert (updated.scope, updated.order_number) == (STATUS_UPDATED, 250)
    assert len(created.delivery_id) == 64 and created.delivery_id != updated.delivery_id


def test_a_retry_is_the_same_delivery_whatever_its_key_order() -> None:
    body = fixture("webhook_order_created.json")
    again = json.loads(json.dumps(dict(reversed(list(body.items())))))
    assert delivery_of(again) == delivery_of(body)


def test_two_callbacks_with_the_same_hash_are_two_deliveries() -> None:
    # BigCommerce's hash is of `data` alone: an order's updated callback has the created
    # one's hash, and its status updates may too. Neither must pass for a duplicate.
    created = fixture("webhook_order_created.json")
    updated = {**created, "scope": "store/order/updated"}
    later = {**created, "created_at": created["created_at"] + 60}
    ids = {delivery_of(body).delivery_id for body in (created, updated, later)}
    assert len(ids) == 3


@pytest.mark.parametrize(("body", "fields"), [
    ({"scope": "store/product/updated", "data": {"type": "product", "id": 3}},
     {"data.type": ['must be "order": only order webhooks are expected']}),
    ({"scope": "store/order/created", "data": {"type": "order", "id": "x"}},
     {"data.id": ["required: the order's id"]}),
    ({"data": {"type": "order", "id": 1}}, {"scope": ["required: the webhook's scope"]}),
    ("[]", {"_schema": ["must be a JSON object"]}),
])
def test_a_callback_that_is_no_order_webhook_is_refused(body: Any,
                                                        fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        delivery_of(body)
    assert caught.value.fields == fields


# -- a new order ------------------------------------------------------------------------------


def test_the_documented_order_is_placed_with_its_cart_as_the_rate_request_read_it() -> None:
    placed = event()
    assert placed == OrderPlaced(
        "bigcommerce-abc123-218",
        datetime(2019, 3, 5, 21, 40, 11, tzinfo=UTC),
        # The documented shipping quote (FedEx's, BigCommerce's own carrier) names no
        # rate_code or rate_id: no choice of ours. The address's base_cost is 12.99 USD.
        ShippingChoice(None, frozenset({(1299, "USD")})),
        CheckoutCart({
            "currency": "USD",
            # "Texas" as BigCommerce's address names it is TX, as the rate request codes it
            "destination": {"country": "US", "region": "TX", "postcode": "78251"},
            # 1.0000 oz is 28.35 g: 28; the bundled Able Brewing System weighs 0.
            "lines": [{"sku": "S-ORAN", "quantity": 1, "grams": 28, "unit_price": "55.99",
                       "product_id": "77"},
                      {"sku": "ABS", "quantity": 1, "grams": 0, "unit_price": "0.00",
                       "product_id": "86"}]}))
    assert placed.cart == event(quote=fixture("order_shipping_quote.json")).cart


def test_the_chosen_quote_is_named_by_the_code_bigcommerce_kept() -> None:
    quote = {**fixture("order_shipping_quote.json"), "provider_code": "carrier_33",
             "rate_code": "in_stock_first/ups/ground", "rate_id": "in_stock_first/ups/ground"}
    assert event(quote=quote).choice.code == "in_stock_first/ups/ground"
    assert event(quote={**quote, "rate_code": ""}).choice.code == "in_stock_first/ups/ground"


def test_a_shipping_cost_in_another_currency_is_also_read_in_the_stores() -> None:
    order = {**fixture("order.json"), "default_currency_code": "EUR",
             "store_default_currency_code": "USD",
             "store_default_to_transactional_exchange_rate": "0.9200000000"}
    address = {**fixture("order_shipping_addresses.json")[0], "base_cost": "12.0000"}
    # EUR 12.00 is 1200 hundredths; in USD 12.00 / 0.92 = 13.043..., 1304.
    choice = event(order=order, addresses=[address]).choice
    assert choice.prices == frozenset({(1200, "EUR"), (1304, "USD")})
    assert event(order=order, addresses=[address]).cart.payload["currency"] == "EUR"


def test_orders_that_cannot_be_one_cart_are_placed_without_one() -> None:
    addresses = fixture("order_shipping_addresses.json")
    assert event(addresses=addresses).cart == NoCart(
        "the order ships to 2 addresses; a rate request quotes one")
    assert event(addresses=[]).cart == NoCart("the order has no shipping address")
    digital = order_event(ORDER_CREATED, fixture("order.json"),
                          [{**p, "type": "digital"} for p in fixture("order_products.json")],
                          addresses[:1], store_hash="abc123", limits=LIMITS,
                          weight_unit="Ounces")
    assert isinstance(digital, OrderPlaced)
    assert digital.cart == NoCart("no product of the order is physical")
    tiny = order_event(ORDER_CREATED, fixture("order.json"), fixture("order_products.json"),
                       addresses[:1], store_hash="abc123", limits=Limits(max_lines=1),
                       weight_unit="Ounces")
    assert isinstance(tiny, OrderPlaced)
    assert tiny.cart == NoCart("the order's cart would have been refused: base_options.items")


def test_products_are_weighed_in_the_stores_unit() -> None:
    # S-ORAN weighs 1.0000 in the store's unit: 1 lb is 453.59237 g, 454; 1 kg 1000 g.
    for unit, grams in (("LBS", 454), ("KGS", 1000), ("Grams", 1), ("Ounces", 28)):
        placed = order_event(ORDER_CREATED, fixture("order.json"),
                             fixture("order_products.json"),
                             fixture("order_shipping_addresses.json")[:1],
                             store_hash="abc123", limits=LIMITS, weight_unit=unit)
        assert isinstance(placed, OrderPlaced) and isinstance(placed.cart, CheckoutCart)
        assert placed.cart.payload["lines"][0]["grams"] == grams


def test_an_order_without_id_or_date_is_refused() -> None:
    with pytest.raises(InvalidRequest) as caught:
        event(order={**fixture("order.json"), "date_created": "yesterday"})
    assert list(caught.value.fields) == ["date_created"]
    with pytest.raises(InvalidRequest):
        event(order={**fixture("order.json"), "id": None})


# -- status updates -----------------------------------------------------------------------------


@pytest.mark.parametrize(("status_id", "expected"), [
    (2, OrderClosed("bigcommerce-abc123-218", OrderStatus.SHIPPED)),     # Shipped
    (10, OrderClosed("bigcommerce-abc123-218", OrderStatus.SHIPPED)),    # Completed
    (4, OrderClosed("bigcommerce-abc123-218", OrderStatus.CANCELLED)),   # Refunded
    (5, OrderClosed("bigcommerce-abc123-218", OrderStatus.CANCELLED)),   # Cancelled
    (6, OrderClosed("bigcommerce-abc123-218", OrderStatus.CANCELLED)),   # Declined
    (3, Ignored(STATUS_UPDATED)),                                        # Partially Shipped
    (7, Ignored(STATUS_UPDATED)),                                        # Awaiting Payment
    (11, Ignored(STATUS_UPDATED)),                                       # Awaiting Fulfillment
    (14, Ignored(STATUS_UPDATED)),                                       # Partially Refunded
])
def test_a_status_update_closes_the_order_by_its_documented_status_id(
        status_id: int, expected: Any) -> None:
    order = {**fixture("order.json"), "status_id": status_id}
    assert event(STATUS_UPDATED, order=order) == expected


def test_another_scope_is_ignored() -> None:
    assert event("store/order/archived") == Ignored("store/order/archived")


@pytest.mark.parametrize(("country", "name", "code"), [
    ("US", "Texas", "TX"), ("US", "texas", "TX"), ("CA", "Ontario", "ON"), ("US", "TX", "TX"),
    ("US", "Atlantis", ""), ("ZZ", "Texas", ""), ("US", "", ""),
])
def test_a_state_name_is_coded_as_the_rate_request_codes_it(country: str, name: str,
                                                            code: str) -> None:
    assert state_code(country, name) == code
