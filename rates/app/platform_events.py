"""What a checkout platform's adapter hands the engine: its cart, and its order events.

Every platform (Shopify, BigCommerce, Saleor: `rates.platforms`) speaks its own JSON. Its
adapter translates a rate request into a `CheckoutCart` and an order webhook into a
`PlatformEvent`; from there one path serves them all (`rates.app.checkout`,
`rates.app.platform_orders`), so stock, the product catalog, the unknown-item policy,
"units nobody can supply get no rate", matching an order to its quote and applying each
delivery once hold alike on every platform. Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from rates.domain.products import Product
from rates.store import OrderStatus

PLATFORM_IDS = ("variant_id", "product_id")
"""The keys of a cart's line that are the platform's ids of the item, not the quote
request's: the checkout resolves the line through the product catalog by them
(`rates.app.products`), then drops them."""


@dataclass(frozen=True, slots=True)
class CheckoutCart:
    """A platform's cart as the engine's quote request.

    `payload` is a quote request without `ordered_at` (the service stamps it): `currency`,
    `destination` (`country`, and `region`, `postcode` where given), `lines` (`sku`,
    `quantity`, `grams`, `unit_price` as a decimal string in the currency's minor unit,
    and the platform's own ids of the item as text, `variant_id` / `product_id`, by
    which the product catalog resolves an item whose SKU it does not know), and `locale`
    where the platform gives one. Never a name, a street, a phone or an email.
    `origin` is the (country, postcode) the platform would ship from, for sourcing only.
    """

    payload: dict[str, Any]
    origin: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True, slots=True)
class NoCart:
    """Why an order's cart cannot be quoted (no shipping address, nothing that ships, an
    item the rate request would have refused): the order is then recorded as not
    promised, with this reason. Never personal data: it is logged."""

    reason: str


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """The rate the customer chose: its `code` (our option id; None: the order has no
    shipping line) and its price as (hundredths, currency) pairs, in every currency the
    platform gives it in (the shop's and the shopper's)."""

    code: str | None
    prices: frozenset[tuple[int, str]]

    def costs(self, amount: str, currency: str) -> bool:
        """Whether an option priced `amount` `currency` (a quote document's decimal
        string) is this price, compared in hundredths as platforms round a rate."""
        cents = hundredths(amount)
        return cents is not None and (cents, currency.upper()) in self.prices


def hundredths(amount: Any) -> int | None:
    """A decimal amount ("12.95", or 12.95 as a JSON number, read by its shortest
    decimal form) in integer hundredths (1295), rounded half up as a rate's price is;
    None if it is no finite amount. Shopify's rates are in hundredths whatever the
    currency, so a third decimal is lost there; every platform's prices are compared
    this way, by one rule."""
    if isinstance(amount, bool) or not isinstance(amount, str | int | float | Decimal):
        return None
    try:
        scaled = Decimal(str(amount).strip()) * 100
    except InvalidOperation:
        return None
    return int(scaled.to_integral_value(rounding=ROUND_HALF_UP)) if scaled.is_finite() else None


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    """A new order: ours is `order_id` ("<platform>-<the platform's id>"), placed at
    `created_at`, its shipping `choice`, and its `cart` as its checkout's rate request
    would have been translated (matched to that quote, or quoted again from it)."""

    order_id: str
    created_at: datetime
    choice: ShippingChoice
    cart: CheckoutCart | NoCart


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """`quantity` units of one item in a parcel, named as a checkout's line names it:
    `sku` (or "variant-<id>" for an item without one) and the platform's ids as text, by
    which the product catalog resolves it to the SKU the promise holds."""

    sku: str
    quantity: int
    variant_id: str | None = None
    product_id: str | None = None


@dataclass(frozen=True, slots=True)
class ParcelMoved:
    """A parcel of order `order_id` (a Shopify fulfillment), holding `lines`, handed to
    the carrier at `shipped_at` and delivered at `delivered_at` (None: not yet, or not
    said). A parcel is the platform's, not the promise's: which of the promise's
    shipments it carried is worked out from its lines (`rates.app.parcels`). The carrier
    and service are the promise's: a platform's carrier name is free text."""

    order_id: str
    lines: tuple[ParcelLine, ...]
    shipped_at: datetime
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OrderClosed:
    """An order cancelled or shipped at the platform, with the `parcels` it shipped in
    where the platform says (Shopify's orders/fulfilled carries its fulfillments)."""

    order_id: str
    status: OrderStatus
    parcels: tuple[ParcelMoved, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductsChanged:
    """Products created or updated at the platform, as the catalog's products."""

    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class Ignored:
    """An event the engine does nothing with: answered 2xx so the platform stops
    sending it again."""

    topic: str


PlatformEvent = OrderPlaced | OrderClosed | ParcelMoved | ProductsChanged | Ignored
