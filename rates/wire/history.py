"""What happened after a promise, on the wire: a lot's receipt and a shipment's events,
as requests (validated by marshmallow, every problem at once) and as documents.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from rates.domain.history import LotReceipt, ShipmentEvent, ShipmentEventType
from rates.wire.request_bounds import NAME
from rates.wire.request_fields import DAY_YEARS, INSTANT_YEARS, Text, WholeNumber
from rates.wire.response import date_range

MAX_SHIPMENTS = 1_000
"""Past any order's count of shipments: a larger number is refused before it is looked up."""


class ReceiptRequestSchema(Schema):
    lot = Text(required=True, validate=validate.Length(1, NAME), metadata={
        "description": "the lot's `id` in the SKU's stock", "example": "PO-1042"})
    received_on = fields.Date(required=True, validate=DAY_YEARS, metadata={
        "description": "the day the lot arrived, at its location: not after today there"})
    location = Text(validate=validate.Length(1, NAME), metadata={
        "description": "the lot's location: needed only when the SKU has a lot of this id "
                       "at several locations"})


class ShipmentEventRequestSchema(Schema):
    shipment = WholeNumber(required=True, validate=validate.Range(1, MAX_SHIPMENTS), metadata={
        "description": "the shipment's `number` in the order document (from 1)"})
    type = fields.String(required=True, validate=validate.OneOf(
        [kind.value for kind in ShipmentEventType]))
    at = fields.AwareDateTime(required=True, validate=INSTANT_YEARS, metadata={
        "description": "when it happened, with its UTC offset; not later than 5 minutes "
                       "from now"})
    carrier = Text(validate=validate.Length(1, NAME), metadata={
        "description": "default: the promise's carrier"})
    service = Text(validate=validate.Length(1, NAME), metadata={
        "description": "default: the promise's service"})


def days_late(receipt: LotReceipt) -> int:
    """Calendar days from the promised latest to the day received: negative if early."""
    return (receipt.received_on - receipt.promised.latest).days


def receipt_document(receipt: LotReceipt) -> dict[str, Any]:
    return {"sku": receipt.sku, "lot": receipt.lot, "location": receipt.location,
            "supplier": receipt.supplier, "promised": date_range(receipt.promised),
            "received_on": receipt.received_on.isoformat(), "days_late": days_late(receipt)}


def event_entry(event: ShipmentEvent) -> dict[str, Any]:
    """An event as the order document lists it under its shipment."""
    return {"type": event.type.value, "at": event.at.isoformat(), "carrier": event.carrier,
            "service": event.service}


def event_document(event: ShipmentEvent) -> dict[str, Any]:
    return {"order_id": event.order, "shipment": event.shipment, **event_entry(event)}
