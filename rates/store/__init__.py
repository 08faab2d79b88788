"""Persistence of quotes and inventory: the `Store` interface and `open_store`."""

from rates.store.base import (
    OrderCheck,
    OrderRecord,
    OrderStatus,
    QuoteRecord,
    Store,
    WebhookDelivery,
    WebhookReceipt,
)
from rates.store.factory import configured_url, open_store

__all__ = ["OrderCheck", "OrderRecord", "OrderStatus", "QuoteRecord", "Store", "WebhookDelivery",
           "WebhookReceipt", "configured_url", "open_store"]
