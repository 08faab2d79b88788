"""BigCommerce's v2 Orders API, as much as turning an order webhook into an event needs:
the order, its products, its shipping addresses, the shipping quote kept on the address,
and the store's weight unit its products are weighed in.

The one module of the package that makes requests: each GET goes to
`{api_base}/stores/{store_hash}/v2/...` with the store's API token in `X-Auth-Token` (the
API account's, with the Orders read-only and Information & Settings read-only scopes),
`Accept: application/json`, connect and read timeouts, no redirect followed (the token
would go with it) and no proxy or ~/.netrc from the environment.

How BigCommerce answers, and how each way is read: 200 with JSON; 204 No Content for an
empty list or, for the shipping quote, an order placed without one (control panel, API);
any other status, an unreadable body or no answer in time is an `OrdersApiError`
carrying the status (0: no answer), which says whether trying later may succeed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

DEFAULT_API_BASE = "https://api.bigcommerce.com"
TIMEOUT_SECONDS = (3.05, 10.0)
"""Connect, then each read: a webhook should be answered soon; BigCommerce retries one
that fails (from 60 seconds to a day apart, for 48 hours)."""
PAGE_SIZE = 250
"""Products and addresses asked for per page (v2 lists give 50 unless told, 250 at most)."""
MAX_PAGES = 40
"""A list longer than this many pages is a fault, not an order: stop rather than loop."""


class OrdersApiError(Exception):
    """The Orders API did not give what was asked: `status` is the HTTP status (0 when no
    answer came). `retryable` says whether asking later may succeed (no answer, 429, 5xx);
    401, 403 and 404 will not change by themselves."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status == 429 or self.status >= 500


@dataclass(frozen=True, slots=True)
class FetchedOrder:
    """An order as `rates.platforms.bigcommerce.orders.order_event` reads it."""

    order: Mapping[str, Any]
    products: list[Any]
    addresses: list[Any]
    shipping_quote: Mapping[str, Any] | None


class OrdersApi:
    """One store's Orders API. `api_base` is BigCommerce's, or a local stand-in in tests."""

    def __init__(self, store_hash: str, token: str, *, api_base: str = DEFAULT_API_BASE,
                 timeout: tuple[float, float] = TIMEOUT_SECONDS) -> None:
        self._root = f"{api_base.rstrip('/')}/stores/{store_hash}"
        self._timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers.update({"X-Auth-Token": token, "Accept": "application/json"})

    def close(self) -> None:
        self._session.close()

    def fetch(self, order_id: int) -> FetchedOrder:
        """The order with its products, shipping addresses and the first address's
        shipping quote (None if BigCommerce kept none)."""
        order = self.order(order_id)
        addresses = self._list(f"/v2/orders/{order_id}/shipping_addresses")
        first = addresses[0] if addresses and isinstance(addresses[0], Mapping) else None
        quote = None if first is None or "id" not in first else self.shipping_quote(
            order_id, first["id"])
        return FetchedOrder(order, self._list(f"/v2/orders/{order_id}/products"), addresses,
                            quote)

    def order(self, order_id: int) -> Mapping[str, Any]:
        found = self._get(f"/v2/orders/{order_id}")
        if not isinstance(found, Mapping):
            raise OrdersApiError(f"order {order_id}: the answer is not an order", 200)
        return found

    def shipping_quote(self, order_id: int, address_id: Any) -> Mapping[str, Any] | None:
        found = self._get(f"/v2/orders/{order_id}/shipping_addresses/{address_id}"
                          "/shipping_quotes")
        return found if isinstance(found, Mapping) else None

    def weight_unit(self) -> str:
        """The store's weight unit ("Ounces", "LBS", "KGS", "Grams", "Tonnes"), from its
        store information (`weight_units`)."""
        found = self._get("/v2/store")
        unit = found.get("weight_units") if isinstance(found, Mapping) else None
        if not isinstance(unit, str) or not unit:
            raise OrdersApiError("the store information names no weight_units", 200)
        return unit

    def _list(self, path: str) -> list[Any]:
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            found = self._get(path, {"page": page, "limit": PAGE_SIZE})
            if found is None:
                return items
            if not isinstance(found, list):
                raise OrdersApiError(f"{path}: the answer is not a list", 200)
            items.extend(found)
            if len(found) < PAGE_SIZE:
                return items
        raise OrdersApiError(f"{path}: more than {MAX_PAGES} pages", 200)

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """The JSON of a 200, None for a 204; `OrdersApiError` otherwise. The message
        names the path, never the token."""
        try:
            answer = self._session.get(self._root + path, params=params,
                                       timeout=self._timeout, allow_redirects=False)
        except requests.Timeout:
            raise OrdersApiError(f"{path}: no answer within {self._timeout[1]} s") from None
        except requests.RequestException as error:
            raise OrdersApiError(f"{path}: cannot reach the Orders API "
                                 f"({type(error).__name__})") from None
        if answer.status_code == 204:
            return None
        if answer.status_code != 200:
            raise OrdersApiError(f"{path}: the Orders API answered HTTP {answer.status_code}",
                                 answer.status_code)
        try:
            return answer.json()
        except ValueError:
            raise OrdersApiError(f"{path}: the answer is not JSON", 200) from None
