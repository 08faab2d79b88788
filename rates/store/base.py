"""What the service keeps between requests, as one backend-neutral interface.

The web and CLI code against `Store` only; `open_store` picks the backend from the URL in
the settings, so moving from SQLite to PostgreSQL changes configuration, not callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from rates.domain.stock import SkuStock


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A served quote, kept so support can look it up by id or by cart reference.

    `request` and `document` are the JSON exactly as received and as served, so the record
    shows what the shopper saw even after the rules or the code change.
    """

    id: str
    created_at: datetime
    ruleset: str
    reference: str | None
    request: dict[str, Any]
    document: dict[str, Any]


class Store(Protocol):
    """Quotes and inventory. Safe to share between threads; every method is one transaction.

    Datetimes must be timezone-aware (a naive one raises ValueError): they come back as the
    same instant with the same UTC offset.
    """

    def save_quote(self, record: QuoteRecord) -> None:
        """Keep `record`. Saving an id again is a no-op (the first record stays), so a
        retried request cannot duplicate a quote."""

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        """The record with this id, or None."""

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        """At most `limit` (>= 1) records of this cart reference, newest first."""

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        """Replace (or add) the stock of `stock.sku`."""

    def get_inventory(self, sku: str) -> SkuStock | None:
        """The stored stock of `sku`, or None if it was never stored."""

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        """The stored stock of each of `skus` that has some, in one query (a cart's SKUs)."""

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        """Add the SKUs not stored yet, leaving stored ones as they are (they may have been
        updated through the API since the seed file was written); how many were added."""

    def ping(self) -> None:
        """Raise if the database cannot be read (for the readiness probe)."""

    def close(self) -> None:
        """Release the connections; the store cannot be used afterwards."""
