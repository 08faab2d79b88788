"""The product catalog at a checkout: each item quoted as the SKU the catalog says it is.

A checkout platform names its items in its own terms, and its rate request may carry no
product tags (Shopify's sends none). Before a checkout's cart is quoted
(`ShippingService.checkout_quote`), each line is resolved through the store's catalog
(`rates.domain.products.resolve`): by its SKU, else its variant id, else its product id.
A line found is quoted under the catalog's SKU, with the catalog's tags added to its own
(so tag rules such as `no-oversize-by-usps` fire) and the catalog's weight where the item
gives none (Shopify sends `grams: 0` for a variant without a weight). A line not found
keeps its SKU (`variant-<id>` for an item without one) and is left to the shop's
`unknown_items` policy, as before.

The platform's ids leave the line here: the quote request, and the stored quote, name
SKUs only. A cart's key (`rates.app.cart_keys`) is made from the platform's own names of
the items, before any of this, so a catalog edit between the rates and the order changes
no key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rates.app.platform_events import PLATFORM_IDS
from rates.domain.products import Product, resolve


def catalog_ids(payload: Mapping[str, Any]) -> dict[str, list[str]]:
    """The ids of the cart's lines, by kind, as `Store.products_for` takes them."""
    lines = [line for line in payload.get("lines", ()) if isinstance(line, Mapping)]
    return {"skus": [line["sku"] for line in lines if isinstance(line.get("sku"), str)],
            "variant_ids": [line["variant_id"] for line in lines if "variant_id" in line],
            "product_ids": [line["product_id"] for line in lines if "product_id" in line]}


def with_products(payload: Mapping[str, Any], products: Iterable[Product]) -> dict[str, Any]:
    """`payload` (a checkout's quote request) with each line resolved through `products`
    (the catalog's products for the cart's ids) and without the platform's ids."""
    known = list(products)
    return {**payload, "lines": [_resolved(line, known) for line in payload["lines"]]}


def _resolved(line: Mapping[str, Any], products: list[Product]) -> dict[str, Any]:
    found = resolve(line["sku"], line.get("variant_id"), line.get("product_id"),
                    fallback=line["sku"], products=products)
    resolved = {key: value for key, value in line.items() if key not in PLATFORM_IDS}
    resolved["sku"] = found.sku
    if found.tags:
        resolved["tags"] = sorted({*line.get("tags", ()), *found.tags})
    if found.grams is not None and not line.get("grams"):
        resolved["grams"] = found.grams
    return resolved
