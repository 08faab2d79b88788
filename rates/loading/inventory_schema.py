"""The inventory file (examples/inventory.yaml): each SKU's stock by location, inbound
lots, supplier and supplier lead time. See the comments in examples/inventory.yaml for the format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.loading.checks import Check, Finding
from rates.loading.fields import ByKey, Choice, Count, Day, DayRange, Quoted
from rates.loading.strict import Strict
from rates.wire.request_bounds import SUPPLIER, SUPPLIER_RULE, whole_text


def _supplier() -> fields.String:
    """Who restocks a SKU or sends a lot, named as the API names it."""
    return fields.String(load_default=None, validate=validate.Regexp(
        whole_text(SUPPLIER), error=SUPPLIER_RULE))


class LotSchema(Strict):
    id = fields.String(load_default=None)
    quantity = Count(minimum=1, required=True)
    earliest = Day(required=True)
    latest = Day(required=True)
    committed = Count(load_default=0)
    supplier = _supplier()

    @validates_schema
    def _consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["latest"] < data["earliest"]:
            raise ValidationError({"latest": [f"is before earliest {data['earliest']}"]})
        if data["committed"] > data["quantity"]:
            raise ValidationError({"committed": [f"is more than the lot's {data['quantity']}"]})

    @post_load
    def _lot(self, data: dict[str, Any], **kwargs: Any) -> InboundLot:
        return InboundLot(data["quantity"], DateRange(data["earliest"], data["latest"]),
                          data["id"], data["committed"], data["supplier"])


class ShelfSchema(Strict):
    location = Choice("location", lambda known: known.locations, required=True)
    on_hand = Count(load_default=0)
    inbound = fields.List(fields.Nested(LotSchema), load_default=list)

    @validates_schema
    def _each_lot_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A location's lot is found by its id (a promise's lot that slipped): one id, one lot."""
        seen: set[str] = set()
        for index, lot in enumerate(data["inbound"]):
            if lot.id in seen:
                raise ValidationError({"inbound": {index: {"id": [Finding(
                    Check.DUPLICATE_ID, f"{lot.id!r} is listed twice at this location")]}}})
            if lot.id is not None:
                seen.add(lot.id)

    @post_load
    def _stock(self, data: dict[str, Any], **kwargs: Any) -> LocationStock:
        return LocationStock(data["location"], data["on_hand"], tuple(data["inbound"]))


class SkuSchema(Strict):
    locations = fields.List(fields.Nested(ShelfSchema), load_default=list)
    lead_time_days = DayRange(load_default=None)
    lead_time_location = Choice("location", lambda known: known.locations, load_default=None)
    backorder_limit = Count(load_default=None)
    supplier = _supplier()

    @validates_schema
    def _each_location_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        seen: set[str] = set()
        for index, shelf in enumerate(data["locations"]):
            if shelf.location in seen:
                raise ValidationError({"locations": {index: {"location": [Finding(
                    Check.DUPLICATE_ID, f"{shelf.location!r} is listed twice for this SKU")]}}})
            seen.add(shelf.location)


INVENTORY = ByKey(keys=Quoted("SKUs"), values=fields.Nested(SkuSchema))


def inventory(data: Any) -> Mapping[str, SkuStock]:
    """Stock by SKU; raises marshmallow's ValidationError listing every problem."""
    loaded = INVENTORY.deserialize({} if data is None else data)
    return {sku: SkuStock(sku, tuple(spec["locations"]), spec["lead_time_days"],
                          spec["lead_time_location"], spec["backorder_limit"],
                          spec["supplier"])
            for sku, spec in loaded.items()}
