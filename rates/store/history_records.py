"""The store's record of what happened after a promise: the lot ledger and its receipts,
shipment events, and the counts a lateness model was built from (`rates.domain.history`,
`rates.app.history_counts`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from rates.domain.history import LotReceipt, ShipmentEvent
from rates.store.base import WebhookReceipt
from rates.store.codec import aware, json_text, json_value
from rates.store.connected import Connected, distinct
from rates.store.rows import (
    EVER,
    instant,
    lot_receipt_of,
    receipt_params,
    receiving_params,
    shipment_event_of,
    shipment_event_params,
)


class HistoryRecords(Connected):
    """The `Store` methods of what happened (see `rates.store.base.Store`)."""

    def receive_lot(self, receipt: LotReceipt, recorded_at: datetime,
                    ) -> tuple[LotReceipt, bool]:
        row = receiving_params(receipt, recorded_at)
        with self._write() as connection:
            # A lot the ledger lacks (stored before it existed) joins it as received; the
            # update then marks it received unless a receipt already did.
            self._sql.add_lot.run(connection, row)
            received = self._sql.receive_lot.run(connection, row) == 1
            [stored] = self._sql.lot.rows(connection, row)
        return lot_receipt_of(stored), received

    def receipts_of(self, sku: str, lot: str) -> list[LotReceipt]:
        with self._read() as connection:
            rows = self._sql.lot_received.rows(connection, {"target_sku": sku,
                                                            "target_lot": lot})
        return [lot_receipt_of(row) for row in rows]

    def lot_receipts(self, since: date | None = None) -> list[LotReceipt]:
        with self._read() as connection:
            rows = self._sql.lot_receipts.rows(connection, {"since": since or date.min})
        return [lot_receipt_of(row) for row in rows]

    def record_shipment_event(self, event: ShipmentEvent, recorded_at: datetime,
                              receipt: WebhookReceipt | None = None,
                              ) -> tuple[ShipmentEvent, bool]:
        row = shipment_event_params(event, recorded_at)
        received = None if receipt is None else receipt_params(receipt)
        with self._write() as connection:
            added = self._sql.add_shipment_event.run(connection, row) == 1
            [stored] = self._sql.shipment_event.rows(connection, row)
            self._receipt(connection, received)
        return shipment_event_of(stored), added

    def shipment_events(self, *, order_ids: Iterable[str] | None = None,
                        since: datetime | None = None) -> list[ShipmentEvent]:
        params = {"since": instant(since) or EVER}
        with self._read() as connection:
            if order_ids is None:
                rows = self._sql.shipment_events.rows(connection, params)
            else:
                rows = self._sql.shipment_events_of.rows(
                    connection, {**params, "ids": distinct(order_ids)})
        return [shipment_event_of(row) for row in rows]

    def save_calibration(self, calibration_id: str, observations: dict[str, Any],
                         stored_at: datetime) -> None:
        # In UTC, so that SQLite's text orders them by instant as PostgreSQL's timestamptz.
        row = {"id": calibration_id, "observations": json_text(observations),
               "stored_at": aware(stored_at).astimezone(UTC)}
        with self._write() as connection:
            self._sql.save_calibration.run(connection, row)

    def latest_calibration(self) -> str | None:
        with self._read() as connection:
            rows = self._sql.latest_calibration.rows(connection, {})
        return rows[0][0] if rows else None

    def get_calibration(self, calibration_id: str) -> dict[str, Any] | None:
        with self._read() as connection:
            rows = self._sql.calibration.rows(connection, {"id": calibration_id})
        return json_value(rows[0][0]) if rows else None
