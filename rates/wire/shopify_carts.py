"""A Shopify cart's key: what ties an order to the quote its checkout was shown.

Shopify's order carries the code of the rate the customer chose (our option id) but not
the id of the quote that offered it, and the rate callback carries no cart or checkout id.
What both do carry is the cart itself: its lines and where it goes. `cart_key` reads them
from a rate request body (`{"rate": {...}}`, as the callback receives it, or as
`rates.wire.shopify_orders.rate_request_of` rebuilds it from an order) and hashes them with
the shop, so the callback stores the key with its quote and the order finds that quote
by one indexed lookup (`Store.quotes_for_cart`).

What counts, normalised so that the two sides agree however Shopify spells them:
- the shop's domain, lower case;
- each item that ships (`requires_shipping` not false) by its SKU, or `variant-<id>` for
  an item without one (as `quote_payload` names it), with its quantity; items of the same
  SKU are added up, and the order of the lines does not matter;
- the destination's country (upper case), province (upper case, without an ISO 3166-2
  country prefix: "JP-13" is "13") and postcode (upper case, without spaces: "K1M 1M4" is
  "K1M1M4"). Names, streets, prices and weights do not count: a price is matched
  separately, on the chosen rate.

The key is made from Shopify's own names of the items, before the product catalog
resolves them (`rates.app.products`): the callback and the order both hash the body as
Shopify sent it, so they agree whatever the catalog says, and a catalog edit between the
rates and the order (a variant given a SKU, new tags) changes no key. Product ids do not
count.

Pure: the key is a SHA-256 hex digest; nothing personal can be read back from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

KEY_VERSION = 1
"""Part of every key: a change of what counts must change it, so old keys match nothing."""


def cart_key(shop: str, body: Any) -> str | None:
    """The key of the rate request `body` for `shop`, or None when it has no destination
    country or no item that ships (no quote can be made for it then)."""
    rate = body.get("rate") if isinstance(body, Mapping) else None
    if not isinstance(rate, Mapping):
        return None
    destination = _destination(rate.get("destination"))
    lines = _lines(rate.get("items"))
    if destination is None or not lines:
        return None
    text = json.dumps([KEY_VERSION, shop.strip().lower(), destination, lines],
                      separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _destination(value: Any) -> list[str] | None:
    if not isinstance(value, Mapping):
        return None
    country = _text(value.get("country")).upper()
    if not country:
        return None
    province = _text(value.get("province")).upper().removeprefix(country + "-")
    postcode = "".join(_text(value.get("postal_code")).upper().split())
    return [country, province, postcode]


def _lines(items: Any) -> list[list[Any]]:
    if not isinstance(items, list):
        return []
    units: dict[str, int] = {}
    for item in items:
        if not isinstance(item, Mapping) or item.get("requires_shipping") is False:
            continue
        name = _item_name(item)
        quantity = item.get("quantity")
        if name is None or not isinstance(quantity, int) or isinstance(quantity, bool):
            continue
        units[name] = units.get(name, 0) + quantity
    return [[name, units[name]] for name in sorted(units)]


def _item_name(item: Mapping[str, Any]) -> str | None:
    """An item's SKU, or `variant-<id>` for an item without one, or None."""
    sku = _text(item.get("sku"))
    if sku:
        return sku
    variant = item.get("variant_id")
    if isinstance(variant, bool):
        return None
    variant_text = str(variant).strip() if isinstance(variant, int | str) else ""
    return f"variant-{variant_text}" if variant_text else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
