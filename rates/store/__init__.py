"""Persistence of quotes and inventory: the `Store` interface and `open_store`."""

from rates.store.base import (
    AttemptCheck,
    CartStock,
    ConsoleSession,
    OrderCheck,
    OrderRecord,
    OrderStatus,
    PrunedQuotes,
    PruneMark,
    QuoteInputs,
    QuoteRecord,
    SignInAttempt,
    Store,
    StoredSetup,
    WebhookDelivery,
    WebhookReceipt,
)
from rates.store.factory import configured_url, open_store

__all__ = ["AttemptCheck", "CartStock", "ConsoleSession", "OrderCheck", "OrderRecord",
           "OrderStatus", "PruneMark", "PrunedQuotes", "QuoteInputs", "QuoteRecord",
           "SignInAttempt", "Store", "StoredSetup", "WebhookDelivery", "WebhookReceipt",
           "configured_url", "open_store"]
