"""Shopify's product topics (`products/create`, `products/update`) as catalog products.

Pure: no Flask, no store. Shopify's REST Product resource, which these topics deliver:
`id` (the product's), `tags` ("one comma-separated string", e.g. "oversize, tent"), and
`variants`, each with its own `id`, `sku` (may be empty), and its weight as `grams` or as
`weight` with `weight_unit` (g, kg, oz, lb; newer API versions may send neither).

Each variant with a SKU is one product of the catalog: its variant id, the product's id,
the product's tags, and the variant's weight in grams (None when Shopify gives none, which
leaves the stored weight). A variant without a SKU names nothing the catalog can hold; it
is skipped, as is one whose SKU no quote request could name (over 100 characters, a NUL)
and a tag the store cannot keep. Dimensions are not in Shopify's product; the stored ones
stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from rates.domain.errors import InvalidRequest
from rates.domain.products import Product
from rates.platforms.reading import MAX_ID_DIGITS, text_of
from rates.wire.request import storable

GRAMS_PER = {"g": Decimal(1), "kg": Decimal(1000), "oz": Decimal("28.349523125"),
             "lb": Decimal("453.59237")}
"""Shopify's weight units in grams (the avoirdupois ounce and pound)."""
MAX_SKU = 100  # as a quote request's line allows



def products_of(body: Any) -> tuple[Product, ...]:
    """The catalog products Shopify's product `body` describes, one per variant with a
    SKU. InvalidRequest when the body has no product `id`."""
    product_id = _id(body.get("id")) if isinstance(body, Mapping) else None
    if product_id is None:
        raise InvalidRequest("the Shopify product has no id",
                             {"id": ["required: the product's id"]})
    tags = tags_of(body.get("tags"))
    variants = body.get("variants")
    return tuple(
        Product(sku, tags, _id(variant.get("id")), product_id, grams_of(variant))
        for variant in (variants if isinstance(variants, list) else [])
        if isinstance(variant, Mapping) and (sku := text_of(variant.get("sku")))
        and len(sku) <= MAX_SKU and storable(sku))


def tags_of(value: Any) -> frozenset[str]:
    """Shopify's comma-separated tags ("oversize, tent") as a set; a list is read too."""
    parts = value.split(",") if isinstance(value, str) else (
        value if isinstance(value, list) else [])
    return frozenset(tag for part in parts if (tag := text_of(part)) and storable(tag))


def grams_of(variant: Mapping[str, Any]) -> int | None:
    """The variant's weight in whole grams: `grams`, else `weight` in `weight_unit`."""
    grams = variant.get("grams")
    if isinstance(grams, int) and not isinstance(grams, bool) and grams >= 0:
        return grams
    unit = GRAMS_PER.get(text_of(variant.get("weight_unit")).lower())
    weight = variant.get("weight")
    if unit is None or isinstance(weight, bool) or not isinstance(weight, int | float | str):
        return None
    try:
        amount = Decimal(str(weight).strip()) * unit
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def _id(value: Any) -> str | None:
    """Shopify's numeric id as text; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return text if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None
