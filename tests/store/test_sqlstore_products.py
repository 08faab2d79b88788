"""The product catalog: one row per SKU, found by SKU, variant id or product id."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy

from rates.domain.products import Dimensions, Product
from rates.store import Store, WebhookReceipt

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TENT = Product("TENT-4P", frozenset({"oversize", "tent"}), "40000000004", "7000000001", 4200,
               Dimensions(700, 250, 250))
STOVE = Product("STOVE-1", frozenset(), "40000000009", "7000000002")


def test_a_product_put_is_read_back_equal_by_each_of_its_ids(store: Store):
    store.put_product(TENT, MONDAY)
    store.put_product(STOVE, MONDAY)

    assert store.products_for(skus=["TENT-4P"]) == [TENT]
    assert store.products_for(variant_ids=["40000000004"]) == [TENT]
    assert store.products_for(product_ids=["7000000001"]) == [TENT]
    assert store.products_for(skus=["STOVE-1"], variant_ids=["40000000004"],
                              product_ids=["nope"]) == [STOVE, TENT]
    assert store.products_for() == []
    assert store.products_for(skus=["NOPE"], variant_ids=["1"], product_ids=["2"]) == []


def test_putting_a_product_again_replaces_it(store: Store):
    store.put_product(TENT, MONDAY)
    bare = Product("TENT-4P")
    store.put_product(bare, TUESDAY)
    assert store.products_for(skus=["TENT-4P"]) == [bare]
    assert store.products_for(variant_ids=["40000000004"]) == []


def test_a_platform_merge_keeps_the_size_and_a_known_weight(store: Store):
    store.put_product(TENT, MONDAY)
    receipt = WebhookReceipt("s.myshopify.com", "w-1", "products/update", TUESDAY, "updated")
    store.merge_products([Product("TENT-4P", frozenset({"sale"}), "41", "71", None),
                          Product("NEW-1", frozenset({"x"}), "42", "71", 900)],
                         TUESDAY, receipt)

    assert store.products_for(product_ids=["71"]) == [
        Product("NEW-1", frozenset({"x"}), "42", "71", 900),
        Product("TENT-4P", frozenset({"sale"}), "41", "71", 4200, Dimensions(700, 250, 250))]
    assert store.webhook_receipt("s.myshopify.com", "w-1") == receipt


def test_seeding_adds_only_the_skus_not_stored(store: Store):
    store.put_product(TENT, MONDAY)
    added = store.seed_products({"TENT-4P": Product("TENT-4P"), "STOVE-1": STOVE}, TUESDAY)
    assert added == 1
    assert store.products_for(skus=["TENT-4P", "STOVE-1"]) == [STOVE, TENT]


def test_each_lookup_is_one_index_search(store_url: str, store: Store):
    """The plans of the three lookups name an index, never a scan of the table."""
    engine = sqlalchemy.create_engine(store_url.replace("postgres://", "postgresql+psycopg://")
                                      .replace("postgresql://", "postgresql+psycopg://"))
    sqlite = store_url.startswith("sqlite")
    explain = "EXPLAIN QUERY PLAN " if sqlite else "SET enable_seqscan = off; EXPLAIN "
    for column, index in (("sku", "sqlite_autoindex_products_1" if sqlite else "products_pkey"),
                          ("variant_id", "products_by_variant"),
                          ("product_id", "products_by_product")):
        with engine.connect() as connection:
            for statement in explain.split("; ")[:-1]:
                connection.exec_driver_sql(statement)
            query = (f"{explain.split('; ')[-1]}SELECT sku FROM products "  # noqa: S608
                     f"WHERE {column} IS NOT NULL AND {column} IN ('a', 'b')")
            plan = " ".join(str(row) for row in connection.exec_driver_sql(query))
        assert index in plan, plan
    engine.dispose()
