"""Persistence of quotes and inventory: the `Store` interface and `open_store`."""

from rates.store.base import QuoteRecord, Store
from rates.store.factory import open_store

__all__ = ["QuoteRecord", "Store", "open_store"]
