"""A checkout cart's key: what ties a platform's order to the quote its checkout was shown.

A platform's order carries the code of the rate the customer chose (our option id) but
not the id of the quote that offered it, and a rate request carries no order id. What both
do carry is the cart itself: its lines and where it goes. The adapter translates each
into a `CheckoutCart` the same way, `cart_key` hashes it with the store, the quote is
stored with its key, and the order finds that quote by one indexed lookup
(`Store.quotes_for_cart`).

What counts, normalised so that the two sides agree however a platform spells them:
- the store's key (`PlatformStore.key`: a Shopify domain, "bigcommerce/<hash>", ...);
- each line by its SKU as the platform named it (before the product catalog resolves
  it: a catalog edit between the rates and the order changes no key), with its
  quantity; lines of the same SKU are added up, and their order does not matter;
- the destination's country, region (upper case) and postcode (upper case, without
  spaces: "K1M 1M4" is "K1M1M4"). Names, streets, prices and weights do not count: a
  price is matched separately, on the chosen rate.

Pure: the key is a SHA-256 hex digest; nothing personal can be read back from it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rates.app.platform_events import CheckoutCart

KEY_VERSION = 1
"""Part of every key: a change of what counts must change it, so old keys match nothing."""


def cart_key(store: str, cart: CheckoutCart) -> str:
    """The key of `cart` at `store` (a store key, see the module docstring)."""
    payload = cart.payload
    destination = payload["destination"]
    place = [destination["country"].upper(), destination.get("region", "").upper(),
             "".join(destination.get("postcode", "").upper().split())]
    text = json.dumps([KEY_VERSION, store.strip().lower(), place, _units(payload["lines"])],
                      separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _units(lines: list[dict[str, Any]]) -> list[list[Any]]:
    units: dict[str, int] = {}
    for line in lines:
        units[line["sku"]] = units.get(line["sku"], 0) + line["quantity"]
    return [[sku, units[sku]] for sku in sorted(units)]
