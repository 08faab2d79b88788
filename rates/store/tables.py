"""The store's tables as SQLAlchemy sees them, by the names the statements use.

The schema itself is the migrations' (`rates/store/migrations/versions`), which created
each database's tables before SQLAlchemy: these definitions never create anything. The
two schemas hold the same records but name some columns differently (an instant's ISO
text is `created_at` on SQLite, `created_iso` on PostgreSQL, whose `created_at` is the
timestamptz to sort by). Each column here has one key for both, `created_text` and
`created_key`, and `tables(dialect)` maps the keys to that database's names; a column one
database lacks is left out of its table (`closed_key` on SQLite; on PostgreSQL
`shopify_webhooks.received_key`, SQLite's `received_us`, since its timestamptz
`received_at` sorts itself). `quotes.seq` is SQLite's rowid, which orders equal instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, Table, Text

from rates.store.types import IsoText, Json, Key, Moment, Served

_SQLITE_NAMES = {
    "quotes.created_text": "created_at", "quotes.created_key": "created_us",
    "quotes.seq": "rowid",
    "orders.accepted_text": "accepted_at", "orders.accepted_key": "accepted_us",
    "orders.closed_text": "closed_at", "orders.closed_key": None,
    "webhooks.created_text": "created_at", "webhooks.created_key": "created_us",
    "webhooks.next_text": "next_attempt_at", "webhooks.next_key": "next_attempt_us",
    "webhooks.lease_key": "lease_until_us",
    "console_sessions.expires_text": "expires_at", "console_sessions.expires_key": "expires_us",
    "sign_in_attempts.at_text": "attempted_at", "sign_in_attempts.at_key": "attempted_us",
    "shopify_webhooks.received_key": "received_us",
    "shipment_events.at_text": "at", "shipment_events.at_key": "at_us",
}
_POSTGRES_NAMES = {
    "quotes.created_text": "created_iso", "quotes.created_key": "created_at",
    "orders.accepted_text": "accepted_iso", "orders.accepted_key": "accepted_at",
    "orders.closed_text": "closed_iso", "orders.closed_key": "closed_at",
    "webhooks.created_text": "created_iso", "webhooks.created_key": "created_at",
    "webhooks.next_text": "next_attempt_iso", "webhooks.next_key": "next_attempt_at",
    "webhooks.lease_key": "lease_until",
    "console_sessions.expires_text": "expires_iso", "console_sessions.expires_key": "expires_at",
    "sign_in_attempts.at_text": "attempted_iso", "sign_in_attempts.at_key": "attempted_at",
    "shopify_webhooks.received_key": None,
    "shipment_events.at_text": "at_iso", "shipment_events.at_key": "at",
}


@dataclass(frozen=True)
class Tables:
    quotes: Table
    setups: Table
    inventory: Table
    orders: Table
    claims: Table
    webhooks: Table
    shopify_webhooks: Table
    products: Table
    console_sessions: Table
    sign_in_attempts: Table
    lots: Table
    shipment_events: Table
    calibrations: Table


def tables(dialect: str) -> Tables:
    """The tables of `dialect` ("sqlite" or "postgresql")."""
    names = _SQLITE_NAMES if dialect == "sqlite" else _POSTGRES_NAMES
    metadata = MetaData()

    def table(name: str, *columns: tuple[str, Any]) -> Table:
        kept = [Column(names.get(f"{name}.{key}", key), kind, key=key)
                for key, kind in columns if names.get(f"{name}.{key}", key) is not None]
        return Table(name, metadata, *kept, implicit_returning=False)

    return Tables(
        quotes=table("quotes", ("id", Text), ("seq", BigInteger), ("created_text", IsoText),
                     ("created_key", Key), ("ruleset", Text), ("reference", Text),
                     ("request", Json), ("document", Served), ("cart_key", Text),
                     ("setup", Text), ("inputs", Json)),
        setups=table("setups", ("id", Text), ("config", Text), ("rules", Text),
                     ("files", Json), ("stored_at", Moment)),
        inventory=table("inventory", ("sku", Text), ("stock", Json), ("updated_at", Moment)),
        orders=table("orders", ("id", Text), ("seq", BigInteger), ("quote_id", Text),
                     ("option_id", Text), ("reference", Text), ("accepted_text", IsoText),
                     ("accepted_key", Key), ("promise", Json), ("status", Text),
                     ("closed_text", IsoText), ("closed_key", Key), ("at_risk", Boolean)),
        claims=table("claims", ("order_id", Text), ("position", Integer), ("sku", Text),
                     ("location", Text), ("quantity", Integer), ("promised_earliest", Date),
                     ("promised_latest", Date), ("lot", Text), ("lead_time_from", Date)),
        webhooks=table("webhooks", ("id", BigInteger), ("event", Json),
                       ("created_text", IsoText), ("created_key", Key),
                       ("attempts", Integer), ("next_text", IsoText), ("next_key", Key),
                       ("lease_key", Key), ("last_error", Text), ("delivered_at", Moment),
                       ("gave_up", Boolean)),
        shopify_webhooks=table("shopify_webhooks", ("shop", Text), ("webhook_id", Text),
                               ("topic", Text), ("received_at", Moment),
                               ("received_key", Key), ("outcome", Text), ("order_id", Text)),
        products=table("products", ("sku", Text), ("variant_id", Text), ("product_id", Text),
                       ("tags", Json), ("grams", Integer), ("length_mm", Integer),
                       ("width_mm", Integer), ("height_mm", Integer),
                       ("updated_at", Moment)),
        console_sessions=table("console_sessions", ("id_sha256", Text), ("key_name", Text),
                               ("role", Text), ("key_sha256", Text), ("started_at", Moment),
                               ("expires_text", IsoText), ("expires_key", Key)),
        sign_in_attempts=table("sign_in_attempts", ("id", Text), ("address", Text),
                               ("key_prefix", Text), ("at_text", IsoText), ("at_key", Key)),
        lots=table("lots", ("sku", Text), ("location", Text), ("lot", Text),
                   ("supplier", Text), ("promised_earliest", Date), ("promised_latest", Date),
                   ("first_seen_at", Moment), ("received_on", Date), ("received_at", Moment)),
        shipment_events=table("shipment_events", ("order_id", Text), ("shipment", Integer),
                              ("type", Text), ("at_text", IsoText), ("at_key", Key),
                              ("carrier", Text), ("service", Text), ("recorded_at", Moment)),
        calibrations=table("calibrations", ("id", Text), ("observations", Json),
                           ("stored_at", Moment)),
    )
