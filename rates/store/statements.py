"""Every statement of the store, written once for both databases as SQLAlchemy Core.

They differ between the databases only through the tables' column names and types
(`rates.store.tables`), the dialect's `insert` (for ON CONFLICT), and how orders are
numbered. Parameters are named by the column keys that `rates.store.rows` fills. A store
gets them compiled for its engine's dialect, once per process and database kind
(`prepared_statements`, see `rates.store.prepared`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Dialect,
    Executable,
    Table,
    bindparam,
    delete,
    exists,
    func,
    literal_column,
    not_,
    null,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)

from rates.store.prepared import Prepared
from rates.store.tables import tables
from rates.store.types import Key, ValueList, among


def _values(table: Table, *keys: str) -> dict[Any, Any]:
    """`keys`' columns, each set from the parameter of its key; a key the table lacks on
    this database is left out."""
    return {table.c[key]: bindparam(key, type_=table.c[key].type)
            for key in keys if key in table.c}


S = TypeVar("S")

PRODUCT_COLUMNS = ("sku", "variant_id", "product_id", "tags", "grams", "length_mm",
                   "width_mm", "height_mm")
PLATFORM_COLUMNS = ("variant_id", "product_id", "tags", "grams")
"""The columns a platform's product event sets (`Store.merge_products`)."""


class Statements(Generic[S]):
    """The statements of `dialect` ("sqlite", "postgresql"), each passed to `prepare`."""

    def __init__(self, dialect: str, insert: Callable[..., Any], *, numbers_orders: bool,
                 prepare: Callable[[Executable], S]) -> None:
        t = tables(dialect)
        quotes, inventory, orders, claims, webhooks = (t.quotes, t.inventory, t.orders,
                                                       t.claims, t.webhooks)
        received, products = t.shopify_webhooks, t.products
        skus = bindparam("skus", type_=ValueList())
        self.ping: S = prepare(text("SELECT 1 FROM quotes LIMIT 1"))

        self.save_quote: S = prepare(insert(quotes).values(_values(
            quotes, "id", "created_text", "created_key", "ruleset", "reference", "request",
            "document", "cart_key", "setup", "inputs")).on_conflict_do_nothing(
                index_elements=["id"]))
        quote = select(quotes.c.id, quotes.c.created_text, quotes.c.ruleset,
                       quotes.c.reference, quotes.c.request, quotes.c.document,
                       quotes.c.cart_key, quotes.c.setup, quotes.c.inputs)
        setups = t.setups
        self.save_setup: S = prepare(insert(setups).values(_values(
            setups, "id", "config", "rules", "files", "stored_at")).on_conflict_do_nothing(
                index_elements=["id"]))
        self.get_setup: S = prepare(select(setups.c.config, setups.c.rules, setups.c.files)
                                    .where(setups.c.id == bindparam("id")))
        self.get_quote: S = prepare(quote.where(quotes.c.id == bindparam("id")))
        self.find_quotes: S = (
            prepare(quote.where(quotes.c.reference == bindparam("reference"))
            .order_by(quotes.c.created_key.desc(), quotes.c.seq.desc())
            .limit(bindparam("limit"))))
        # The index quotes_by_cart_key (cart_key, created instant) serves it as one range.
        self.quotes_for_cart: S = (
            prepare(quote.where(quotes.c.cart_key == bindparam("cart_key"),
                                quotes.c.created_key >= bindparam("since", type_=Key()),
                                quotes.c.created_key <= bindparam("until", type_=Key()))
            .order_by(quotes.c.created_key.desc(), quotes.c.seq.desc())
            .limit(bindparam("limit"))))

        # Pruning. The oldest quotes made before `before`, after the mark (an instant and a
        # seq: `created_key >= mark` is the range of the index quotes_by_created), each
        # with whether an order refers to it (the index orders_by_quote). The removal
        # checks that again, so an order committed meanwhile keeps its quote.
        mark = bindparam("mark_key", type_=Key())
        referred = exists().where(orders.c.quote_id == quotes.c.id)
        self.old_quotes: S = prepare(
            select(quotes.c.id, quotes.c.seq, quotes.c.created_text, referred)
            .where(quotes.c.created_key < bindparam("before", type_=Key()),
                   quotes.c.created_key >= mark,
                   or_(quotes.c.created_key > mark, quotes.c.seq > bindparam("mark_seq")))
            .order_by(quotes.c.created_key, quotes.c.seq).limit(bindparam("limit")))
        self.remove_quotes: S = prepare(delete(quotes).where(
            among(quotes.c.id, bindparam("ids", type_=ValueList())), ~referred))
        # SQLite sorts a receipt by `received_us`; PostgreSQL by its timestamptz.
        received_key = received.c.get("received_key", received.c.received_at)
        self.remove_receipts: S = prepare(delete(received).where(
            tuple_(received.c.shop, received.c.webhook_id).in_(
                select(received.c.shop, received.c.webhook_id)
                .where(received_key < bindparam("before", type_=received_key.type))
                .order_by(received_key).limit(bindparam("limit")))))

        stock = insert(inventory).values(_values(inventory, "sku", "stock", "updated_at"))
        self.put_inventory: S = prepare(stock.on_conflict_do_update(
            index_elements=["sku"], set_={"stock": stock.excluded.stock,
                                          "updated_at": stock.excluded.updated_at}))
        self.seed_inventory: S = prepare(stock.on_conflict_do_nothing(index_elements=["sku"]))
        self.inventory: S = prepare(select(inventory.c.sku, inventory.c.stock).where(
            among(inventory.c.sku, skus)))

        # The lot ledger: a lot joins it once, with the ETA first seen (never updated by a
        # PUT), and is received once.
        lots = t.lots
        self.add_lot: S = prepare(insert(lots).values(_values(
            lots, "sku", "location", "lot", "supplier", "promised_earliest",
            "promised_latest", "first_seen_at")).on_conflict_do_nothing(
                index_elements=["sku", "location", "lot"]))
        self.receive_lot: S = prepare(update(lots).where(
            lots.c.sku == bindparam("target_sku"), lots.c.location == bindparam("target_location"),
            lots.c.lot == bindparam("target_lot"), lots.c.received_on.is_(None)).values({
                lots.c.received_on: bindparam("received_on", type_=lots.c.received_on.type),
                lots.c.received_at: bindparam("received_at", type_=lots.c.received_at.type),
                lots.c.supplier: func.coalesce(lots.c.supplier, bindparam("named_supplier"))}))
        receipt = select(lots.c.sku, lots.c.lot, lots.c.location, lots.c.supplier,
                         lots.c.promised_earliest, lots.c.promised_latest, lots.c.received_on)
        self.lot: S = prepare(receipt.where(
            lots.c.sku == bindparam("target_sku"), lots.c.location == bindparam("target_location"),
            lots.c.lot == bindparam("target_lot")))
        self.lot_received: S = prepare(receipt.where(
            lots.c.sku == bindparam("target_sku"), lots.c.lot == bindparam("target_lot"),
            lots.c.received_on.is_not(None)).order_by(lots.c.location))
        # The partial index lots_by_receipt serves it as one range.
        self.lot_receipts: S = prepare(receipt.where(
            lots.c.received_on.is_not(None),
            lots.c.received_on >= bindparam("since", type_=lots.c.received_on.type))
            .order_by(lots.c.received_on, lots.c.sku, lots.c.location, lots.c.lot))

        # An order's columns, then one claim's: the rows `rates.store.rows.orders_of` reads.
        claim = (claims.c.order_id, claims.c.sku, claims.c.location, claims.c.quantity,
                 claims.c.promised_earliest, claims.c.promised_latest, claims.c.lot,
                 claims.c.lead_time_from)
        joined = select(orders.c.id, orders.c.quote_id, orders.c.option_id,
                        orders.c.reference, orders.c.accepted_text, orders.c.promise,
                        orders.c.status, orders.c.closed_text, orders.c.at_risk, orders.c.seq,
                        *claim).select_from(
            orders.outerjoin(claims, claims.c.order_id == orders.c.id))
        # Constants are written into the SQL, not sent as parameters, so that PostgreSQL's
        # partial index on open orders serves prepared statements too.
        is_open = orders.c.status == literal_column("'open'")
        queue_order = (orders.c.seq, claims.c.position)
        self.order: S = prepare(joined.where(orders.c.id == bindparam("id")).order_by(
            claims.c.position))
        found, newest = orders.alias("found"), (orders.c.accepted_key.desc(),
                                                orders.c.seq.desc())
        self.find_orders: S = prepare(joined.where(orders.c.id.in_(
            select(found.c.id)
            .where(or_(found.c.reference == bindparam("reference"),
                       found.c.quote_id == bindparam("quote_id")))
            .order_by(found.c.accepted_key.desc(), found.c.seq.desc())
            .limit(bindparam("limit")))).order_by(*newest, claims.c.position))
        self.open_orders: S = prepare(joined.where(is_open).order_by(*queue_order))
        self.orders: S = prepare(joined.where(
            among(orders.c.id, bindparam("ids", type_=ValueList()))).order_by(*queue_order))
        waiting = claims.alias("waiting")
        self.open_orders_of: S = prepare(joined.where(is_open, orders.c.id.in_(
            select(waiting.c.order_id).where(among(waiting.c.sku, skus)))).order_by(*queue_order))
        self.open_claims: S = prepare(select(*claim).select_from(
            claims.join(orders, orders.c.id == claims.c.order_id)).where(
            is_open, among(claims.c.sku, skus)).order_by(*queue_order))
        units = select(claims.c.sku, claims.c.location, func.sum(claims.c.quantity)).select_from(
            claims.join(orders, orders.c.id == claims.c.order_id)).where(
            is_open, among(claims.c.sku, skus)).group_by(claims.c.sku, claims.c.location)
        self.claimed: S = prepare(units)
        self.claimed_ahead: S = prepare(units.where(orders.c.seq < bindparam("ahead")))
        # What a quote of a cart reads, at one instant: (sku, stock, NULL, NULL) rows of
        # its stored stock, then (sku, NULL, location, units) rows of what open orders
        # claim.
        self.cart_stock: S = prepare(union_all(
            select(inventory.c.sku, inventory.c.stock, null(), null()).where(
                among(inventory.c.sku, skus)),
            select(claims.c.sku, null(), claims.c.location, func.sum(claims.c.quantity))
            .select_from(claims.join(orders, orders.c.id == claims.c.order_id))
            .where(is_open, among(claims.c.sku, skus))
            .group_by(claims.c.sku, claims.c.location)))

        numbered = orders.alias("numbered")
        order_values = _values(orders, "id", "quote_id", "option_id", "reference",
                               "accepted_text", "accepted_key", "promise", "status",
                               "closed_text", "closed_key", "at_risk")
        if numbers_orders:
            last = func.coalesce(func.max(numbered.c.seq), literal_column("0"))
            order_values[orders.c.seq] = select(last + literal_column("1")).scalar_subquery()
        self.add_order: S = prepare(insert(orders).values(order_values).on_conflict_do_nothing(
            index_elements=["id"]))
        self.add_claims: S = prepare(insert(claims).values(_values(
            claims, "order_id", "position", "sku", "location", "quantity",
            "promised_earliest", "promised_latest", "lot", "lead_time_from")))
        # An update's own `id` parameter would be taken for a SET value: `target` names
        # the row instead.
        self.close_order: S = prepare(update(orders).where(
            orders.c.id == bindparam("target"), is_open).values(
            _values(orders, "status", "closed_text", "closed_key")))
        self.mark_at_risk: S = prepare(update(orders).where(
            orders.c.id == bindparam("target"), is_open,
            orders.c.at_risk != bindparam("risk", type_=orders.c.at_risk.type)).values(
            {orders.c.at_risk: bindparam("risk", type_=orders.c.at_risk.type)}))

        self.add_receipt: S = prepare(insert(received).values(_values(
            received, "shop", "webhook_id", "topic", "received_at", "received_key", "outcome",
            "order_id"))
            .on_conflict_do_nothing(index_elements=["shop", "webhook_id"]))
        self.receipt: S = prepare(select(
            received.c.shop, received.c.webhook_id, received.c.topic, received.c.received_at,
            received.c.outcome, received.c.order_id).where(
            received.c.shop == bindparam("shop"), received.c.webhook_id == bindparam("webhook_id")))

        # A checkout's items by SKU, variant id or product id: each one index lookup (the
        # partial indexes need the IS NOT NULL spelled out for SQLite's planner).
        product = select(products.c.sku, products.c.variant_id, products.c.product_id,
                         products.c.tags, products.c.grams, products.c.length_mm,
                         products.c.width_mm, products.c.height_mm)
        self.products_by_sku: S = prepare(product.where(among(products.c.sku, skus)))
        self.products_by_variant: S = prepare(product.where(
            products.c.variant_id.is_not(None),
            among(products.c.variant_id, bindparam("ids", type_=ValueList()))))
        self.products_by_product: S = prepare(product.where(
            products.c.product_id.is_not(None),
            among(products.c.product_id, bindparam("ids", type_=ValueList()))))
        entry = insert(products).values(_values(products, *PRODUCT_COLUMNS, "updated_at"))
        self.put_product: S = prepare(entry.on_conflict_do_update(
            index_elements=["sku"], set_={key: entry.excluded[key] for key in
                                          (*PRODUCT_COLUMNS[1:], "updated_at")}))
        # What a platform says of a product: its ids, tags and weight; the size stays.
        self.merge_product: S = prepare(entry.on_conflict_do_update(
            index_elements=["sku"], set_={
                **{key: entry.excluded[key] for key in (*PLATFORM_COLUMNS, "updated_at")},
                # A variant without a weight leaves the one known.
                "grams": func.coalesce(entry.excluded.grams, products.c.grams)}))
        self.seed_product: S = prepare(entry.on_conflict_do_nothing(index_elements=["sku"]))

        # What happened to shipments: one event per (order, shipment, type), the primary
        # key, which also serves an order's events; shipment_events_by_time the scans since
        # an instant.
        events = t.shipment_events
        self.add_shipment_event: S = prepare(insert(events).values(_values(
            events, "order_id", "shipment", "type", "at_text", "at_key", "carrier", "service",
            "recorded_at")).on_conflict_do_nothing(
                index_elements=["order_id", "shipment", "type"]))
        event = select(events.c.order_id, events.c.shipment, events.c.type, events.c.at_text,
                       events.c.carrier, events.c.service)
        in_time = (events.c.at_key, events.c.order_id, events.c.shipment, events.c.type)
        since = events.c.at_key >= bindparam("since", type_=Key())
        self.shipment_event: S = prepare(event.where(
            events.c.order_id == bindparam("order_id"),
            events.c.shipment == bindparam("shipment"), events.c.type == bindparam("type")))
        self.shipment_events: S = prepare(event.where(since).order_by(*in_time))
        self.shipment_events_of: S = prepare(event.where(
            among(events.c.order_id, bindparam("ids", type_=ValueList())), since)
            .order_by(*in_time))

        calibrations = t.calibrations
        counted = insert(calibrations).values(_values(
            calibrations, "id", "observations", "stored_at"))
        self.save_calibration: S = prepare(counted.on_conflict_do_update(
            index_elements=["id"], set_={"stored_at": counted.excluded.stored_at}))
        self.calibration: S = prepare(select(calibrations.c.observations).where(
            calibrations.c.id == bindparam("id")))
        self.latest_calibration: S = prepare(select(calibrations.c.id).order_by(
            calibrations.c.stored_at.desc(), calibrations.c.id).limit(1))

        self.add_event: S = prepare(insert(webhooks).values(_values(
            webhooks, "event", "created_text", "created_key", "next_text", "next_key")))
        self.due_webhooks: S = (
            prepare(select(webhooks.c.id, webhooks.c.event, webhooks.c.created_text,
                   webhooks.c.attempts, webhooks.c.next_text, webhooks.c.last_error)
            .where(webhooks.c.delivered_at.is_(None), not_(webhooks.c.gave_up),
                   webhooks.c.next_key <= bindparam("now"),
                   or_(webhooks.c.lease_key.is_(None), webhooks.c.lease_key <= bindparam("now")))
            .order_by(webhooks.c.created_key, webhooks.c.id).limit(bindparam("limit"))
            # PostgreSQL: a row another sender is leasing now is skipped, not waited for.
            .with_for_update(skip_locked=True)))
        self.lease: S = prepare(update(webhooks).where(
            among(webhooks.c.id, bindparam("ids", type_=ValueList(integers=True)))).values(
            {webhooks.c.lease_key: bindparam("lease_until", type_=webhooks.c.lease_key.type)}))
        self.delivered: S = prepare(update(webhooks).where(
            webhooks.c.id == bindparam("target")).values({
                webhooks.c.delivered_at: bindparam("at", type_=webhooks.c.delivered_at.type),
                webhooks.c.lease_key: null()}))
        next_text = bindparam("next_text", type_=webhooks.c.next_text.type)
        next_key = bindparam("next_key", type_=webhooks.c.next_key.type)
        self.failed: S = prepare(update(webhooks).where(
            webhooks.c.id == bindparam("target"), webhooks.c.delivered_at.is_(None)).values({
                webhooks.c.attempts: webhooks.c.attempts + literal_column("1"),
                webhooks.c.last_error: bindparam("error"),
                webhooks.c.lease_key: null(),
                webhooks.c.gave_up: bindparam("gave_up", type_=webhooks.c.gave_up.type),
                webhooks.c.next_text: func.coalesce(next_text, webhooks.c.next_text),
                webhooks.c.next_key: func.coalesce(next_key, webhooks.c.next_key)}))

        # Console sessions and sign-in attempts. A bounded delete picks its rows in a
        # subquery (an alias, lest SQLAlchemy correlate it with the table deleted from).
        sessions, expired = t.console_sessions, t.console_sessions.alias("expired")
        self.start_session: S = prepare(insert(sessions).values(_values(
            sessions, "id_sha256", "key_name", "role", "key_sha256", "started_at",
            "expires_text", "expires_key")))
        self.prune_sessions: S = prepare(delete(sessions).where(sessions.c.id_sha256.in_(
            select(expired.c.id_sha256).where(expired.c.expires_key <= bindparam("now"))
            .limit(bindparam("limit")))))
        self.console_session: S = prepare(select(
            sessions.c.id_sha256, sessions.c.key_name, sessions.c.role, sessions.c.key_sha256,
            sessions.c.started_at, sessions.c.expires_text).where(
            sessions.c.id_sha256 == bindparam("id_sha256"),
            sessions.c.expires_key > bindparam("now")))
        self.end_session: S = prepare(delete(sessions).where(
            sessions.c.id_sha256 == bindparam("id_sha256")))

        attempts, old = t.sign_in_attempts, t.sign_in_attempts.alias("old")
        # Two index range scans, one per subject, joined by SQLite's OR optimisation and
        # PostgreSQL's bitmap OR.
        self.recent_attempts: S = prepare(select(
            attempts.c.id, attempts.c.address, attempts.c.key_prefix, attempts.c.at_text).where(
            or_(attempts.c.address == bindparam("address"),
                attempts.c.key_prefix == bindparam("key_prefix")),
            attempts.c.at_key > bindparam("since")).order_by(attempts.c.at_key, attempts.c.id))
        self.add_attempt: S = prepare(insert(attempts).values(_values(
            attempts, "id", "address", "key_prefix", "at_text", "at_key")))
        self.prune_attempts: S = prepare(delete(attempts).where(attempts.c.id.in_(
            select(old.c.id).where(old.c.at_key <= bindparam("since")).limit(bindparam("limit")))))
        self.forget_attempt: S = prepare(delete(attempts).where(
            attempts.c.id == bindparam("id")))


_PREPARED: dict[tuple[Any, ...], Statements[Prepared]] = {}


def prepared_statements(dialect: Dialect, insert: Callable[..., Any], *,
                        numbers_orders: bool) -> Statements[Prepared]:
    """The statements compiled for `dialect`, an initialized dialect (one that has
    connected): the SQL may depend on the server's version."""
    key = (dialect.name, dialect.driver, dialect.paramstyle, dialect.server_version_info,
           numbers_orders)
    if key not in _PREPARED:
        _PREPARED[key] = Statements(dialect.name, insert, numbers_orders=numbers_orders,
                                    prepare=lambda statement: Prepared(statement, dialect))
    return _PREPARED[key]
