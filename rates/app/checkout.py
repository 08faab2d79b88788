"""A checkout platform's cart, made whole before it is quoted, and why it may get no rate.

Shared by every platform adapter (Shopify today), so the policies hold the same for all:

- **Every unit or no rate.** A rate covers every unit of the cart. Units nothing can
  supply (beyond a SKU's backorder limit, or no stock anywhere) would otherwise be left
  out of the shipments, undercharging the shopper and promising a date for goods that
  cannot ship; such a cart gets no rate (or the shop's fallback rate) and the refusal is
  counted by reason.
- **Items the inventory does not know** follow the shop's `unknown_items` policy:
  `in_stock` quotes them as on hand at the origin location, `refuse` gives no rate.
- **The checkout's origin** (the warehouse the platform would ship from) selects the
  configured location with the same country and postcode; it is sourced from first. No
  match leaves sourcing as configured.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from rates.domain.cart import postcode_key
from rates.domain.catalog import Location
from rates.domain.quote.result import Quote
from rates.settings import UnknownItems


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a checkout gets no rate: `reason` is a metric label (`unsuppliable`,
    `unknown_item`), `skus` the SKUs to blame. No personal data: safe to log."""

    reason: str
    skus: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.reason}: {', '.join(self.skus)}"


def origin_location(locations: Mapping[str, Location], country: str | None,
                    postcode: str | None) -> str | None:
    """The configured location at the checkout's origin address (same country and
    postcode, spaces and case aside), or None."""
    if not country or not postcode:
        return None
    wanted = (country.upper(), postcode_key(postcode))
    for location in locations.values():
        if (location.country, postcode_key(location.postcode)) == wanted:
            return location.id
    return None


def with_unknown_items(payload: Mapping[str, Any], known: Collection[str], *,
                       policy: UnknownItems, location: str) -> dict[str, Any] | Refusal:
    """`payload` (a quote request) with each line whose SKU is not in `known` made whole
    by `policy`: under `in_stock`, its units on hand at `location`; under `refuse`, a
    `Refusal` naming those SKUs. Lines that carry their own stock are left as they are."""
    lines = payload["lines"]
    unknown = [line for line in lines if "stock" not in line and line["sku"] not in known]
    if not unknown:
        return dict(payload)
    if policy is UnknownItems.REFUSE:
        return Refusal("unknown_item", tuple(line["sku"] for line in unknown))
    return {**payload, "lines": [
        {**line, "stock": {"location": location, "on_hand": line["quantity"]}}
        if line in unknown else line for line in lines]}


def unsupplied(quote: Quote) -> Refusal | None:
    """A `Refusal` when some units of the cart cannot be supplied, else None."""
    short = tuple(line.sku for line in quote.lines if line.unavailable)
    return Refusal("unsuppliable", short) if short else None
