"""What happened to an order's shipments: shipped, then delivered, each recorded once
(`POST /v1/orders/{id}/events`, and the platforms' fulfillment webhooks through `record`).

An event is a fact about a parcel, kept to measure how long carriers really take; it never
changes the order or its promise (an order is closed by `POST /v1/orders/{id}/close` or
its platform). The same event again (same instant) answers as before; the same shipment
and type at another instant is a conflict: facts are not edited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rates.domain.errors import Conflict, InvalidRequest, NotFound
from rates.domain.history import ShipmentEvent, ShipmentEventType
from rates.store import Store, WebhookReceipt
from rates.wire.history import ShipmentEventRequestSchema, event_document
from rates.wire.request import load_document

_REQUEST = ShipmentEventRequestSchema()
CLOCK_SKEW = timedelta(minutes=5)
"""How far past now an event's instant may be: the sender's clock may run a little ahead."""


@dataclass(frozen=True, slots=True)
class ShipmentEvents:
    store: Store
    clock: Callable[[], datetime]

    def post(self, order_id: str, payload: Any) -> tuple[dict[str, Any], bool]:
        """`POST /v1/orders/{id}/events`: (the event document, True if new)."""
        request = load_document(_REQUEST, payload, "shipment event")
        return self.record(order_id, request["shipment"], ShipmentEventType(request["type"]),
                           request["at"], carrier=request.get("carrier"),
                           service=request.get("service"))

    def record(self, order_id: str, shipment: int, kind: ShipmentEventType, at: datetime, *,
               carrier: str | None = None, service: str | None = None,
               receipt: WebhookReceipt | None = None) -> tuple[dict[str, Any], bool]:
        """Record that shipment `shipment` (from 1) of order `order_id` was shipped or
        delivered at `at` (aware), by `carrier`'s `service` (default: the promise's).
        (The event document, True if new.) NotFound for an unknown order; InvalidRequest
        for a shipment the promise does not have, an instant after now (give or take
        `CLOCK_SKEW`), or a delivery before its shipping (or the reverse); Conflict when
        this shipment's event of this type was recorded at another instant. `receipt`, the
        webhook delivery that said so, is recorded with the event."""
        order = self.store.get_order(order_id)
        if order is None:
            raise NotFound(f"no order {order_id!r}", {"order_id": [f"no order {order_id!r}"]})
        count = len(order.promise["shipments"])
        if not 1 <= shipment <= count:
            raise InvalidRequest(f"order {order_id} has no shipment {shipment}", {
                "shipment": [f"order {order_id} has {count} shipment(s): give 1 to {count}"]})
        now = self.clock()
        if at > now + CLOCK_SKEW:
            raise InvalidRequest("a shipment event cannot be in the future", {
                "at": [f"is after now ({now.isoformat()})"]})
        option = order.promise["option"]
        event = ShipmentEvent(order_id, shipment, kind, at, carrier or option["carrier"],
                              service or option["service"])
        self._in_order(event)
        stored, new = self.store.record_shipment_event(event, now, receipt)
        if stored.at != event.at:
            said = (f"shipment {shipment} was recorded {kind.value} at "
                    f"{stored.at.isoformat()}")
            raise Conflict(said, {"at": [said]})
        return event_document(stored), new

    def _in_order(self, event: ShipmentEvent) -> None:
        """InvalidRequest if `event` puts a delivery before its shipping."""
        for other in self.store.shipment_events(order_ids=[event.order]):
            if other.shipment != event.shipment or other.type is event.type:
                continue
            shipped, delivered = ((other, event) if event.type is ShipmentEventType.DELIVERED
                                  else (event, other))
            if delivered.at < shipped.at:
                raise InvalidRequest("a shipment is delivered after it is shipped", {"at": [
                    f"shipment {event.shipment} was {other.type.value} at "
                    f"{other.at.isoformat()}: a delivery comes after its shipping"]})
