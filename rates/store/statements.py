"""Every statement of the store, built once per dialect from one definition.

SQLAlchemy compiles a statement object once per dialect and keeps the SQL in its cache, so
the statements are made here when a store first needs them (`statements`, cached), never
per call. They differ between the databases only through the tables' column names and
types (`rates.store.tables`), the dialect's `insert` (for ON CONFLICT), and how orders are
numbered. Parameters are named by the column keys that `rates.store.rows` fills.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    not_,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import TextClause

from rates.store.tables import tables
from rates.store.types import TextList, among


def _values(table: Table, *keys: str) -> dict[Any, Any]:
    """`keys`' columns, each set from the parameter of its key; a key the table lacks on
    this database is left out."""
    return {table.c[key]: bindparam(key, type_=table.c[key].type)
            for key in keys if key in table.c}


class Statements:
    def __init__(self, dialect: str, insert: Callable[..., Any], *,
                 numbers_orders: bool) -> None:
        t = tables(dialect)
        quotes, inventory, orders, claims, webhooks = (t.quotes, t.inventory, t.orders,
                                                       t.claims, t.webhooks)
        skus = bindparam("skus", type_=TextList())
        self.ping: TextClause = text("SELECT 1 FROM quotes LIMIT 1")

        self.save_quote: Insert = insert(quotes).values(_values(
            quotes, "id", "created_text", "created_key", "ruleset", "reference", "request",
            "document")).on_conflict_do_nothing(index_elements=["id"])
        quote = select(quotes.c.id, quotes.c.created_text, quotes.c.ruleset,
                       quotes.c.reference, quotes.c.request, quotes.c.document)
        self.get_quote: Select[Any] = quote.where(quotes.c.id == bindparam("id"))
        self.find_quotes: Select[Any] = (
            quote.where(quotes.c.reference == bindparam("reference"))
            .order_by(quotes.c.created_key.desc(), quotes.c.seq.desc())
            .limit(bindparam("limit")))

        stock = insert(inventory).values(_values(inventory, "sku", "stock", "updated_at"))
        self.put_inventory: Insert = stock.on_conflict_do_update(
            index_elements=["sku"], set_={"stock": stock.excluded.stock,
                                          "updated_at": stock.excluded.updated_at})
        # The SKUs added, one row each: a batch's rowcount is not known on PostgreSQL.
        self.seed_inventory: Insert = stock.on_conflict_do_nothing(
            index_elements=["sku"]).returning(inventory.c.sku)
        self.inventory: Select[Any] = select(inventory.c.sku, inventory.c.stock).where(
            among(inventory.c.sku, skus))

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
        self.order: Select[Any] = joined.where(orders.c.id == bindparam("id")).order_by(
            claims.c.position)
        found, newest = orders.alias("found"), (orders.c.accepted_key.desc(),
                                                orders.c.seq.desc())
        self.find_orders: Select[Any] = joined.where(orders.c.id.in_(
            select(found.c.id)
            .where(or_(found.c.reference == bindparam("reference"),
                       found.c.quote_id == bindparam("quote_id")))
            .order_by(found.c.accepted_key.desc(), found.c.seq.desc())
            .limit(bindparam("limit")))).order_by(*newest, claims.c.position)
        self.open_orders: Select[Any] = joined.where(is_open).order_by(*queue_order)
        waiting = claims.alias("waiting")
        self.open_orders_of: Select[Any] = joined.where(is_open, orders.c.id.in_(
            select(waiting.c.order_id).where(among(waiting.c.sku, skus)))).order_by(*queue_order)
        self.open_claims: Select[Any] = select(*claim).select_from(
            claims.join(orders, orders.c.id == claims.c.order_id)).where(
            is_open, among(claims.c.sku, skus)).order_by(*queue_order)
        units = select(claims.c.sku, claims.c.location, func.sum(claims.c.quantity)).select_from(
            claims.join(orders, orders.c.id == claims.c.order_id)).where(
            is_open, among(claims.c.sku, skus)).group_by(claims.c.sku, claims.c.location)
        self.claimed: Select[Any] = units
        self.claimed_ahead: Select[Any] = units.where(orders.c.seq < bindparam("ahead"))

        numbered = orders.alias("numbered")
        order_values = _values(orders, "id", "quote_id", "option_id", "reference",
                               "accepted_text", "accepted_key", "promise", "status",
                               "closed_text", "closed_key", "at_risk")
        if numbers_orders:
            last = func.coalesce(func.max(numbered.c.seq), literal_column("0"))
            order_values[orders.c.seq] = select(last + literal_column("1")).scalar_subquery()
        # An INSERT's rowcount is kept only when asked for: 0 if the id was taken.
        self.add_order: Insert = insert(orders).values(order_values).on_conflict_do_nothing(
            index_elements=["id"]).execution_options(preserve_rowcount=True)
        self.add_claims: Insert = insert(claims).values(_values(
            claims, "order_id", "position", "sku", "location", "quantity",
            "promised_earliest", "promised_latest", "lot", "lead_time_from"))
        # An update's own `id` parameter would be taken for a SET value: `target` names
        # the row instead.
        self.close_order: Update = update(orders).where(
            orders.c.id == bindparam("target"), is_open).values(
            _values(orders, "status", "closed_text", "closed_key"))
        self.mark_at_risk: Update = update(orders).where(
            orders.c.id == bindparam("target"), is_open,
            orders.c.at_risk != bindparam("risk", type_=orders.c.at_risk.type)).values(
            {orders.c.at_risk: bindparam("risk", type_=orders.c.at_risk.type)})

        self.add_event: Insert = insert(webhooks).values(_values(
            webhooks, "event", "created_text", "created_key", "next_text", "next_key"))
        self.due_webhooks: Select[Any] = (
            select(webhooks.c.id, webhooks.c.event, webhooks.c.created_text,
                   webhooks.c.attempts, webhooks.c.next_text, webhooks.c.last_error)
            .where(webhooks.c.delivered_at.is_(None), not_(webhooks.c.gave_up),
                   webhooks.c.next_key <= bindparam("now"),
                   or_(webhooks.c.lease_key.is_(None), webhooks.c.lease_key <= bindparam("now")))
            .order_by(webhooks.c.created_key, webhooks.c.id).limit(bindparam("limit"))
            # PostgreSQL: a row another sender is leasing now is skipped, not waited for.
            .with_for_update(skip_locked=True))
        self.lease: Update = update(webhooks).where(
            webhooks.c.id.in_(bindparam("ids", expanding=True))).values(
            {webhooks.c.lease_key: bindparam("lease_until", type_=webhooks.c.lease_key.type)})
        self.delivered: Update = update(webhooks).where(
            webhooks.c.id == bindparam("target")).values({
                webhooks.c.delivered_at: bindparam("at", type_=webhooks.c.delivered_at.type),
                webhooks.c.lease_key: null()})
        next_text = bindparam("next_text", type_=webhooks.c.next_text.type)
        next_key = bindparam("next_key", type_=webhooks.c.next_key.type)
        self.failed: Update = update(webhooks).where(
            webhooks.c.id == bindparam("target"), webhooks.c.delivered_at.is_(None)).values({
                webhooks.c.attempts: webhooks.c.attempts + literal_column("1"),
                webhooks.c.last_error: bindparam("error"),
                webhooks.c.lease_key: null(),
                webhooks.c.gave_up: bindparam("gave_up", type_=webhooks.c.gave_up.type),
                webhooks.c.next_text: func.coalesce(next_text, webhooks.c.next_text),
                webhooks.c.next_key: func.coalesce(next_key, webhooks.c.next_key)})


@cache
def statements(dialect: str, insert: Callable[..., Any], *, numbers_orders: bool) -> Statements:
    return Statements(dialect, insert, numbers_orders=numbers_orders)
