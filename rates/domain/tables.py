"""Tables a setup fills as it quotes: what one quote works out and the next ones reuse.

A rate table's price for a zone and weight, a service's leg from a location, a carrier's
zone for a destination, its calendars at a location and a destination, a SKU's supplies
ranked by arrival, a cart's sourcing candidates, a cart's rule shortlists: each depends
only on the setup and a few values of the cart, so it is worked out once and looked up by
later quotes. Their keys come from carts and
destinations, which no setup bounds, so each table starts over when it holds `limit`
entries (as the window book does). Threads may race to fill one key: each works out the
same immutable value, and a dict write is atomic.

The limits are small (hundreds of entries, not thousands) on purpose: what a table keeps
is a repeated cart's gain, and every object it keeps is walked by the cyclic garbage
collector's full passes. With thousands per table, a stream of carts never quoted before
(each its own postcode and quantities: `benchmarks/quote.py`'s (a1)) kept 97,000 objects
and a quote's p99 was 5.8 ms (its slowest 30 ms), against 3.0 ms (11 ms) with these; a
repeated cart is as fast either way.
"""

from __future__ import annotations

from collections.abc import Hashable
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


class Numbers:
    """Numbers for keys that are nested tuples. Python hashes a tuple anew at every
    lookup and compares an equal one field by field; a key numbered once per quote is
    then looked up in a table by its number, in one step. Equal keys get the same number
    while this keeps them (up to `limit`), and a number is never given to another key,
    even after it starts over."""

    __slots__ = ("_numbers", "_last")

    def __init__(self, limit: int) -> None:
        self._numbers: Bounded[Hashable, int] = Bounded(limit)
        self._last = 0

    def __call__(self, key: Hashable) -> int:
        found = self._numbers.get(key)
        if found is None:
            found = self._last = self._last + 1
            self._numbers.keep(key, found)
        return found
