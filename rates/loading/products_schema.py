"""The product catalog file (examples/products.yaml): per SKU, the platform ids that name
it, its tags, weight and size. See the comments in examples/products.yaml for the format.

It seeds the store's catalog when the service starts, as the inventory file seeds its
stock: SKUs the store does not hold yet are added, stored ones are left as the API and
Shopify's product webhooks made them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, post_load

from rates.domain.products import Dimensions, Product
from rates.loading.fields import ByKey, Count, Quoted
from rates.loading.strict import Strict


class PlatformId(fields.Field[str]):
    """A platform's numeric id (Shopify's variant and product ids), as a whole number or
    its digits in quotes; kept as text, as the platform's JSON is read."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return str(value)
        if isinstance(value, str) and value.strip().isdigit():
            return value.strip()
        raise ValidationError(f"{value!r} is not an id: a whole number such as 40000000004")


class SizeSchema(Strict):
    length = Count(minimum=1, required=True)
    width = Count(minimum=1, required=True)
    height = Count(minimum=1, required=True)

    @post_load
    def _size(self, data: dict[str, Any], **kwargs: Any) -> Dimensions:
        return Dimensions(data["length"], data["width"], data["height"])


class ProductSchema(Strict):
    tags = fields.List(Quoted("tags"), load_default=list)
    variant_id = PlatformId(load_default=None)
    product_id = PlatformId(load_default=None)
    grams = Count(load_default=None)
    dimensions = fields.Nested(SizeSchema, load_default=None)


PRODUCTS = ByKey(keys=Quoted("SKUs"), values=fields.Nested(ProductSchema))


def products(data: Any) -> Mapping[str, Product]:
    """Products by SKU; raises marshmallow's ValidationError listing every problem."""
    loaded = PRODUCTS.deserialize({} if data is None else data)
    return {sku: Product(sku, frozenset(spec["tags"]), spec["variant_id"],
                         spec["product_id"], spec["grams"], spec["dimensions"])
            for sku, spec in loaded.items()}
