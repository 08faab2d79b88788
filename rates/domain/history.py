"""What really happened after a promise: lots received, parcels shipped and delivered.

Promises are dated from the merchant's ETAs and the carriers' configured transit days.
These records are what came of them, kept so that the lateness model
(`rates.domain.lateness`) can learn how far each supplier and each carrier lane strays,
and so that support can say how well past promises held. They are facts, recorded once:
a later record never changes a promise already made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from rates.domain.stock import DateRange


@dataclass(frozen=True, slots=True)
class LotReceipt:
    """Lot `lot` of `sku` arrived at `location` on `received_on`. `promised` is the ETA
    the lot was first known with, which is what the supplier promised (later edits of
    its ETA are the supplier slipping, not a new promise); `supplier` is the lot's own,
    else the SKU's default (None: nobody named)."""

    sku: str
    lot: str
    location: str
    supplier: str | None
    promised: DateRange
    received_on: date


class ShipmentEventType(StrEnum):
    SHIPPED = "shipped"        # handed to the carrier
    DELIVERED = "delivered"    # the carrier delivered it


@dataclass(frozen=True, slots=True)
class ShipmentEvent:
    """Shipment `shipment` (numbered from 1, as the order document numbers them) of order
    `order` was shipped or delivered at instant `at` (aware), by `carrier`'s `service`
    (the promise's, unless the parcel went otherwise)."""

    order: str
    shipment: int
    type: ShipmentEventType
    at: datetime
    carrier: str
    service: str
