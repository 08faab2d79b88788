"""The v2 Orders API client, against a real HTTP server on 127.0.0.1 answering with
BigCommerce's documented examples (tests/support/bigcommerce.py; the fixtures' sources are
listed in test_orders.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rates.platforms.bigcommerce.api import PAGE_SIZE, FetchedOrder, OrdersApi, OrdersApiError
from tests.support.bigcommerce import (
    STORE_HASH,
    TOKEN,
    FakeStore,
    StoredOrder,
    bigcommerce_api,
    fixture,
)


@pytest.fixture
def store() -> Iterator[FakeStore]:
    with bigcommerce_api() as found:
        addresses = fixture("order_shipping_addresses.json")
        found.orders[218] = StoredOrder(
            fixture("order.json"), fixture("order_products.json"), addresses,
            {addresses[0]["id"]: fixture("order_shipping_quote.json")})
        yield found


def api(store: FakeStore, token: str = TOKEN, timeout: float = 5.0) -> OrdersApi:
    return OrdersApi(STORE_HASH, token, api_base=store.base, timeout=(timeout, timeout))


def test_an_order_is_fetched_with_its_products_addresses_and_shipping_quote(
        store: FakeStore) -> None:
    fetched = api(store).fetch(218)
    assert fetched == FetchedOrder(fixture("order.json"), fixture("order_products.json"),
                                   fixture("order_shipping_addresses.json"),
                                   fixture("order_shipping_quote.json"))
    prefix = f"/stores/{STORE_HASH}/v2/orders/218"
    assert [r["path"] for r in store.requests] == [
        prefix, f"{prefix}/shipping_addresses", f"{prefix}/shipping_addresses/132/shipping_quotes",
        f"{prefix}/products"]
    for request in store.requests:
        assert request["headers"]["X-Auth-Token"] == TOKEN
        assert request["headers"]["Accept"] == "application/json"
    assert store.requests[1]["query"] == {"page": "1", "limit": str(PAGE_SIZE)}


def test_an_order_without_a_kept_quote_or_products_reads_none_and_empty(
        store: FakeStore) -> None:
    store.orders[218].quotes.clear()
    store.orders[218].products.clear()
    fetched = api(store).fetch(218)
    assert (fetched.shipping_quote, fetched.products) == (None, [])


def test_a_long_list_is_read_page_by_page(store: FakeStore) -> None:
    product = fixture("order_products.json")[0]
    store.orders[218].products[:] = [{**product, "id": n} for n in range(PAGE_SIZE + 3)]
    fetched = api(store).fetch(218)
    assert [p["id"] for p in fetched.products] == list(range(PAGE_SIZE + 3))
    assert [r["query"].get("page") for r in store.requests
            if r["path"].endswith("/products")] == ["1", "2"]


def test_the_stores_weight_unit_is_read_from_its_information(store: FakeStore) -> None:
    assert api(store).weight_unit() == "Ounces"


@pytest.mark.parametrize(("setup", "status", "retryable"), [
    ("unknown order", 404, False),
    ("wrong token", 401, False),
    ("server error", 503, True),
])
def test_a_refusal_is_an_error_that_says_whether_to_try_again(
        store: FakeStore, setup: str, status: int, retryable: bool) -> None:
    client = api(store, token="wrong" if setup == "wrong token" else TOKEN)
    if setup == "server error":
        store.fail = 503
    with pytest.raises(OrdersApiError) as caught:
        client.fetch(999 if setup == "unknown order" else 218)
    assert (caught.value.status, caught.value.retryable) == (status, retryable)
    assert TOKEN not in str(caught.value)


def test_no_answer_in_time_is_a_retryable_error(store: FakeStore) -> None:
    store.hang = True
    with pytest.raises(OrdersApiError) as caught:
        api(store, timeout=0.2).order(218)
    assert (caught.value.status, caught.value.retryable) == (0, True)


def test_a_closed_port_is_a_retryable_error() -> None:
    with bigcommerce_api() as gone:
        base = gone.base
    client = OrdersApi(STORE_HASH, TOKEN, api_base=base, timeout=(1.0, 1.0))
    with pytest.raises(OrdersApiError) as caught:
        client.order(218)
    assert caught.value.retryable and "ConnectionError" in caught.value.message
