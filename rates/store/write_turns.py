"""Writers of one SQLite file taking turns, without SQLite's millisecond sleeps.

SQLite lets one connection write at a time. A connection that finds the write lock taken
waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15 ms and more between tries.
Under two busy gunicorn workers, whose quote writes hold the lock about 0.4 ms each
(the commit's fsync), one write in eight slept a millisecond or more (the longest 55 ms),
and the request p99 doubled (`benchmarks/README.md`, session 14).

So a write takes its turn first: an exclusive `flock` on a file beside the database,
held from before `BEGIN IMMEDIATE` until after the commit. Every writer of the store
takes turns alike, in every process and thread (each turn has its own open file, and
`flock` is per open file), so `BEGIN IMMEDIATE` then finds the lock free. A writer that
finds the turn taken tries again after 50 us, then 100, at most 1 ms apart. SQLite's
handler still serves writers that take no turn (a migration, another program).

The lock is the kernel's: a process that dies holding it gives it back. A turn is waited
for as long as SQLite waits for its lock (`WAIT_SECONDS`), and then fails as SQLite does.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path

FIRST_PAUSE_SECONDS = 0.00005
LONGEST_PAUSE_SECONDS = 0.001


def turns_file(database: str) -> Path:
    """The file whose lock is the turn to write `database`: beside it, as SQLite's own
    `-wal` and `-shm` are."""
    return Path(f"{database}-writers")


class WriteTurns:
    """Turns at writing one database, for any thread of any process. A turn is an open
    file of `path` locked with `flock`; the open files are kept for the next turns."""

    def __init__(self, path: Path, wait_seconds: float) -> None:
        self._path = path
        self._wait_seconds = wait_seconds
        self._idle: list[int] = []
        self._lock = threading.Lock()
        self._closed = False

    def take(self) -> int:
        """Wait for the turn and hold it; what `give_back` takes. `sqlite3.OperationalError`
        ("database is locked") if it did not come within the wait."""
        handle = self._handle()
        try:
            self._lock_file(handle)
        except BaseException:
            self._keep(handle)
            raise
        return handle

    def give_back(self, turn: int) -> None:
        """End the turn `take` gave."""
        try:
            fcntl.flock(turn, fcntl.LOCK_UN)
        finally:
            self._keep(turn)

    def close(self) -> None:
        """Close the idle files now, and the others as their turns end."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for handle in idle:
            os.close(handle)

    def _lock_file(self, handle: int) -> None:
        pause, deadline = FIRST_PAUSE_SECONDS, time.monotonic() + self._wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)

    def _handle(self) -> int:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def _keep(self, handle: int) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(handle)
                return
        os.close(handle)
