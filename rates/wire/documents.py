"""Schemas of the documents the service returns, for the OpenAPI description.

The documents themselves are built by plain functions (`rates.wire.response`), which is
faster than dumping through marshmallow; these schemas describe them, and the API tests
validate real responses against them so the description cannot drift from the code.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from rates.domain.plans import PlanKind
from rates.domain.promise import Delay
from rates.domain.stock import Source, StockClass
from rates.wire.request import InboundSchema


class MoneyDoc(Schema):
    amount = fields.String(required=True, metadata={"example": "12.95",
                                                    "description": "a decimal string"})
    currency = fields.String(required=True, metadata={"example": "USD"})


class DateRangeDoc(Schema):
    earliest = fields.Date(required=True)
    latest = fields.Date(required=True)


_CONFIDENCE = ("the estimated probability that delivery falls inside this window, from the "
               "lateness history of its suppliers and carrier lanes (docs/confidence.md); "
               "null without history to weigh it by")
_LIKELY = "the single most likely delivery date; null without history"


class DeliveryWindowDoc(DateRangeDoc):
    confidence = fields.Float(required=True, allow_none=True, validate=validate.Range(0, 1),
                              metadata={"description": _CONFIDENCE, "example": 0.93})
    likely = fields.Date(required=True, allow_none=True, metadata={"description": _LIKELY})


class PromisedWindowDoc(DeliveryWindowDoc):
    """A promise's window: promises made before windows carried a confidence lack both."""

    confidence = fields.Float(allow_none=True, validate=validate.Range(0, 1),
                              metadata={"description": _CONFIDENCE + ", as quoted"})
    likely = fields.Date(allow_none=True, metadata={"description": _LIKELY + ", as quoted"})


class AllocationDoc(Schema):
    quantity = fields.Integer(required=True)
    location = fields.String(required=True)
    source = fields.String(required=True, validate=validate.OneOf([s.value for s in Source]))
    ready = fields.Nested(DateRangeDoc, required=True)
    lot = fields.String()
    supplier = fields.String(metadata={
        "description": "who restocks backordered units (the lot's supplier, else the "
                       "SKU's), when one is named; not in a checkout's answer"})


class LineDoc(Schema):
    sku = fields.String(required=True)
    quantity = fields.Integer(required=True)
    unavailable = fields.Integer(required=True)
    allocations = fields.List(fields.Nested(AllocationDoc), required=True)


class ShipmentLineDoc(Schema):
    sku = fields.String(required=True)
    quantity = fields.Integer(required=True)


_FULL = "with `explain=1` only (and in `rates quote --json`): "


class ShipmentDoc(Schema):
    """A checkout's answer says what each shipment carries (`allocations`) and when it
    arrives (`delivery`); with `explain=1` every shipment is in full: where it leaves
    from, its lines, when it is ready and ships, its price, rate source and transit."""

    allocations = fields.List(
        fields.List(fields.Integer(), validate=validate.Length(equal=2)), required=True,
        metadata={"description": "The shipment's units, as [line, allocation] indexes into "
                                 "the option's own lines[].allocations when it has them, "
                                 "else the quote's (each says its location, source, lot "
                                 "and ready dates)", "example": [[0, 1]]})
    delivery = fields.Nested(DeliveryWindowDoc, required=True)
    guaranteed = fields.Boolean(metadata={
        "description": _FULL + "the carrier guarantees its transit days: the carrier file "
                       "marks the service `guaranteed`, or a live carrier said so of this "
                       "rate (a checkout's answer says it of the option)"})
    location = fields.String(metadata={"description": _FULL + "where it leaves from"})
    stock = fields.String(validate=validate.OneOf(["in_stock", "backordered"]),
                          metadata={"description": _FULL + "its units' stock"})
    lines = fields.List(fields.Nested(ShipmentLineDoc),
                        metadata={"description": _FULL + "its units by SKU"})
    ready = fields.Nested(DateRangeDoc, metadata={"description": _FULL + "ready to pack"})
    ships = fields.Nested(DateRangeDoc, metadata={"description": _FULL + "handed over"})
    price = fields.Nested(MoneyDoc, metadata={"description": _FULL + "after the rules"})
    source = fields.String(metadata={"description": _FULL + "table, live or fallback",
                                     "example": "table"})
    transit_days = fields.List(
        fields.Integer(), validate=validate.Length(equal=2),
        metadata={"description": _FULL + "the carrier's (min, max) delivery days the "
                                         "window used", "example": [1, 3]})


class TraceStepDoc(Schema):
    """Where a line comes from (`step` "source", `sku`, `detail`, `facts`: the locations
    taken and the best one not taken, with when the option's service would deliver from
    each and their distance), a calendar step, a shipment's `rate`, or its `exchange` into
    the quote's currency (`step`, `shipment`, `detail`), an applied rule (`rule`,
    `effect`, `price`) or, with explain, a skipped rule (`rule`, `skipped`). Rates and
    rules are in the shop's currency; the `exchange` steps, after the rules, show each
    shipment's conversion. A calendar step also gives what its `detail` was made from:
    `dates`, `facts` and `skipped_days`."""

    step = fields.String()
    sku = fields.String()
    shipment = fields.Integer()
    detail = fields.String()
    dates = fields.Nested(DateRangeDoc)
    facts = fields.Dict(metadata={
        "description": "as an order's estimate step's `facts`; the `transit` step of a "
                       "guaranteed shipment adds `guaranteed`: true"})
    skipped_days = fields.List(fields.Nested("SkippedDayDoc"))
    rule = fields.String()
    effect = fields.String()
    price = fields.String()
    skipped = fields.String()


_WORDED = ("in the words of the request's `locale` (the rules file's `wording`; a locale "
           "without words reads the shop's default locale)")


class OptionDoc(Schema):
    id = fields.String(required=True, metadata={
        "example": "in_stock_first/ups/ground",
        "description": "plan/carrier/service; a pickup's is pickup/<location>"})
    plan = fields.String(required=True, validate=validate.OneOf([p.value for p in PlanKind]))
    label = fields.String(required=True, metadata={"description": _WORDED})
    carrier = fields.String(required=True)
    service = fields.String(required=True)
    service_name = fields.String(required=True, metadata={"description": _WORDED})
    price = fields.Nested(MoneyDoc, required=True)
    delivery = fields.Nested(DeliveryWindowDoc, required=True)
    guaranteed = fields.Boolean(required=True, metadata={
        "description": "Every shipment's transit is the carrier's guarantee. The last "
                       "delivery day is guaranteed when, besides, nothing waits for a "
                       "restock: then `description` says so (\"Guaranteed by Wed, Nov 25\")"})
    description = fields.String(metadata={
        "description": _WORDED,
        "example": "2 shipments: 4 items arrive Nov 24 - Nov 27; 2 items arrive Dec 30 - Jan 11"})
    stock = fields.String(validate=validate.OneOf([s.value for s in StockClass]), metadata={
        "description": "with `lines`: the cart's stock as this option sources it"})
    lines = fields.List(fields.Nested(LineDoc), metadata={
        "description": "only when this option is sourced otherwise than the quote's first "
                       "option (by the sourcing strategy, or a pickup from its store alone): "
                       "its own allocation of the cart"})
    shipments = fields.List(fields.Nested(ShipmentDoc), required=True)
    trace = fields.List(fields.Nested(TraceStepDoc), metadata={
        "description": "with `explain=1` only: why the option is what it is, step by step "
                       "(a checkout's answer leaves it out; support gets it for a stored "
                       "quote from `GET /v1/quotes/{id}?explain=1`)"})
    hidden_by = fields.String()
    blocked_by = fields.String()
    blocked_message = fields.String(metadata={"description": _WORDED})


class MessageDoc(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={
        "description": "a block rule's message is in the words of the request's `locale`"})
    sku = fields.String()


class UnofferedDoc(Schema):
    id = fields.String(required=True)
    reason = fields.String(required=True)


class QuoteDoc(Schema):
    id = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    ordered_at = fields.AwareDateTime(required=True)
    reference = fields.String(required=True, allow_none=True)
    ruleset = fields.String(required=True, metadata={"example": "sha256:..."})
    currency = fields.String(required=True, metadata={
        "example": "USD", "description": "the request's currency: every price of the "
                                         "document is in it"})
    stock = fields.String(required=True, allow_none=True,
                          validate=validate.OneOf([s.value for s in StockClass]))
    lines = fields.List(fields.Nested(LineDoc), required=True)
    options = fields.List(fields.Nested(OptionDoc), required=True)
    messages = fields.List(fields.Nested(MessageDoc), required=True)
    withheld = fields.List(fields.Nested(OptionDoc), metadata={"description": "explain only"})
    unoffered = fields.List(fields.Nested(UnofferedDoc),
                            metadata={"description": "explain only"})


class ReceiptDoc(Schema):
    """A lot's receipt (`rates.wire.history.receipt_document`)."""

    sku = fields.String(required=True)
    lot = fields.String(required=True)
    location = fields.String(required=True)
    supplier = fields.String(required=True, allow_none=True, metadata={
        "description": "the lot's supplier, else the SKU's, when the lot was first seen "
                       "(or named since)"})
    promised = fields.Nested(DateRangeDoc, required=True, metadata={
        "description": "the ETA the lot was first seen with: what the supplier promised"})
    received_on = fields.Date(required=True)
    days_late = fields.Integer(required=True, metadata={
        "description": "calendar days from `promised.latest` to `received_on`; negative "
                       "if early"})


class PositionDoc(Schema):
    location = fields.String(required=True)
    on_hand = fields.Integer(required=True)
    inbound = fields.List(fields.Nested(InboundSchema), required=True)


class InventoryDoc(Schema):
    sku = fields.String(required=True)
    locations = fields.List(fields.Nested(PositionDoc), required=True)
    lead_time_days = fields.List(fields.Integer())
    lead_time_location = fields.String()
    backorder_limit = fields.Integer()
    supplier = fields.String()
    receipts = fields.List(fields.Nested(ReceiptDoc), metadata={
        "description": "PUT only, when lots carried `received_on`: their receipts"})


class ShipmentEventEntryDoc(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["shipped", "delivered"]))
    at = fields.AwareDateTime(required=True)
    carrier = fields.String(required=True)
    service = fields.String(required=True)


class ShipmentEventDoc(ShipmentEventEntryDoc):
    order_id = fields.String(required=True)
    shipment = fields.Integer(required=True)


class DimensionsDoc(Schema):
    length = fields.Integer(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)


class ProductDoc(Schema):
    """A product of the catalog (`rates.wire.products.product_document`)."""

    sku = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    variant_id = fields.String(required=True, allow_none=True)
    product_id = fields.String(required=True, allow_none=True)
    grams = fields.Integer(required=True, allow_none=True)
    dimensions = fields.Nested(DimensionsDoc, required=True, allow_none=True, metadata={
        "description": "millimetres; kept and served, not yet read by any rule"})


class RulesStatusDoc(Schema):
    version = fields.String(required=True)
    loaded_at = fields.AwareDateTime(required=True)
    last_attempt_at = fields.AwareDateTime(required=True)
    errors = fields.List(fields.String(), required=True, metadata={
        "description": "the last reload's problems, each 'file: path: message'"})
    rules = fields.Integer(required=True)


class ErrorBodyDoc(Schema):
    code = fields.String(required=True, metadata={"example": "invalid_request"})
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                          required=True, data_key="fields",
                          metadata={"example": {"lines.0.quantity": ["must be at least 1"]}})


class ErrorDoc(Schema):
    error = fields.Nested(ErrorBodyDoc, required=True)


class ShopifyRateDoc(Schema):
    service_name = fields.String(required=True)
    service_code = fields.String(required=True)
    total_price = fields.String(required=True, metadata={"example": "1295"})
    description = fields.String(required=True)
    currency = fields.String(required=True)
    min_delivery_date = fields.String(required=True,
                                      metadata={"example": "2026-11-24 12:00:00 +0000"})
    max_delivery_date = fields.String(required=True)


class ShopifyRatesDoc(Schema):
    rates = fields.List(fields.Nested(ShopifyRateDoc), required=True)


class ShopifyWebhookDoc(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf([
        "promised", "requoted", "not_promised", "already_placed", "closed", "already_closed",
        "unknown_order", "duplicate", "ignored"]), metadata={
        "description": "what the delivery did (docs/shopify.md, Webhooks)"})
    order_id = fields.String(required=True, allow_none=True, metadata={
        "example": "shopify-820982911946154508"})


class WaitDoc(Schema):
    quantity = fields.Integer(required=True)
    source = fields.String(required=True, validate=validate.OneOf(
        [Source.INBOUND.value, Source.LEAD_TIME.value]))
    lot = fields.String(required=True, allow_none=True)
    ready = fields.Nested(DateRangeDoc, required=True, allow_none=True)


class CauseDoc(Schema):
    sku = fields.String(required=True)
    lot = fields.String(required=True, allow_none=True)
    quantity = fields.Integer(required=True)
    reason = fields.String(required=True, metadata={
        "example": "lot PO-1042 slipped: now due 2026-12-18..2026-12-22, "
                   "promised 2026-12-10..2026-12-14"})
    delay = fields.String(required=True, validate=validate.OneOf(
        [delay.value for delay in Delay]), metadata={
        "description": "what happened to the restock; `reason` says it in words"})
    location = fields.String(required=True, metadata={"example": "reno"})
    promised = fields.Nested(DateRangeDoc, required=True, metadata={
        "description": "when the units were promised to be ready"})
    due = fields.Nested(DateRangeDoc, required=True, allow_none=True, metadata={
        "description": "the lot's due dates now (a late or slipped lot)"})
    lot_quantity = fields.Integer(required=True, allow_none=True, metadata={
        "description": "the units a shrunk lot holds now"})
    waits = fields.List(fields.Nested(WaitDoc), required=True, metadata={
        "description": "where the units wait now; empty when no restock is expected"})


class SkippedDayDoc(Schema):
    date = fields.Date(required=True)
    reason = fields.String(required=True, metadata={"example": "Christmas Day"})


class EstimateStepDoc(Schema):
    step = fields.String(required=True, metadata={"example": "transit"})
    dates = fields.Nested(DateRangeDoc, required=True)
    detail = fields.String(required=True)
    facts = fields.Dict(required=True, metadata={
        "description": "what `detail` was made from: `location`; `days` (a count, or "
                       "[min, max]); `calendar`; for the `start` step `ordered_at` (the "
                       "location's local time), `timezone`, `starts`, and `cutoff` or "
                       "`closed` when there is one",
        "example": {"location": "reno", "days": [0, 1]}})
    skipped = fields.List(fields.Nested(SkippedDayDoc), required=True)


class ShipmentDatesDoc(Schema):
    ready = fields.Nested(DateRangeDoc, required=True)
    ships = fields.Nested(DateRangeDoc, required=True)
    delivery = fields.Nested(PromisedWindowDoc, required=True)


class OrderShipmentDoc(Schema):
    number = fields.Integer(required=True)
    location = fields.String(required=True)
    stock = fields.String(required=True, validate=validate.OneOf(["in_stock", "backordered"]))
    lines = fields.List(fields.Nested(ShipmentLineDoc), required=True)
    promised = fields.Nested(ShipmentDatesDoc, required=True)
    current = fields.Nested(ShipmentDatesDoc, required=True, allow_none=True, metadata={
        "description": "null when the order is closed or some units have no restock"})
    days_late = fields.Integer(required=True, allow_none=True)
    causes = fields.List(fields.Nested(CauseDoc), required=True)
    steps = fields.List(fields.Nested(EstimateStepDoc), required=True, metadata={
        "description": "the steps of the current estimate, with the days each skipped"})
    events = fields.List(fields.Nested(ShipmentEventEntryDoc), required=True, metadata={
        "description": "what happened to the shipment (POST /v1/orders/{id}/events), in "
                       "the order of their instants"})


class OrderDoc(Schema):
    id = fields.String(required=True)
    quote_id = fields.String(required=True)
    option_id = fields.String(required=True)
    reference = fields.String(required=True, allow_none=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(["open", "shipped", "cancelled"]))
    accepted_at = fields.AwareDateTime(required=True)
    ordered_at = fields.AwareDateTime(required=True)
    promise_source = fields.String(required=True, validate=validate.OneOf(
        ["quote", "requoted"]), metadata={
        "description": "quote: the option of the quote the customer was shown; requoted: "
                       "of a new quote of the order's cart, made when a Shopify order's "
                       "quote had expired or its cart had changed"})
    closed_at = fields.AwareDateTime(required=True, allow_none=True)
    as_of = fields.AwareDateTime(required=True)
    label = fields.String(required=True)
    carrier = fields.String(required=True)
    service = fields.String(required=True)
    service_name = fields.String(required=True)
    price = fields.Nested(MoneyDoc, required=True)
    promised = fields.Nested(PromisedWindowDoc, required=True)
    current = fields.Nested(DateRangeDoc, required=True, allow_none=True)
    at_risk = fields.Boolean(required=True)
    days_late = fields.Integer(required=True, allow_none=True)
    shipments = fields.List(fields.Nested(OrderShipmentDoc), required=True)


class AtRiskOrderDoc(Schema):
    id = fields.String(required=True)
    quote_id = fields.String(required=True)
    reference = fields.String(required=True, allow_none=True)
    days_late = fields.Integer(required=True, allow_none=True, metadata={
        "description": "null: some units have no restock expected at all"})
    promised = fields.Nested(DateRangeDoc, required=True)
    current = fields.Nested(DateRangeDoc, required=True, allow_none=True)
    causes = fields.List(fields.Nested(CauseDoc), required=True)


class AtRiskDoc(Schema):
    as_of = fields.AwareDateTime(required=True)
    orders = fields.List(fields.Nested(AtRiskOrderDoc), required=True)


class ChangeDoc(Schema):
    option = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(
        ["visibility", "price", "delivery", "label"]))
    old = fields.String(required=True)
    new = fields.String(required=True)


class RefreshDoc(Schema):
    previous = fields.String(required=True)
    quote = fields.Nested(QuoteDoc, required=True)
    changes = fields.List(fields.Nested(ChangeDoc), required=True)
