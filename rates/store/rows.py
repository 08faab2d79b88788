"""Records as named row parameters and back, shared by both backends.

A write is a dict of parameters in the forms of `rates.store.encoding`: JSON as text, an
instant as its ISO text (`name`) and its epoch microseconds (`name_us`, for SQLite's
ordering), a date as ISO text. SQLite stores them as they are; PostgreSQL casts them into
jsonb, timestamptz and date columns. A read takes the columns in the order documented on
each function below, in those same text forms: PostgreSQL selects `jsonb::text`, the ISO
text kept beside each timestamptz, and dates through `to_char`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from rates.domain.backorders import Claim
from rates.domain.stock import DateRange, SkuStock
from rates.store.base import OrderRecord, OrderStatus, QuoteRecord, WebhookDelivery
from rates.store.encoding import instant_key, instant_of, instant_text, json_text
from rates.wire.request import parse_stock
from rates.wire.response import stock_document

ORDER_COLUMNS = 10
"""An order row is (id, quote_id, option_id, reference, accepted_at, promise, status,
closed_at, at_risk, seq); a joined row continues with one claim's columns."""


def instant_params(name: str, moment: datetime | None) -> dict[str, Any]:
    """`name`: the ISO text of `moment`; `name_us`: its epoch microseconds (both None for
    None). ValueError for a naive datetime."""
    if moment is None:
        return {name: None, f"{name}_us": None}
    return {name: instant_text(moment), f"{name}_us": instant_key(moment)}


def checked_limit(limit: int) -> int:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return limit


def quote_params(record: QuoteRecord) -> dict[str, Any]:
    return {"id": record.id, **instant_params("created_at", record.created_at),
            "ruleset": record.ruleset, "reference": record.reference,
            "request": json_text(record.request),
            "document": json_text(record.document) if record.served is None
            else record.served.decode()}


def quote_of(row: Sequence[Any]) -> QuoteRecord:
    """From (id, created_at, ruleset, reference, request, document)."""
    quote_id, created_at, ruleset, reference, request, document = row
    return QuoteRecord(quote_id, instant_of(created_at), ruleset, reference,
                       json.loads(request), json.loads(document))


def inventory_params(stock: SkuStock, updated_at: datetime) -> dict[str, Any]:
    return {"sku": stock.sku, "stock": json_text(stock_document(stock)),
            **instant_params("updated_at", updated_at)}


@lru_cache(maxsize=16_384)
def stock_of(sku: str, document: str, default_location: str) -> SkuStock:
    """A stored stock row, parsed. Every quote reads its SKUs' rows, which rarely change,
    and validating one costs more than the rest of reading it: equal text, equal stock."""
    return parse_stock(sku, json.loads(document), default_location=default_location)


def order_params(order: OrderRecord) -> dict[str, Any]:
    """The order's row; `seq` is the store's to assign."""
    return {"id": order.id, "quote_id": order.quote_id, "option_id": order.option_id,
            "reference": order.reference, **instant_params("accepted_at", order.accepted_at),
            "promise": json_text(order.promise), "status": order.status.value,
            **instant_params("closed_at", order.closed_at), "at_risk": order.at_risk}


def order_filters(reference: str | None, quote_id: str | None,
                  limit: int) -> dict[str, Any]:
    """The parameters of `find_orders`: the orders of `reference` and those of `quote_id`
    (either may be None, not both)."""
    if reference is None and quote_id is None:
        raise ValueError("find_orders needs a reference or a quote_id")
    return {"reference": reference, "quote_id": quote_id, "limit": checked_limit(limit)}


def closing_params(order_id: str, status: OrderStatus, at: datetime) -> dict[str, Any]:
    if status is OrderStatus.OPEN:
        raise ValueError("an order is closed as shipped or cancelled, not as open")
    return {"id": order_id, "status": status.value, **instant_params("closed_at", at)}


def claim_params(order: OrderRecord) -> list[dict[str, Any]]:
    """One row per claim, numbered in the order's own order. ValueError for a claim of
    another order: it would be read back as this order's."""
    strangers = sorted({claim.order for claim in order.claims} - {order.id})
    if strangers:
        raise ValueError(f"order {order.id} carries claims of {', '.join(strangers)}")
    return [{"order_id": order.id, "position": position, "sku": claim.sku,
             "location": claim.location, "quantity": claim.quantity,
             "earliest": claim.promised.earliest.isoformat(),
             "latest": claim.promised.latest.isoformat(), "lot": claim.lot,
             "lead_time_from": None if claim.lead_time_from is None
             else claim.lead_time_from.isoformat()}
            for position, claim in enumerate(order.claims)]


def claim_of(row: Sequence[Any]) -> Claim:
    """From (order_id, sku, location, quantity, promised earliest, promised latest, lot,
    lead_time_from)."""
    order_id, sku, location, quantity, earliest, latest, lot, lead_time_from = row
    return Claim(order_id, sku, location, quantity,
                 DateRange(date.fromisoformat(earliest), date.fromisoformat(latest)), lot,
                 None if lead_time_from is None else date.fromisoformat(lead_time_from))


def claimed_by_sku(rows: Iterable[Sequence[Any]]) -> dict[str, dict[str, int]]:
    """(sku, location, units) rows as units by SKU, then location."""
    claimed: dict[str, dict[str, int]] = {}
    for sku, location, units in rows:
        claimed.setdefault(sku, {})[location] = int(units)
    return claimed


def orders_of(rows: Iterable[Sequence[Any]]) -> list[OrderRecord]:
    """Orders from joined rows: an order's columns (`ORDER_COLUMNS`), then one of its
    claims' (all NULL for an order without claims). Each order's rows must be adjacent
    and in claim position order; the orders keep the rows' order."""
    return [_order([*joined]) for _, joined in groupby(rows, key=itemgetter(0))]


def event_params(event: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {"event": json_text(event), **instant_params("created_at", at)}


def lease_params(now: datetime, limit: int, lease_seconds: float) -> dict[str, Any]:
    """`now`, and `lease_until`: when the webhooks leased now may be taken again."""
    return {**instant_params("now", now), "limit": checked_limit(limit),
            **instant_params("lease_until", now + timedelta(seconds=lease_seconds))}


def failure_params(delivery_id: int, error: str,
                   next_attempt_at: datetime | None) -> dict[str, Any]:
    """`gave_up` when there is no next attempt."""
    return {"id": delivery_id, "error": error, "gave_up": next_attempt_at is None,
            **instant_params("next_attempt_at", next_attempt_at)}


def delivery_of(row: Sequence[Any]) -> WebhookDelivery:
    """From (id, event, created_at, attempts, next_attempt_at, last_error)."""
    delivery_id, event, created_at, attempts, next_attempt_at, last_error = row
    return WebhookDelivery(delivery_id, json.loads(event), instant_of(created_at), attempts,
                           instant_of(next_attempt_at), last_error)


def _order(joined: list[Sequence[Any]]) -> OrderRecord:
    (order_id, quote_id, option_id, reference, accepted_at, promise, status, closed_at,
     at_risk, seq) = joined[0][:ORDER_COLUMNS]
    claims = tuple(claim_of(row[ORDER_COLUMNS:]) for row in joined
                   if row[ORDER_COLUMNS] is not None)
    return OrderRecord(order_id, quote_id, option_id, reference, instant_of(accepted_at),
                       json.loads(promise), claims, OrderStatus(status),
                       None if closed_at is None else instant_of(closed_at), bool(at_risk),
                       seq)
