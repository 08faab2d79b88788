"""Moving a SQLite WAL into the database file in the background, not inside a request.

In WAL mode a commit appends pages to the WAL; a checkpoint copies them into the database
file. SQLite's default runs the checkpoint inside whichever commit takes the WAL past
1,000 pages, and that commit's request waits for it. A stored quote is over 100 KB, so
one quote in about 35 paid for copying 4 MB: 13 ms more, the slowest 3% of all quotes
(`benchmarks/README.md`, session 5). Here a thread checkpoints every `interval` seconds;
request connections keep SQLite's own checkpoint only as a backstop, at `BACKSTOP_PAGES`.
Durability does not change: a commit is in the fsynced WAL before it is answered, and a
checkpoint interrupted by a crash is finished by the next connection to open the file.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 10_000
"""Request connections checkpoint only past this many WAL pages (40 MB): if the thread
falls behind or is gone, the WAL still stops growing."""


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
