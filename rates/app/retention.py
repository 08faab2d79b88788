"""Keeping the store bounded: what every request adds is removed once past its retention.

Every quote is stored (a Shopify checkout asks for one at each change of its cart), so
without pruning the database grows with every request, for ever. A quote is kept for
`store.quote_retention_days` (default 30: as long as support may look it up; the config
is refused if that is shorter than a quote can be accepted), and for as long as an order
refers to it (orders are the merchant's record and are never removed). A Shopify webhook
receipt is kept `RECEIPT_RETENTION`: Shopify retries a delivery for 48 hours at most, and
a receipt only serves to recognise such a retry.

The work is done in batches of at most `BATCH` rows, each one short transaction, so
pruning never holds the database long, however much is due: a running service prunes in
a thread of its own every `store.prune_interval_seconds` (`RetentionThread`, one per
worker, as the webhook dispatcher), and `rates store prune` prunes once, to the end, for
cron.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rates.settings import RetentionSettings
from rates.store import PruneMark, Store
from rates.store.recurring import Recurring

log = logging.getLogger(__name__)

RECEIPT_RETENTION = timedelta(days=7)
BATCH = 200
"""Rows removed (or quotes looked at) per transaction: a few milliseconds of the lock."""


@dataclass(frozen=True, slots=True)
class Pruned:
    """What pruning removed; `kept` counts the quotes past their retention that an order
    refers to, `full` whether a batch was full (more may be due at once)."""

    quotes: int = 0
    receipts: int = 0
    kept: int = 0
    full: bool = False

    def __add__(self, other: Pruned) -> Pruned:
        return Pruned(self.quotes + other.quotes, self.receipts + other.receipts,
                      self.kept + other.kept, other.full)


class Retention:
    """Prunes `store` as of `clock`'s now. One pass over the old quotes goes on from
    batch to batch (`PruneMark`), so the quotes orders keep are read once per pass, not
    once per batch; a new instance starts a new pass."""

    def __init__(self, store: Store, settings: RetentionSettings,
                 clock: Callable[[], datetime], batch: int = BATCH) -> None:
        self._store = store
        self._quotes_for = timedelta(days=settings.quote_retention_days)
        self._clock = clock
        self._batch = batch
        self._mark: PruneMark | None = None

    def prune_batch(self) -> Pruned:
        """One batch of quotes and one of receipts past their retention."""
        now = self._clock()
        quotes = self._store.prune_quotes(now - self._quotes_for, self._batch, self._mark)
        self._mark = quotes.mark or self._mark
        receipts = self._store.prune_receipts(now - RECEIPT_RETENTION, self._batch)
        return Pruned(quotes.removed, receipts, quotes.looked_at - quotes.removed,
                      full=quotes.looked_at == self._batch or receipts == self._batch)

    def prune(self) -> Pruned:
        """Batches until nothing more is due: all that is past its retention is gone."""
        done = Pruned(full=True)
        while done.full:
            done += self.prune_batch()
        return done


class RetentionThread(Recurring):
    """Prunes one batch at a time in a thread of its own (`rates.store.recurring`): at once
    again after a full batch, else after `interval_seconds`; what each batch removed is
    logged."""

    def __init__(self, retention: Retention, interval_seconds: float) -> None:
        def prune(stopping: threading.Event) -> bool:
            pruned = retention.prune_batch()
            if pruned.quotes or pruned.receipts:
                log.info("store pruned", extra={"quotes": pruned.quotes,
                                                "receipts": pruned.receipts})
            return pruned.full

        super().__init__("store-retention", prune, interval_seconds,
                         failure="store pruning failed; will try again")
