"""Tables a setup fills as it quotes: what one quote works out and the next ones reuse.

A rate table's price for a zone and weight, a service's leg from a location, a carrier's
zone for a destination, a SKU's supplies ranked by arrival, a cart's rule shortlists: each
depends only on the setup and a few values of the cart, so it is
worked out once and looked up by later quotes. Their keys come from carts and
destinations, which no setup bounds, so each table starts over when it holds `limit`
entries (as the window book does). Threads may race to fill one key: each works out the
same immutable value, and a dict write is atomic.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(dict[K, V]):
    """A dict that empties itself before it would hold more than `limit` entries. Read it
    as any dict (`get` stays a C call); fill it with `keep`."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Remember `value` under `key`, and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
