"""Carrier servers and fetchers made per test and shut down after it, hung calls included."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator, Mapping

import pytest

from rates.carriers.adapter import Adapter
from rates.carriers.fetch import LiveRateFetcher
from rates.settings import LiveRateSettings
from tests.support.carriers import (
    ADAPTERS,
    SETTINGS,
    CarrierServer,
    ManualClock,
    RecordingObserver,
)


@pytest.fixture
def carrier_server() -> Iterator[Callable[..., CarrierServer]]:
    """`carrier_server("hang")`: a server that behaves so, closed after the test."""
    servers: list[CarrierServer] = []

    def start(behaviour: str = "ok", *, delay: float = 0.0,
              meeting: threading.Barrier | None = None) -> CarrierServer:
        servers.append(CarrierServer(behaviour, delay=delay, meeting=meeting))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A URL whose port is bound but not listening: every connection is refused, and no
    other process can take the port while the test runs."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/rates"


@pytest.fixture
def observer() -> RecordingObserver:
    return RecordingObserver()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fetcher_for(observer: RecordingObserver,
                clock: ManualClock) -> Iterator[Callable[..., LiveRateFetcher]]:
    """`fetcher_for(settings, environ=...)`: a fetcher with the stand-in adapter, the test's
    observer and clock, and an empty environment unless given; closed after the test."""
    made: list[LiveRateFetcher] = []

    def make(settings: LiveRateSettings = SETTINGS, *,
             adapters: Mapping[str, Adapter] = ADAPTERS,
             environ: Mapping[str, str] | None = None) -> LiveRateFetcher:
        made.append(LiveRateFetcher(settings, adapters, environ=environ or {}, clock=clock,
                                    observer=observer))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()
