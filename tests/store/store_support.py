"""Sample quote records and stock for the store tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.store import QuoteRecord

PACIFIC = timezone(timedelta(hours=-8))
AT = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=PACIFIC)


def record(quote_id: str = "q_0001", *, created_at: datetime = AT,
           reference: str | None = "cart-8812") -> QuoteRecord:
    request = {
        "reference": reference,
        "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00",
                   "tags": ["oversize"], "stock": {"on_hand": 2}}],
    }
    document = {
        "id": quote_id,
        "created_at": created_at.isoformat(),
        "ruleset": "sha256:abc",
        "stock": "mixed",
        "options": [{"id": "in_stock_first/ups/ground", "label": "Zelt zuerst – 2 Pakete",
                     "price": {"amount": "12.95", "currency": "USD"}, "hidden_by": None}],
        "messages": [],
    }
    return QuoteRecord(quote_id, created_at, "sha256:abc", reference, request, document)


def tent(on_hand: int = 2) -> SkuStock:
    """A SKU using every part of the stock document."""
    return SkuStock(
        "TENT-2P",
        (LocationStock("reno", on_hand,
                       (InboundLot(10, DateRange(date(2026, 12, 10), date(2026, 12, 14)),
                                   "PO-1", 3),
                        InboundLot(4, DateRange(date(2027, 1, 5), date(2027, 1, 5))))),
         LocationStock("newark", 0)),
        lead_time_days=(21, 35), lead_time_location="newark", backorder_limit=40)


def simple(sku: str, on_hand: int = 1) -> SkuStock:
    return SkuStock(sku, (LocationStock("reno", on_hand),))
