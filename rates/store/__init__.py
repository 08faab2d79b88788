"""Persistence of quotes and inventory: the `Store` interface and `open_store`."""

from rates.store.base import (
    OrderCheck,
    OrderRecord,
    OrderStatus,
    PrunedQuotes,
    PruneMark,
    QuoteRecord,
    Store,
    WebhookDelivery,
    WebhookReceipt,
)
from rates.store.factory import configured_url, open_store

__all__ = ["OrderCheck", "OrderRecord", "OrderStatus", "PruneMark", "PrunedQuotes",
           "QuoteRecord", "Store", "WebhookDelivery", "WebhookReceipt", "configured_url",
           "open_store"]
