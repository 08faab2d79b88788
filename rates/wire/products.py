"""A product of the catalog on the wire: the body of `PUT /v1/products/{sku}` and the
document `GET /v1/products/{sku}` answers with.

Validated like a SKU's stock (`rates.wire.request.parse_stock`): every problem at once,
by field path ("dimensions.height"). Shopify's ids are digit strings, as its numeric ids
exceed what some JSON clients read exactly. Dimensions are whole millimetres; the catalog
keeps and serves them, but no rule or rate table reads them yet.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from rates.domain.products import Dimensions, Product
from rates.wire.request import MAX_GRAMS, load_document
from rates.wire.request_fields import Pattern, Text, WholeNumber

MAX_MM = 100_000  # 100 m: past that, a typo rather than a parcel
MAX_TAGS = 50
PLATFORM_ID = r"^[0-9]{1,30}$"


def _platform_id(what: str) -> Text:
    return Text(allow_none=True, validate=Pattern(
        PLATFORM_ID, error=f"must be Shopify's {what} id: digits only, e.g. \"40000000004\""),
        metadata={"description": f"Shopify's {what} id, as a string of digits"})


def _mm() -> fields.Integer:
    return WholeNumber(required=True, validate=validate.Range(1, MAX_MM))


class DimensionsSchema(Schema):
    length = _mm()
    width = _mm()
    height = _mm()

    @post_load
    def _size(self, data: dict[str, Any], **kwargs: Any) -> Dimensions:
        return Dimensions(data["length"], data["width"], data["height"])


class ProductSchema(Schema):
    """One SKU of the product catalog; every field optional (omitted: unknown, none)."""

    tags = fields.List(Text(validate=validate.Length(1, 100)), load_default=list,
                       validate=validate.Length(max=MAX_TAGS), metadata={
                           "description": "the product's tags, which tag rules read"})
    variant_id = _platform_id("variant")
    product_id = _platform_id("product")
    grams = WholeNumber(allow_none=True, validate=validate.Range(0, MAX_GRAMS), metadata={
        "description": "one unit's weight, used when a checkout's item gives none"})
    dimensions = fields.Nested(DimensionsSchema, allow_none=True, metadata={
        "description": "one packed unit's length, width and height in millimetres; kept "
                       "and served, not yet read by any rule"})


_PRODUCT = ProductSchema()


def parse_product(sku: str, payload: Any) -> Product:
    """The product of `sku` from its JSON document; `InvalidRequest` if malformed."""
    data = load_document(_PRODUCT, payload, "product document")
    return Product(sku, frozenset(data["tags"]), data.get("variant_id"),
                   data.get("product_id"), data.get("grams"), data.get("dimensions"))


def product_document(product: Product) -> dict[str, Any]:
    """The product as `GET /v1/products/{sku}` answers: unknown fields are null."""
    size = product.dimensions
    return {"sku": product.sku, "tags": sorted(product.tags),
            "variant_id": product.variant_id, "product_id": product.product_id,
            "grams": product.grams,
            "dimensions": None if size is None else {
                "length": size.length, "width": size.width, "height": size.height}}
