"""A short-lived, bounded cache of carriers' good answers, keyed on the question asked.

A shopper's checkout asks the same question several times in a minute (each page and each
address change re-quotes), and plans of one quote often ship the same parcels; a carrier
is asked once per `seconds`. Entries expire after `seconds`; at `entries` the oldest is
dropped (an expired entry is only dropped when read or when it is the oldest, so memory
stays bounded by `entries`). One lock guards the table; no operation waits on I/O.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """`seconds` or `entries` of zero turns the cache off."""

    def __init__(self, seconds: float, entries: int, clock: Callable[[], float]) -> None:
        self._seconds = seconds
        self._entries = entries
        self._clock = clock
        self._lock = threading.Lock()
        self._table: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._table.get(key)
            if found is None:
                return None
            expires, value = found
            if self._clock() >= expires:
                del self._table[key]
                return None
            return value

    def put(self, key: K, value: V) -> None:
        if self._seconds <= 0 or self._entries <= 0:
            return
        with self._lock:
            self._table.pop(key, None)
            self._table[key] = (self._clock() + self._seconds, value)
            while len(self._table) > self._entries:
                self._table.popitem(last=False)
