"""Orders on the wire: the order request, the stored promise, and the order documents.

A promise is taken from the quote document the customer saw (not from a new quote): the
chosen option's shipments, each with the units it carries as the quote allocated them
(`allocations` refs into the quote's `lines`) and the transit days its window used. It is
stored as JSON in the order record and read back as a domain `Promise`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from marshmallow import Schema, fields, validate

from rates.domain.cart import Destination
from rates.domain.history import ShipmentEvent
from rates.domain.promise import (
    Cause,
    Estimate,
    Promise,
    PromisedShipment,
    PromisedUnit,
    ShipmentEstimate,
)
from rates.domain.stock import DateRange, Source
from rates.store import OrderRecord
from rates.wire.history import event_entry
from rates.wire.request_fields import Pattern, Text
from rates.wire.response import date_range
from rates.wire.workings import note, reason, step_facts

ORDER_ID = r"^[A-Za-z0-9][A-Za-z0-9._:#-]{0,99}$"


class OrderRequestSchema(Schema):
    order_id = Text(required=True, validate=Pattern(
        ORDER_ID, error="must be 1-100 letters, digits or . _ : # - (the shop's order id)"))
    quote_id = Text(required=True, validate=validate.Length(1, 100))
    option_id = Text(required=True, validate=validate.Length(1, 200), metadata={
        "example": "in_stock_first/ups/ground"})


class CloseOrderSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["shipped", "cancelled"]))


class PromiseSource(StrEnum):
    """Where an order's promise came from: the quote the customer was shown (`quote`), or,
    when that quote could not be found or accepted any more (a Shopify order whose quote
    expired or whose cart changed), a new quote of the order's cart made when the order
    arrived (`requoted`): its dates are then this service's, not necessarily the ones
    the customer saw."""

    QUOTE = "quote"
    REQUOTED = "requoted"


def promise_document(quote: dict[str, Any], request: dict[str, Any], option: dict[str, Any],
                     source: PromiseSource = PromiseSource.QUOTE) -> dict[str, Any]:
    """The promise JSON for `option` of the stored `quote` (made from `request`). An option
    the strategy sourced otherwise than the quote's first carries its own `lines`."""
    lines = option.get("lines") or quote["lines"]
    return {
        "promise_source": source.value,
        "ordered_at": quote["ordered_at"],
        "destination": request["destination"],
        "option": {key: option[key] for key in ("id", "plan", "label", "carrier", "service",
                                                "service_name", "price", "delivery")},
        "shipments": [
            {**{key: shipment[key] for key in ("location", "stock", "lines", "transit_days",
                                               "ready", "ships", "delivery", "price")},
             "units": [_unit(lines[line]["sku"], lines[line]["allocations"][index])
                       for line, index in shipment["allocations"]]}
            for shipment in option["shipments"]],
    }


def _unit(sku: str, allocation: dict[str, Any]) -> dict[str, Any]:
    """A promised unit: `supplier` is who restocks backordered units (None: on hand, or
    not named; a promise made before suppliers has none: read it with `get`)."""
    return {"sku": sku, "quantity": allocation["quantity"], "source": allocation["source"],
            "location": allocation["location"], "lot": allocation.get("lot"),
            "supplier": allocation.get("supplier"), "ready": allocation["ready"]}


def parse_promise(order_id: str, document: dict[str, Any]) -> Promise:
    """The promise `promise_document` wrote. Its destination is the request's, validated
    when the cart was quoted, so it is read as is: the at-risk sweep reads every promise."""
    destination = document["destination"]
    return Promise(
        order_id, datetime.fromisoformat(document["ordered_at"]),
        Destination(destination["country"], destination.get("region"),
                    destination.get("postcode")),
        tuple(PromisedShipment(
            shipment["location"], document["option"]["carrier"],
            (shipment["transit_days"][0], shipment["transit_days"][1]),
            tuple(PromisedUnit(unit["sku"], unit["quantity"], Source(unit["source"]),
                               unit["location"], _range(unit["ready"]), unit["lot"],
                               unit.get("supplier"))
                  for unit in shipment["units"]),
            _range(shipment["ready"]), _range(shipment["ships"]), _range(shipment["delivery"]))
            for shipment in document["shipments"]))


def _range(doc: dict[str, str]) -> DateRange:
    return DateRange(date.fromisoformat(doc["earliest"]), date.fromisoformat(doc["latest"]))


def order_document(order: OrderRecord, estimate: Estimate | None, as_of: datetime,
                   events: Sequence[ShipmentEvent] = ()) -> dict[str, Any]:
    """The order as support sees it: promised and current windows side by side, and what
    happened to each shipment (`events`, the order's, in the order of their instants). A
    closed order has no current estimate (`estimate` None)."""
    promise = order.promise
    current = estimate.delivery if estimate else None
    shipments = estimate.shipments if estimate else (None,) * len(promise["shipments"])
    return {
        "id": order.id, "quote_id": order.quote_id, "option_id": order.option_id,
        "reference": order.reference, "status": str(order.status),
        "accepted_at": order.accepted_at.isoformat(), "ordered_at": promise["ordered_at"],
        # Promises stored before sources were recorded all came from a quote.
        "promise_source": promise.get("promise_source", PromiseSource.QUOTE.value),
        "closed_at": order.closed_at.isoformat() if order.closed_at else None,
        "as_of": as_of.isoformat(),
        **{key: promise["option"][key] for key in ("label", "carrier", "service",
                                                   "service_name", "price")},
        "promised": promise["option"]["delivery"],
        "current": date_range(current) if current else None,
        "at_risk": bool(estimate and estimate.at_risk),
        "days_late": estimate.days_late if estimate else None,
        "shipments": [_shipment(number, doc, found, [
                          event_entry(event) for event in events if event.shipment == number])
                      for number, (doc, found) in enumerate(
                          zip(promise["shipments"], shipments, strict=True), start=1)],
    }


def _shipment(number: int, promised: dict[str, Any], found: ShipmentEstimate | None,
              events: list[dict[str, Any]]) -> dict[str, Any]:
    window = found.window if found else None
    return {
        "number": number, "location": promised["location"], "stock": promised["stock"],
        "lines": promised["lines"],
        "promised": {key: promised[key] for key in ("ready", "ships", "delivery")},
        "current": {"ready": date_range(window.ready), "ships": date_range(window.ships),
                    "delivery": date_range(window.delivery)} if window else None,
        "days_late": found.days_late if found else None,
        "causes": [cause_document(cause) for cause in found.causes] if found else [],
        "steps": [{"step": step.kind, "dates": date_range(step.dates),
                   "detail": note(step.facts), "facts": step_facts(step.facts),
                   "skipped": [{"date": day.isoformat(), "reason": why}
                               for day, why in step.skipped()]}
                  for step in window.steps] if window else [],
        "events": events,
    }


def cause_document(cause: Cause) -> dict[str, Any]:
    """The cause as JSON: the API's sentence (`reason`) and the facts it was made from."""
    return {"sku": cause.sku, "lot": cause.lot, "quantity": cause.quantity,
            "reason": reason(cause), "delay": cause.delay.value, "location": cause.location,
            "promised": date_range(cause.promised),
            "due": date_range(cause.due) if cause.due else None,
            "lot_quantity": cause.lot_quantity,
            "waits": [{"quantity": p.quantity, "source": str(p.source), "lot": p.lot,
                       "ready": date_range(p.ready) if p.ready else None}
                      for p in cause.waits]}


def at_risk_entry(order: OrderRecord, estimate: Estimate) -> dict[str, Any]:
    """One line of the at-risk list (and the body of the at-risk webhook event)."""
    current = estimate.delivery
    return {
        "id": order.id, "quote_id": order.quote_id, "reference": order.reference,
        "days_late": estimate.days_late,
        "promised": order.promise["option"]["delivery"],
        "current": date_range(current) if current else None,
        "causes": [cause_document(cause) for shipment in estimate.shipments
                   for cause in shipment.causes],
    }
