"""The reloading setup a running service quotes from, and its safe reload.

A reload loads and checks every file as a whole; only a complete, valid setup replaces the
current one, in a single reference assignment. A quote reads `current` once, so it never
sees half of one rule set and half of another, and a broken file never replaces the rules
that are live: the last good set keeps serving and the problems are kept for `GET /v1/rules`.

The watcher polls file fingerprints (path, size, mtime) rather than relying on inotify,
which editors defeat by writing a temporary file and renaming it, and which does not
reach network mounts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rates.domain.errors import ConfigError
from rates.loading import Setup, load_setup

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RulesStatus:
    version: str
    loaded_at: datetime
    last_attempt_at: datetime
    errors: tuple[str, ...]


Fingerprint = frozenset[tuple[str, int, int]]


class ReloadingSetup:
    """The setup loaded from `config_path`. `fallback` is served instead if the files are
    broken when this starts: `rates serve` passes the setup gunicorn's master loaded, so a
    worker respawned while someone is mid-way through a bad edit starts on good rules
    (those the server started with) rather than failing to boot, which would make the
    master stop the whole server. Without a fallback, broken files raise ConfigError."""

    def __init__(self, config_path: Path, clock: Callable[[], datetime],
                 fallback: Setup | None = None) -> None:
        self.config_path = config_path
        self._clock = clock
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        now = clock()
        errors: tuple[str, ...] = ()
        loading_since = time.time_ns()
        try:
            self.current: Setup = load_setup(config_path, today=now.date())
        except ConfigError as error:
            if fallback is None:
                raise
            self.current, errors = fallback, tuple(error.problems)
            log.warning("the files are broken at start: serving %s, the rules the server "
                        "started with, until they are fixed", fallback.ruleset.version,
                        extra={"problems": error.problems})
        # The fingerprint is taken after the load (which names the files), so a file
        # written while it ran could look already loaded: then none is kept and the
        # watcher's first look reloads. With broken files, the watcher reloads once they
        # change.
        self._fingerprint = self._files()
        if any(mtime >= loading_since for _, _, mtime in self._fingerprint):
            self._fingerprint = frozenset()
        self.status = RulesStatus(self.current.ruleset.version, now, now, errors)
        self._stop = threading.Event()
        self._listeners: list[Callable[[RulesStatus], None]] = []

    def subscribe(self, listener: Callable[[RulesStatus], None]) -> None:
        """Call `listener` with the status after every reload attempt (for metrics)."""
        self._listeners.append(listener)

    def _files(self) -> Fingerprint:
        """(path, size, mtime) of every file the setup was read from, and of every *.yaml
        now in its folders, so an added or deleted rules file counts as a change."""
        setup: Setup | None = getattr(self, "current", None)
        paths = {self.config_path}
        if setup is not None:
            paths.update(setup.files)
            for folder in setup.folders:
                paths.update(folder.glob("*.yaml"))
        found = []
        for path in paths:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
        return frozenset(found)

    def reload(self) -> RulesStatus:
        """Load everything again; swap it in only if it is valid. Returns the status."""
        with self._lock:
            now = self._clock()
            fingerprint = self._files()
            try:
                fresh = load_setup(self.config_path, today=now.date())
            except ConfigError as error:
                self.status = RulesStatus(self.status.version, self.status.loaded_at, now,
                                          tuple(error.problems))
                log.warning("rules reload rejected, still serving %s: %d problem(s)",
                            self.status.version, len(error.problems),
                            extra={"problems": error.problems})
            else:
                self.current = fresh
                self.status = RulesStatus(fresh.ruleset.version, now, now, ())
                log.info("rules reloaded: %s", fresh.ruleset.version)
            self._fingerprint = fingerprint
            for listener in self._listeners:
                listener(self.status)
            return self.status

    def reload_if_changed(self) -> bool:
        """Reload when any watched file changed since the last attempt; True if it did."""
        if self._files() == self._fingerprint:
            return False
        self.reload()
        return True

    def watch(self, interval_seconds: float) -> threading.Thread:
        """Poll for changes every `interval_seconds` in a daemon thread until `stop()`."""
        def loop() -> None:
            while not self._stop.wait(interval_seconds):
                try:
                    self.reload_if_changed()
                except Exception:  # a watcher that dies silently is worse than a log line
                    log.exception("rules watcher failed; will try again")
        thread = threading.Thread(target=loop, name="rules-watcher", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
