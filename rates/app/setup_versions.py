"""The setup versions that served quotes: kept in the store, loaded again to replay one.

A checkout's answer leaves out the step-by-step trace (most of its size, and nothing a
checkout shows). Support still sees, for any stored quote, the very document `explain=1`
would have given when the quote was made (`ShippingService.explained_quote`): the store
keeps the request and what the quote read (`QuoteInputs`), and, once per version, the
bytes of every file the serving setup was loaded from (`rates.loading.sources`). Loaded
again from those bytes, the setup quotes that request as it did (a test checks it, byte
for byte). The code is today's: a quote stored by an older release replays with the
fixes made since.

Versions are kept loaded a few at a time: support often opens several quotes of one
day, and loading a setup takes tens of milliseconds.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rates.domain.errors import ConfigError, SetupUnavailable
from rates.loading import Setup, load_setup
from rates.loading.sources import SetupSources
from rates.store import Store, StoredSetup

LOADED = 4
"""Setup versions kept loaded for replays, beside the one serving."""


class SetupVersions:
    """Each serving setup version stored once; any stored version loaded on demand."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._kept: set[str] = set()
        self._loaded: OrderedDict[str, Setup] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, setup: Setup) -> str | None:
        """The id of `setup`'s version, stored if this process has not stored it yet
        (None: a setup made in code, which cannot be loaded again)."""
        sources = setup.sources
        if sources is None:
            return None
        if sources.id not in self._kept:
            self._store.save_setup(_stored(sources), self._clock())
            with self._lock:
                self._kept.add(sources.id)
                self._remember(sources.id, setup)
        return sources.id

    def setup(self, setup_id: str, created_at: datetime) -> Setup:
        """The setup of version `setup_id`, loaded as a server would have loaded it on
        the day `created_at`. Raises `SetupUnavailable` if the store does not have it, or
        its files no longer load (a release since refuses what they say)."""
        with self._lock:
            found = self._loaded.get(setup_id)
            if found is not None:
                self._loaded.move_to_end(setup_id)
                return found
        stored = self._store.get_setup(setup_id)
        if stored is None:
            raise SetupUnavailable(f"the setup version {setup_id} that served this quote is "
                                   "not in the store: quote the cart again")
        sources = SetupSources(stored.config, {name: text.encode()
                                               for name, text in stored.files.items()},
                               stored.rules)
        with tempfile.TemporaryDirectory(prefix="rates-setup-") as folder:
            config, rules = sources.written(Path(folder))
            try:
                setup = load_setup(config, today=created_at.date(), rules=rules)
            except ConfigError as error:
                raise SetupUnavailable(
                    f"the setup version {setup_id} that served this quote no longer loads "
                    f"({error.problems[0]}): quote the cart again") from error
        with self._lock:
            self._remember(setup_id, setup)
        return setup

    def _remember(self, setup_id: str, setup: Setup) -> None:
        self._loaded[setup_id] = setup
        self._loaded.move_to_end(setup_id)
        while len(self._loaded) > LOADED + 1:
            self._loaded.popitem(last=False)


def _stored(sources: SetupSources) -> StoredSetup:
    return StoredSetup(sources.id, sources.config, sources.rules,
                       {name: raw.decode() for name, raw in sources.files.items()})
