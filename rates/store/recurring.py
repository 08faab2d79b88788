"""Work a running service repeats on the store in the background: the webhook outbox
kept moving (`rates.webhooks.dispatcher`), old quotes pruned (`rates.app.retention`).

Both drain a backlog batch by batch, each batch its own short transaction, and both must
outlive a failed batch (the database briefly unreachable), so they share this one loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Recurring:
    """Runs `work(stopping)` in a daemon thread named `name` until `stop()`: at once again
    when it returns True (a full batch: more is due now), else after `pause_seconds`. A
    failed run is logged with `failure` and the next runs as usual: a background task
    that dies silently is worse than a log line. `work` may watch `stopping` to end a long
    run early."""

    def __init__(self, name: str, work: Callable[[threading.Event], bool],
                 pause_seconds: float, failure: str) -> None:
        self._work = work
        self._pause_seconds = pause_seconds
        self._failure = failure
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop and wait at most `timeout` seconds for the thread; True if it has ended.
        A pause ends at once; a run in flight is finished first, and no other starts."""
        self._stopping.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                more = self._work(self._stopping)
            except Exception:
                log.exception(self._failure)
                more = False
            if not more:
                self._stopping.wait(self._pause_seconds)
