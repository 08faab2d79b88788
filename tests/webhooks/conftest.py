"""Receivers, a store on a real SQLite file, and senders, all closed after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from rates.store import Store, open_store
from rates.webhooks.sender import WebhookSender
from tests.support.webhooks import KEY, ManualClock, Outbox, Receiver, settings


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    """`receiver(fail=2)`: a receiver that behaves so, closed after the test."""
    started: list[Receiver] = []

    def start(**behaviour: Any) -> Receiver:
        started.append(Receiver(**behaviour))
        return started[-1]

    yield start
    for each in started:
        each.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store("sqlite:///" + str(tmp_path / "r.db"), default_location="reno")
    yield opened
    opened.close()


@pytest.fixture
def outbox(store: Store) -> Outbox:
    return Outbox(store)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sender_for(outbox: Outbox, clock: ManualClock) -> Iterator[Callable[..., WebhookSender]]:
    """`sender_for(receiver, rng=..., max_attempts=3)`: a sender to that receiver over the
    test's outbox and clock (or `clock=`); settings as `tests.support.webhooks.settings`."""
    made: list[WebhookSender] = []

    def make(to: Receiver | str, *, rng: Any = None, clock: Callable[[], datetime] = clock,
             **overrides: Any) -> WebhookSender:
        url = to if isinstance(to, str) else to.url
        made.append(WebhookSender(settings(url, **overrides), KEY, outbox, clock, rng=rng))
        return made[-1]

    yield make
    for sender in made:
        sender.close()
