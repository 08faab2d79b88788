"""Lots marked received: `POST /v1/inventory/{sku}/receipts`, and a lot's `received_on` in
`PUT /v1/inventory/{sku}`.

A receipt only records: it measures the day the lot arrived against the ETA the lot was
first seen with (the supplier's promise; `Store.receive_lot`), which is what the lateness
model learns from. It does NOT change the stored stock: the lot's units may be claimed by
open orders, and what is on the shelves now is for the merchant's next PUT to say. A
receipt is a fact, recorded once: the same receipt again answers as before, another day
for a lot already received is a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from rates.app.reloading import ReloadingSetup
from rates.domain.errors import Conflict, InvalidRequest, NotFound
from rates.domain.history import LotReceipt
from rates.domain.stock import SkuStock
from rates.store import Store
from rates.wire.history import ReceiptRequestSchema, receipt_document
from rates.wire.request import LotArrival, load_document

_REQUEST = ReceiptRequestSchema()
_FIRST_DAWN = timezone(timedelta(hours=14))
"""Where a day begins first (Kiribati): today at a location the setup no longer has."""


@dataclass(frozen=True, slots=True)
class Receipts:
    reloading: ReloadingSetup
    store: Store
    clock: Callable[[], datetime]

    def receive(self, sku: str, payload: Any) -> tuple[dict[str, Any], bool]:
        """`POST /v1/inventory/{sku}/receipts`: (the receipt document, True if new)."""
        request = load_document(_REQUEST, payload, "receipt")
        arrival = LotArrival(request["lot"], request["received_on"], request.get("location"))
        try:
            stock = self.store.get_inventory(sku)
            if stock is None:
                raise NotFound(f"no inventory record for SKU {sku!r}",
                               {"sku": [f"no inventory record for SKU {sku!r}"]})
            receipt = self.checked(stock, arrival)
        except NotFound:
            # A receipt sent again after the merchant's PUT took the lot out of the stock
            # answers as the first did (or as a conflict): it is found in the ledger.
            recorded = [found for found in self.store.receipts_of(sku, arrival.lot)
                        if arrival.location in (None, found.location)]
            if len(recorded) != 1:
                raise
            receipt = replace(recorded[0], received_on=arrival.received_on)
        return self.record(receipt, arrival)

    def checked(self, stock: SkuStock, arrival: LotArrival) -> LotReceipt:
        """The receipt `arrival` stands for, its lot found in `stock`; NotFound if there is
        no such lot, InvalidRequest if it is at several locations and `arrival` names none,
        or if it was received after today at its location."""
        found = [(place.location, lot) for place in stock.locations for lot in place.inbound
                 if lot.id == arrival.lot
                 and arrival.location in (None, place.location)]
        if not found:
            where = f" at {arrival.location}" if arrival.location else ""
            message = f"SKU {stock.sku!r} has no lot {arrival.lot!r}{where}"
            raise NotFound(message, {"lot": [message]})
        if len(found) > 1:
            places = ", ".join(location for location, _ in found)
            raise InvalidRequest(f"lot {arrival.lot!r} is at {places}", {
                "location": [f"lot {arrival.lot} is at {places}: say which was received"]})
        [(location, lot)] = found
        today = self._today(location)
        if arrival.received_on > today:
            raise InvalidRequest(f"lot {arrival.lot!r} cannot be received after today", {
                arrival.field: [f"is after today ({today.isoformat()} at {location})"]})
        # The ledger keeps the ETA the lot was first seen with: this one serves a lot it
        # has not seen.
        return LotReceipt(stock.sku, arrival.lot, location, lot.supplier or stock.supplier,
                          lot.eta, arrival.received_on)

    def record(self, receipt: LotReceipt, arrival: LotArrival) -> tuple[dict[str, Any], bool]:
        """Record `receipt`: (its document, True if new); Conflict if its lot was recorded
        received on another day."""
        stored, new = self.store.receive_lot(receipt, self.clock())
        if stored.received_on != receipt.received_on:
            said = f"lot {receipt.lot} was recorded received on {stored.received_on.isoformat()}"
            raise Conflict(said, {arrival.field: [said]})
        return receipt_document(stored), new

    def _today(self, location: str) -> date:
        known = self.reloading.current.catalog.locations.get(location)
        return self.clock().astimezone(known.timezone if known else _FIRST_DAWN).date()

