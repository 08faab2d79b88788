"""How well promises held, from the store: the shipments delivered since a date, each
measured against the window its order promised (`rates.domain.accuracy`).

What `rates calibrate` prints and the console's Promise accuracy page shows. It reads
in two queries whatever the number of orders, the shipment events since the date and the
orders they name, and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from rates.domain.accuracy import AccuracyReport, ShipmentKey, accuracy_report
from rates.domain.history import ShipmentEventType
from rates.store import OrderRecord, OrderStatus, Store
from rates.wire.accuracy import delivered_shipment

DEFAULT_DAYS = 90
"""How far back a report looks unless told: about one quarter of deliveries."""

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

WIDEST_OFFSET = timedelta(hours=24)
"""More than any UTC offset: a delivery on local date D happened after D 00:00 UTC less
this, so the store is asked from there and the local date decides."""


def parse_since(text: str) -> date:
    """A report's first day, written YYYY-MM-DD and nothing else (Python would also take
    20260901 or 2026-W36-2); ValueError, saying how to write one, if not."""
    try:
        if DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:  # the right shape, but no such day (2026-02-30)
        pass
    raise ValueError(f"{text!r} is not a date written YYYY-MM-DD, e.g. 2026-09-01")


@dataclass(frozen=True, slots=True)
class Accuracy:
    """The report of the shipments delivered on or after `since` (their local dates, see
    `DeliveredShipment`), made `as_of`. `skipped` counts the delivered events left out:
    their order is not stored, was cancelled, or has no such shipment."""

    since: date
    as_of: datetime
    report: AccuracyReport
    skipped: int
    target: float | None = None
    """The target confidence the report's widened dates were weighed to, if any."""


Widening = Callable[[OrderRecord, int], date | None]
"""The latest day a lateness target would have given shipment n of an order (None: it
cannot say): `rates.app.calibration.widened_latest`."""


@dataclass(frozen=True, slots=True)
class PromiseAccuracy:
    """`widening`, when given, is measured too: what `target` would have changed."""

    store: Store
    clock: Callable[[], datetime]
    widening: Widening | None = None
    target: float | None = None

    def default_since(self) -> date:
        """DEFAULT_DAYS before the clock's date (in the clock's own offset)."""
        return self.clock().date() - timedelta(days=DEFAULT_DAYS)

    def measure(self, since: date | None = None) -> Accuracy:
        """The report since `since` (default: `default_since`)."""
        as_of = self.clock()
        since = since or self.default_since()
        events = [event for event in self.store.shipment_events(since=_scan_start(since))
                  if event.type is ShipmentEventType.DELIVERED and event.at.date() >= since]
        orders = {order.id: order for order in
                  self.store.get_orders({event.order for event in events})} if events else {}
        shipments = []
        widened: list[tuple[ShipmentKey, date]] = []
        for event in events:
            order = orders.get(event.order)
            found = (delivered_shipment(order.promise, event)
                     if order and order.status is not OrderStatus.CANCELLED else None)
            if order and found:
                shipments.append(found)
                later = self.widening and self.widening(order, event.shipment)
                widened.append((found.key, max(later or found.promised.latest,
                                               found.promised.latest)))
        return Accuracy(since, as_of, accuracy_report(
            shipments, widened if self.widening else None), len(events) - len(shipments),
            self.target if self.widening else None)


def _scan_start(since: date) -> datetime:
    start = datetime.combine(since, time.min, tzinfo=UTC)
    return start - WIDEST_OFFSET if since > date.min else start
