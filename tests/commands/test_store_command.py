"""`rates store prune` on the store of a copy of the example: quotes past the retention
go (except those orders refer to), webhook receipts past a week go, and it says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rates.cli import main
from rates.store import WebhookReceipt, configured_url, open_store
from tests.support.store import claim, order, record

AT = "2026-12-31T12:00:00+00:00"
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
SHOP = "example-outfitters.myshopify.com"


def test_prune_removes_what_is_past_its_retention_and_says_so(capsys, example):
    url = configured_url("sqlite:///rates.db", example)  # the example's store.url
    store = open_store(url, default_location="reno")
    for age in (40, 35, 31, 29):
        store.save_quote(record(f"q{age}", created_at=NOW - timedelta(days=age)))
    store.place_order(order("o_0001", claim(), quote_id="q35"), lambda stock, claimed: None)
    store.record_webhook(WebhookReceipt(SHOP, "w-1", "orders/create",
                                        NOW - timedelta(days=8), "promised", "o_0001"))
    store.close()

    assert main(["store", "prune", "--config", str(example), "--at", AT]) == 0

    assert capsys.readouterr().out == (
        "removed 2 quote(s) older than 30 day(s) and 1 webhook receipt(s); kept 1 old "
        "quote(s) that orders refer to\n")
    store = open_store(url, default_location="reno")
    try:
        assert [age for age in (40, 35, 31, 29) if store.get_quote(f"q{age}")] == [35, 29]
        assert store.webhook_receipt(SHOP, "w-1") is None
    finally:
        store.close()


def test_prune_on_a_broken_config_exits_2(capsys, example):
    example.write_text(example.read_text().replace(
        "orders: {quote_valid_hours: 24}", "orders: {quote_valid_hours: 800}"))

    assert main(["store", "prune", "--config", str(example), "--at", AT]) == 2
    assert "must be at most 720 (store.quote_retention_days is 30 days)" in (
        capsys.readouterr().err)
