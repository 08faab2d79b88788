"""The folder in which `rates serve`'s gunicorn workers keep their metrics, so that a
scrape answered by any one worker reports the whole server.

Each worker writes its counters, histograms and gauges to memory-mapped files of its own
in the folder (prometheus_client's multiprocess mode) and `/metrics` adds up every file.
prometheus_client decides when it is first imported whether its values live in memory or
in files, from `PROMETHEUS_MULTIPROC_DIR`; so gunicorn's master prepares the folder and
sets the variable before it imports the app, and the workers it forks inherit both. This
module therefore imports no prometheus_client until a worker has exited.

A worker that exits leaves its counter and histogram files behind: what it counted stays
in the server's totals, so a replaced worker never makes a counter go back. Only its
live gauges' files are deleted (`worker_exited`). A folder from an earlier run is
emptied at start, or that run's counts would add in.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENT = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus_client's variable: where the values of every process are kept."""


@dataclass(frozen=True, slots=True)
class SharedMetrics:
    folder: Path
    made_here: bool
    """A folder made for this run is removed when the server stops; one the operator
    named (on a tmpfs, say) is theirs, and is only emptied at the next start."""

    @classmethod
    def prepare(cls, environ: MutableMapping[str, str]) -> SharedMetrics:
        """The folder `environ` names, emptied of an earlier run's files; else a new
        temporary one, then named in `environ` for prometheus_client and the workers."""
        named = environ.get(ENVIRONMENT)
        if not named:
            folder = Path(tempfile.mkdtemp(prefix="rates-metrics-"))
            environ[ENVIRONMENT] = str(folder)
            return cls(folder, made_here=True)
        folder = Path(named)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):  # prometheus_client's files, and only those
            stale.unlink()
        return cls(folder, made_here=False)

    def worker_exited(self, pid: int) -> None:
        """Drop a dead worker's live gauges (a breaker state, a ruleset time); its counts
        stay. Called in gunicorn's master, which by then has imported prometheus_client
        with the folder set, so importing it here changes nothing."""
        from prometheus_client.multiprocess import mark_process_dead

        mark_process_dead(pid, str(self.folder))  # type: ignore[no-untyped-call]

    def remove(self) -> None:
        """Remove the folder if it was made for this run."""
        if self.made_here:
            shutil.rmtree(self.folder, ignore_errors=True)
