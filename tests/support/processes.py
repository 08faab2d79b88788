"""The processes of a running `rates serve`, read from /proc and signalled (Linux):
gunicorn's workers are the children of its master, the process the `serve` fixture
started."""

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def workers(master: int) -> set[int]:
    """The live child processes of `master`."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rpartition(")")[2].split()[:2]
        except OSError:
            continue
        if int(parent) == master and state != "Z":
            found.add(int(stat.parent.name))
    return found


def holds_open(pid: int, path: Path) -> bool:
    """Whether `pid` has `path` open: a worker opens the store after it has loaded the
    rules, so once it holds the database open it has booted."""
    try:
        return any(Path(os.readlink(fd)) == path for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def booted_workers(master: int, database: Path, count: int,
                   replacing: frozenset[int] = frozenset()) -> set[int]:
    """The `count` workers of `master` once each has booted and none is one of
    `replacing` (workers just killed); fails if that takes over 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = workers(master)
        if (len(found) == count and not found & replacing
                and all(holds_open(pid, database) for pid in found)):
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} workers of {master} did not boot")


@contextmanager
def paused(pid: int) -> Iterator[None]:
    """`pid` stopped (SIGSTOP) for the block, so another worker accepts every connection
    made meanwhile; continued afterwards, whatever happens."""
    os.kill(pid, signal.SIGSTOP)
    try:
        while Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "T":
            time.sleep(0.01)
        yield
    finally:
        os.kill(pid, signal.SIGCONT)
