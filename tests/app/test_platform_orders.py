"""The platform order use case on its own clock, through Shopify's adapter: a quote is
judged valid when the order was placed, not when its webhook arrives, and a stale quote's
stock is quoted again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from rates.app.checkout import Refusal
from rates.app.platform_orders import PlatformOrders
from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.platforms.shopify.orders import shopify_event
from rates.platforms.shopify.rates import cart_of
from rates.settings import Shop
from rates.store import open_store
from tests.support.shopify import mixed_cart, order_for
from tests.support.web import NOW, SHOP
from tests.support.webhooks import ManualClock

CHOSEN = "in_stock_first/ups/ground"
SHOPIFY = Shop(SHOP, "RATES_SHOPIFY_SECRET")


@pytest.fixture
def service(example: Path, tmp_path: Path):
    clock = ManualClock(NOW)
    reloading = ReloadingSetup(example, clock)
    store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    store.seed_inventory(reloading.current.inventory, NOW)
    yield ShippingService(reloading, store, clock)
    store.close()


def checkout(service: ShippingService) -> dict:
    """The mixed cart quoted as the callback quotes it; the chosen option's rate."""
    cart = mixed_cart()
    limits = service.reloading.current.settings.limits
    served = service.checkout_quote(cart_of(cart, limits=limits), shop=SHOPIFY)
    assert not isinstance(served, Refusal)
    option = next(o for o in served.document["options"] if o["id"] == CHOSEN)
    return {"service_code": CHOSEN, "service_name": option["label"],
            "total_price": str(int(Decimal(option["price"]["amount"]) * 100))}


def test_a_webhook_retried_for_hours_still_accepts_the_quote_of_its_checkout(service):
    rate = checkout(service)
    created_at = (NOW + timedelta(minutes=1)).isoformat()
    service.clock.advance(30 * 3600)  # Shopify retried for 30 hours

    order = order_for(mixed_cart(), rate, created_at=created_at)
    applied = PlatformOrders(service, SHOPIFY).receive("w-1", "orders/create", lambda: (
        shopify_event("orders/create", order, limits=service.reloading.current.settings.limits)))

    assert applied.outcome == "promised"
    assert service.get_order(applied.order_id)["promise_source"] == "quote"


def test_an_order_after_the_quotes_lifetime_is_quoted_again(service):
    rate = checkout(service)
    service.clock.advance(25 * 3600)
    created_at = service.clock().isoformat()

    order = order_for(mixed_cart(), rate, created_at=created_at)
    applied = PlatformOrders(service, SHOPIFY).receive("w-1", "orders/create", lambda: (
        shopify_event("orders/create", order, limits=service.reloading.current.settings.limits)))

    assert applied.outcome == "requoted"
    order = service.get_order(applied.order_id)
    assert (order["promise_source"], order["option_id"]) == ("requoted", CHOSEN)
    assert order["ordered_at"] == created_at
