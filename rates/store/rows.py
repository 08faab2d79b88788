"""Records as row parameters and back, for the statements of `rates.store.statements`.

A write is a dict keyed by column keys (`rates.store.tables`): JSON as text
(`rates.store.codec`), an instant as the aware datetime for both its text and its sort
key, which the column types encode for the database at hand. Checks that need no
database (a naive datetime, a bad limit, claims of another order) fail here, before any
transaction begins. A read takes the columns in the order documented on each function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from rates.domain.backorders import Claim
from rates.domain.history import LotReceipt, ShipmentEvent, ShipmentEventType
from rates.domain.products import Dimensions, Product
from rates.domain.stock import DateRange, SkuStock
from rates.settings import Role
from rates.store.base import (
    ConsoleSession,
    OrderRecord,
    OrderStatus,
    PruneMark,
    QuoteInputs,
    QuoteRecord,
    SignInAttempt,
    StoredSetup,
    WebhookDelivery,
    WebhookReceipt,
)
from rates.store.codec import (
    aware,
    inputs_of,
    inputs_value,
    json_text,
    json_value,
    stock_json,
)

ORDER_COLUMNS = 10
"""An order row is (id, quote_id, option_id, reference, accepted_at, promise, status,
closed_at, at_risk, seq); a joined row continues with one claim's columns."""


def instant(moment: datetime | None) -> datetime | None:
    """`moment`, checked now rather than inside a transaction: ValueError if naive."""
    return None if moment is None else aware(moment)


def checked_limit(limit: int) -> int:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return limit


def quote_params(record: QuoteRecord) -> dict[str, Any]:
    created = instant(record.created_at)
    return {"id": record.id, "created_text": created, "created_key": created,
            "ruleset": record.ruleset, "reference": record.reference,
            "request": json_text(record.request),
            "document": json_text(record.document) if record.served is None
            else record.served, "cart_key": record.cart_key,
            "setup": record.setup,
            "inputs": None if record.inputs is None else json_text(
                inputs_value(record.inputs.stock, record.inputs.live,
                             record.inputs.calibration))}


def quote_of(row: Sequence[Any]) -> QuoteRecord:
    """From (id, created_at, ruleset, reference, request, document, cart_key, setup,
    inputs)."""
    quote_id, created_at, ruleset, reference, request, document, cart_key, setup, inputs = row
    return QuoteRecord(quote_id, created_at, ruleset, reference, json_value(request),
                       json_value(document), cart_key=cart_key, setup=setup,
                       inputs=None if inputs is None else QuoteInputs(
                           *inputs_of(json_value(inputs))))


def setup_params(setup: StoredSetup, stored_at: datetime) -> dict[str, Any]:
    return {"id": setup.id, "config": setup.config, "rules": setup.rules,
            "files": json_text(setup.files), "stored_at": instant(stored_at)}


def setup_of(setup_id: str, row: Sequence[Any]) -> StoredSetup:
    """From (config, rules, files)."""
    config, rules, files = row
    return StoredSetup(setup_id, config, rules, json_value(files))


def cart_filters(cart_key: str, since: datetime, until: datetime,
                 limit: int) -> dict[str, Any]:
    """The parameters of `quotes_for_cart`."""
    return {"cart_key": cart_key, "since": instant(since), "until": instant(until),
            "limit": checked_limit(limit)}


EVER = datetime.min.replace(tzinfo=UTC)
"""Before every instant: the `since` of a scan from the start."""

_FIRST = PruneMark(EVER, -1)
"""Before every quote: where a pruning pass without a mark starts."""


def pruning_params(before: datetime, limit: int, after: PruneMark | None) -> dict[str, Any]:
    """The parameters of `old_quotes`."""
    mark = after or _FIRST
    return {"before": instant(before), "limit": checked_limit(limit),
            "mark_key": instant(mark.created_at), "mark_seq": mark.seq}


def mark_of(row: Sequence[Any]) -> PruneMark:
    """From a row of `old_quotes`: (id, seq, created_at, referred)."""
    return PruneMark(row[2], row[1])


def receipt_params(receipt: WebhookReceipt) -> dict[str, Any]:
    received = instant(receipt.received_at)
    return {"shop": receipt.shop, "webhook_id": receipt.webhook_id, "topic": receipt.topic,
            "received_at": received, "received_key": received, "outcome": receipt.outcome,
            "order_id": receipt.order_id}


def receipt_of(row: Sequence[Any]) -> WebhookReceipt:
    """From (shop, webhook_id, topic, received_at, outcome, order_id)."""
    return WebhookReceipt(*row)


def product_params(product: Product, updated_at: datetime) -> dict[str, Any]:
    """The product's row: tags as a sorted JSON array, the size in millimetres."""
    size = product.dimensions
    return {"sku": product.sku, "variant_id": product.variant_id,
            "product_id": product.product_id, "tags": json_text(sorted(product.tags)),
            "grams": product.grams, "length_mm": size.length if size else None,
            "width_mm": size.width if size else None, "height_mm": size.height if size else None,
            "updated_at": instant(updated_at)}


def product_of(row: Sequence[Any]) -> Product:
    """From (sku, variant_id, product_id, tags, grams, length_mm, width_mm, height_mm)."""
    sku, variant_id, product_id, tags, grams, length, width, height = row
    size = None if length is None or width is None or height is None else Dimensions(
        length, width, height)
    return Product(sku, frozenset(json_value(tags)), variant_id, product_id, grams, size)


def inventory_params(stock: SkuStock, updated_at: datetime) -> dict[str, Any]:
    return {"sku": stock.sku, "stock": stock_json(stock), "updated_at": instant(updated_at)}


def lot_params(stock: SkuStock, seen_at: datetime) -> list[dict[str, Any]]:
    """The ledger rows of `stock`'s lots that have an id (a lot without one cannot be
    found again): each with its ETA as promised and its supplier, the lot's or the SKU's."""
    seen = instant(seen_at)
    return [{"sku": stock.sku, "location": place.location, "lot": lot.id,
             "supplier": lot.supplier or stock.supplier,
             "promised_earliest": lot.eta.earliest, "promised_latest": lot.eta.latest,
             "first_seen_at": seen}
            for place in stock.locations for lot in place.inbound if lot.id]


def receiving_params(receipt: LotReceipt, recorded_at: datetime) -> dict[str, Any]:
    """The parameters that add `receipt`'s lot to the ledger if it is not there (as
    promised `receipt.promised`), mark it received, and read it back."""
    recorded = instant(recorded_at)
    return {"sku": receipt.sku, "location": receipt.location, "lot": receipt.lot,
            "supplier": receipt.supplier, "promised_earliest": receipt.promised.earliest,
            "promised_latest": receipt.promised.latest, "first_seen_at": recorded,
            "target_sku": receipt.sku, "target_location": receipt.location,
            "target_lot": receipt.lot, "named_supplier": receipt.supplier,
            "received_on": receipt.received_on, "received_at": recorded}


def lot_receipt_of(row: Sequence[Any]) -> LotReceipt:
    """From (sku, lot, location, supplier, promised earliest, promised latest,
    received_on), the dates as dates."""
    sku, lot, location, supplier, earliest, latest, received_on = row
    return LotReceipt(sku, lot, location, supplier, DateRange(earliest, latest), received_on)


def shipment_event_params(event: ShipmentEvent, recorded_at: datetime) -> dict[str, Any]:
    at = instant(event.at)
    return {"order_id": event.order, "shipment": event.shipment, "type": event.type.value,
            "at_text": at, "at_key": at, "carrier": event.carrier, "service": event.service,
            "recorded_at": instant(recorded_at)}


def shipment_event_of(row: Sequence[Any]) -> ShipmentEvent:
    """From (order_id, shipment, type, at, carrier, service)."""
    order_id, shipment, kind, at, carrier, service = row
    return ShipmentEvent(order_id, shipment, ShipmentEventType(kind), at, carrier, service)


def order_params(order: OrderRecord) -> dict[str, Any]:
    """The order's row; `seq` is the store's to assign."""
    accepted, closed = instant(order.accepted_at), instant(order.closed_at)
    return {"id": order.id, "quote_id": order.quote_id, "option_id": order.option_id,
            "reference": order.reference, "accepted_text": accepted, "accepted_key": accepted,
            "promise": json_text(order.promise), "status": order.status.value,
            "closed_text": closed, "closed_key": closed, "at_risk": order.at_risk}


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
    closed = instant(at)
    return {"id": order_id, "target": order_id, "status": status.value, "closed_text": closed,
            "closed_key": closed}


def claim_params(order: OrderRecord) -> list[dict[str, Any]]:
    """One row per claim, numbered in the order's own order. ValueError for a claim of
    another order: it would be read back as this order's."""
    strangers = sorted({claim.order for claim in order.claims} - {order.id})
    if strangers:
        raise ValueError(f"order {order.id} carries claims of {', '.join(strangers)}")
    return [{"order_id": order.id, "position": position, "sku": claim.sku,
             "location": claim.location, "quantity": claim.quantity,
             "promised_earliest": claim.promised.earliest,
             "promised_latest": claim.promised.latest, "lot": claim.lot,
             "lead_time_from": claim.lead_time_from}
            for position, claim in enumerate(order.claims)]


def claim_of(row: Sequence[Any]) -> Claim:
    """From (order_id, sku, location, quantity, promised earliest, promised latest, lot,
    lead_time_from), the dates as dates."""
    order_id, sku, location, quantity, earliest, latest, lot, lead_time_from = row
    return Claim(order_id, sku, location, quantity, DateRange(earliest, latest), lot,
                 lead_time_from)


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
    created = instant(at)
    return {"event": json_text(event), "created_text": created, "created_key": created,
            "next_text": created, "next_key": created}


def lease_params(now: datetime, limit: int, lease_seconds: float) -> dict[str, Any]:
    """`now`, and `lease_until`: when the webhooks leased now may be taken again."""
    return {"now": instant(now), "limit": checked_limit(limit),
            "lease_until": aware(now) + timedelta(seconds=lease_seconds)}


def failure_params(delivery_id: int, error: str,
                   next_attempt_at: datetime | None) -> dict[str, Any]:
    """`gave_up` when there is no next attempt (the next attempt's columns then stay)."""
    next_at = instant(next_attempt_at)
    return {"target": delivery_id, "error": error, "gave_up": next_at is None,
            "next_text": next_at, "next_key": next_at}


def delivery_of(row: Sequence[Any]) -> WebhookDelivery:
    """From (id, event, created_at, attempts, next_attempt_at, last_error)."""
    delivery_id, event, created_at, attempts, next_attempt_at, last_error = row
    return WebhookDelivery(delivery_id, json_value(event), created_at, attempts,
                           next_attempt_at, last_error)


def session_params(session: ConsoleSession, prune: int) -> dict[str, Any]:
    """The session's row, and `now` (its start) and `limit` for deleting expired ones."""
    started, expires = instant(session.started_at), instant(session.expires_at)
    return {"id_sha256": session.id_sha256, "key_name": session.key_name,
            "role": session.role.value, "key_sha256": session.key_sha256,
            "started_at": started, "expires_text": expires, "expires_key": expires,
            "now": started, "limit": checked_limit(prune)}


def session_of(row: Sequence[Any]) -> ConsoleSession:
    """From (id_sha256, key_name, role, key_sha256, started_at, expires_at)."""
    id_sha256, key_name, role, key_sha256, started_at, expires_at = row
    return ConsoleSession(id_sha256, key_name, Role(role), key_sha256, started_at, expires_at)


def attempt_params(attempt: SignInAttempt, since: datetime, prune: int) -> dict[str, Any]:
    """The attempt's row, and `since` and `limit`, for the recent ones and the old."""
    at = instant(attempt.at)
    return {"id": attempt.id, "address": attempt.address, "key_prefix": attempt.key_prefix,
            "at_text": at, "at_key": at, "since": instant(since), "limit": checked_limit(prune)}


def attempt_of(row: Sequence[Any]) -> SignInAttempt:
    """From (id, address, key_prefix, attempted_at)."""
    return SignInAttempt(*row)


def _order(joined: list[Sequence[Any]]) -> OrderRecord:
    (order_id, quote_id, option_id, reference, accepted_at, promise, status, closed_at,
     at_risk, seq) = joined[0][:ORDER_COLUMNS]
    claims = tuple(claim_of(row[ORDER_COLUMNS:]) for row in joined
                   if row[ORDER_COLUMNS] is not None)
    return OrderRecord(order_id, quote_id, option_id, reference, accepted_at,
                       json_value(promise), claims, OrderStatus(status), closed_at,
                       bool(at_risk), seq)
