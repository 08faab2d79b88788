"""The product catalog: what the merchant knows of each SKU beyond its stock.

A checkout platform names an item by its own ids and sends little else: Shopify's rate
callback carries no product tags, and an item without a SKU is known only by its variant
id. A `Product` keeps, per SKU, the platform ids that name it, its tags (which tag rules
such as `lines: {any: {tags: [oversize]}}` read) and its weight and dimensions, so a
checkout's item can be found by any of them and quoted as the SKU it is.

Dimensions are kept and served, but no rule or rate table reads them yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dimensions:
    """A packed unit's size, in whole millimetres."""

    length: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Product:
    """One SKU of the catalog. `variant_id` and `product_id` are the platform's (Shopify's
    numeric ids, as text); None when unknown. `grams` None: the catalog does not know."""

    sku: str
    tags: frozenset[str] = frozenset()
    variant_id: str | None = None
    product_id: str | None = None
    grams: int | None = None
    dimensions: Dimensions | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a checkout's item is quoted: under `sku`, with these catalog `tags` added and
    `grams` when the item gives none. `product` None: the catalog does not know it."""

    sku: str
    tags: frozenset[str] = frozenset()
    grams: int | None = None
    product: Product | None = None


def resolve(sku: str | None, variant_id: str | None, product_id: str | None, *,
            fallback: str, products: Iterable[Product]) -> Resolution:
    """The item named by `sku`, else `variant_id`, else `product_id`, among `products`
    (those the catalog holds for the cart's ids; a variant claimed by two SKUs goes to
    the first given). A product id names a SKU only when the catalog has exactly one SKU
    of that product: with several, the item is still one of them, so it keeps `fallback`
    (which the inventory may know) but takes the tags every SKU of the product has, as
    the platform's tags are the product's. Nothing found: `fallback`, no tags."""
    known = list(products)
    found = (_first(known, lambda p: p.sku == sku) if sku else None) or (
        _first(known, lambda p: p.variant_id == variant_id) if variant_id else None)
    if found is None and product_id:
        siblings = [product for product in known if product.product_id == product_id]
        if len(siblings) == 1:
            found = siblings[0]
        elif siblings:
            shared = frozenset.intersection(*(product.tags for product in siblings))
            return Resolution(fallback, shared)
    if found is None:
        return Resolution(fallback)
    return Resolution(found.sku, found.tags, found.grams, found)


def _first(products: list[Product], test: Callable[[Product], bool]) -> Product | None:
    return next((product for product in products if test(product)), None)
