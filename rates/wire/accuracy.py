"""Promise accuracy on the wire: a delivered shipment read from the promise an order
keeps (`rates.wire.orders.promise_document`), and the accuracy report as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rates.domain.accuracy import (
    AccuracyReport,
    DeliveredShipment,
    Held,
    Row,
    ShipmentKey,
)
from rates.domain.history import ShipmentEvent
from rates.domain.stock import DateRange, Source


def delivered_shipment(promise: dict[str, Any], event: ShipmentEvent,
                       ) -> DeliveredShipment | None:
    """The shipment `event` delivered, as `promise` promised it; None when the promise has
    no such shipment. Dates are read in the offsets they were written in (the order's
    `ordered_at` as quoted, the event's instant as sent): see `DeliveredShipment`."""
    if not 1 <= event.shipment <= len(promise["shipments"]):
        return None
    shipment = promise["shipments"][event.shipment - 1]
    delivery = shipment["delivery"]
    suppliers = sorted({unit["supplier"] for unit in shipment["units"]
                        if unit["source"] != Source.ON_HAND and unit.get("supplier")})
    return DeliveredShipment(
        ShipmentKey(event.order, event.shipment), promise["option"]["plan"], event.carrier,
        event.service, tuple(suppliers),
        DateRange(date.fromisoformat(delivery["earliest"]),
                  date.fromisoformat(delivery["latest"])),
        event.at.date(), datetime.fromisoformat(promise["ordered_at"]).date())


def report_document(report: AccuracyReport) -> dict[str, Any]:
    """The report as JSON: counts as counted, shares as fractions (0..1) rounded to 4
    places, mean days to 2; lateness in calendar days (negative: early)."""
    widened = report.widened
    return {
        "overall": _held(report.overall),
        "by_supplier": _rows(report.by_supplier),
        "by_service": _rows(report.by_service),
        "by_plan": _rows(report.by_plan),
        "weeks": [{"week": f"{week.year}-W{week.week:02d}", "monday": week.monday.isoformat(),
                   "shipments": week.shipments, "inside": week.inside,
                   "share": round(week.share, 4),
                   "mean_promised_days": round(week.promised_days, 2),
                   "mean_actual_days": round(week.actual_days, 2)} for week in report.weeks],
        "widened": None if widened is None else {
            "shipments": widened.shipments, "inside": widened.inside,
            "share": _share(widened.share),
            "mean_days_added": round(widened.mean_days_added, 2)},
    }


def _rows(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    return [{"name": row.name, **_held(row.held)} for row in rows]


def _held(held: Held) -> dict[str, Any]:
    return {"shipments": held.shipments, "inside": held.inside, "early": held.early,
            "late": held.late, "share": _share(held.share),
            "median_lateness_days": held.median_lateness,
            "p90_lateness_days": held.p90_lateness}


def _share(share: float | None) -> float | None:
    return None if share is None else round(share, 4)
