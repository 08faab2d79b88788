"""Shopify's fulfillments as parcels: when each left, and when it was delivered.

Pure: no Flask, no store, no clock. `rates.platforms.shopify.orders` dispatches the
fulfillments/create and fulfillments/update topics here, and reads orders/fulfilled's
fulfillments with `parcels_of`; `rates.app.parcels` works out which of the promise's
shipments each parcel carried.

Shopify's side, as documented (shopify.dev, the REST Fulfillment resource, and the
Webhooks reference's sample payloads for fulfillments/create and fulfillments/update):
- a fulfillment: `id`, `order_id` (a number), `status` ("pending", "open", "success",
  "cancelled", "error", "failure": only "success" has left the shop), `created_at` and
  `updated_at` (ISO 8601 with offset), `shipment_status` (the carrier's latest word:
  "label_printed", ..., "in_transit", "out_for_delivery", "delivered", "failure"; null
  without tracking), `tracking_company` (free text: not read, the promise's carrier and
  service stand) and `line_items` (`sku`, `variant_id`, `product_id`, `quantity`,
  `requires_shipping`).
- an order carries its fulfillments in `fulfillments`.

A parcel is shipped at its fulfillment's `created_at` (a fulfillment is made as it
ships, and that instant never changes, so every update of it names the same one), and
delivered at its `updated_at` once `shipment_status` is "delivered": the update that
said so, so the first such delivery dates it and a later update of a delivered
fulfillment is another instant for a recorded event (answered `conflict`, the first
kept). fulfillment_events/create is not read: its payload names the fulfillment by id
only, not its line items, and this service keeps no fulfillment ids to tie it to the
shipments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rates.app.platform_events import Ignored, ParcelLine, ParcelMoved
from rates.domain.errors import InvalidRequest
from rates.platforms.reading import iso_instant, numeric_ids, text_of
from rates.platforms.shopify.rates import item_name

FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
SHIPPED = "success"
DELIVERED = "delivered"


def fulfillment_event(topic: str, body: Any, *, prefix: str) -> ParcelMoved | Ignored:
    """The parcel a fulfillment topic's `body` tells of, for our order `prefix` and its
    `order_id`; Ignored for a fulfillment that has not shipped. InvalidRequest for a body
    without an `order_id`, or a shipped one without its `created_at`."""
    fulfillment = body if isinstance(body, Mapping) else {}
    order = fulfillment.get("order_id")
    if isinstance(order, bool) or not isinstance(order, int | str) or not str(order).strip():
        raise InvalidRequest("the Shopify fulfillment has no order_id", {
            "order_id": ["required: the fulfillment's order id"]})
    if text_of(fulfillment.get("status")) != SHIPPED:
        return Ignored(topic)
    parcel = parcel_of(fulfillment, f"{prefix}{str(order).strip()}")
    if parcel is None:
        raise InvalidRequest("the Shopify fulfillment has no created_at", {
            "created_at": ["required: an ISO 8601 instant with its UTC offset"]})
    return parcel


def parcels_of(order: Mapping[str, Any], order_id: str) -> tuple[ParcelMoved, ...]:
    """The shipped parcels of Shopify's `order` (our `order_id`), from its `fulfillments`;
    one that has not shipped, or has no `created_at`, is left out: it does not stop the
    order from closing."""
    found = order.get("fulfillments")
    fulfillments = found if isinstance(found, list) else []
    parcels = (parcel_of(each, order_id) for each in fulfillments
               if isinstance(each, Mapping) and text_of(each.get("status")) == SHIPPED)
    return tuple(parcel for parcel in parcels if parcel is not None)


def parcel_of(fulfillment: Mapping[str, Any], order_id: str) -> ParcelMoved | None:
    """The shipped `fulfillment` as a parcel of `order_id`; None without a `created_at`."""
    shipped_at = iso_instant(fulfillment.get("created_at"))
    if shipped_at is None:
        return None
    delivered = text_of(fulfillment.get("shipment_status")) == DELIVERED
    items = fulfillment.get("line_items")
    lines = tuple(line for line in (_line(item) for item in items
                                    if isinstance(item, Mapping))
                  if line is not None) if isinstance(items, list) else ()
    return ParcelMoved(order_id, lines, shipped_at,
                       iso_instant(fulfillment.get("updated_at")) if delivered else None)


def _line(item: Mapping[str, Any]) -> ParcelLine | None:
    """A line item that ships, named as the checkout named it; None for one that does not
    ship, has no name, or no whole positive quantity."""
    name, quantity = item_name(item), item.get("quantity")
    if (item.get("requires_shipping") is False or name is None
            or isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1):
        return None
    ids = numeric_ids(item)
    return ParcelLine(name, quantity, ids.get("variant_id"), ids.get("product_id"))
