"""Moving a SQLite WAL into the database file between requests, not inside one.

In WAL mode a commit appends pages to the WAL; a checkpoint copies them into the database
file. SQLite runs the checkpoint inside whichever commit takes the WAL past 1,000 pages,
and that commit's request waits for it. A stored quote is over 100 KB, so one quote in
about 35 paid for copying 4 MB, some 13 ms. A thread here checkpoints every 0.05 s: at
the pace of one client the WAL never reaches the threshold, so no commit copies. Under
heavier load, commits still checkpoint past it. That is on purpose: a thread alone,
copying bigger batches, made the commits' fsyncs queue behind its own, and through
gunicorn at full load the p99 went up (`benchmarks/README.md`, session 5).
Durability does not change: a commit is in the fsynced WAL before it is answered, and a
checkpoint cut short by a crash is finished by the next connection to open the file.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Checkpointer:
    """A daemon thread checkpointing one database's WAL every `interval` seconds, on its
    own connection, until `stop()`. A PASSIVE checkpoint never waits for readers or
    writers: pages a reader still needs are left for the next round."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], interval: float) -> None:
        self._connection = connect()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                try:
                    self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:  # another process's checkpoint, a full disk: next round
                    log.warning("WAL checkpoint failed; will try again", exc_info=True)
        finally:
            self._connection.close()
