"""Console sessions and sign-in attempts kept in the store, on both databases: a session
is found by its digest until it expires or ends, expired ones are swept a bounded number
at a time, and attempts are counted and recorded in one transaction, so that concurrent
sign-ins on several stores cannot all pass one count."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from rates.settings import Role
from rates.store import ConsoleSession, SignInAttempt, Store, open_store
from tests.support.store import PACIFIC, rows_in

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SHIFT = timedelta(hours=8)
EARLIER = START - timedelta(minutes=5)  # a window's start: attempts after it count


def session(n: int = 1, *, started: datetime = START) -> ConsoleSession:
    return ConsoleSession(f"{n:064x}", "support-desk", Role.SUPPORT, "ab" * 32, started,
                          started + SHIFT)


def attempt(n: int, *, address: str = "a1", prefix: str = "p1",
            at: datetime = START) -> SignInAttempt:
    return SignInAttempt(f"attempt-{n}", address, prefix, at)


class Refused(Exception):
    pass


def at_most(limit: int):
    """A check letting an attempt through while fewer than `limit` are recent."""
    def check(recent):
        if len(recent) >= limit:
            raise Refused
    return check


def test_a_session_is_found_by_its_digest_until_it_expires(store: Store):
    store.start_console_session(session())
    assert store.console_session(session().id_sha256, START) == session()
    assert store.console_session(session().id_sha256,
                                 START + SHIFT - timedelta(microseconds=1)) == session()
    assert store.console_session(session().id_sha256, START + SHIFT) is None
    assert store.console_session(session(2).id_sha256, START) is None


def test_a_session_keeps_the_offset_it_was_started_in(store: Store):
    pacific = START.astimezone(PACIFIC)
    started = session(started=pacific)
    store.start_console_session(started)
    found = store.console_session(started.id_sha256, START)
    assert found is not None and found.expires_at == START + SHIFT
    assert found.expires_at.utcoffset() == timedelta(hours=-8)


def test_an_ended_session_is_gone(store: Store):
    store.start_console_session(session())
    assert store.end_console_session(session().id_sha256) is True
    assert store.console_session(session().id_sha256, START) is None
    assert store.end_console_session(session().id_sha256) is False


def test_starting_a_session_deletes_a_bounded_number_of_expired_ones(store: Store,
                                                                     store_url: str):
    for n in range(5):
        store.start_console_session(session(n))
    later = START + SHIFT  # all five have just expired
    store.start_console_session(session(10, started=later), prune=3)
    assert rows_in(store_url, "console_sessions") == 3  # two expired left, and the new one
    store.start_console_session(session(11, started=later), prune=3)
    assert rows_in(store_url, "console_sessions") == 2  # the two new ones
    assert store.console_session(session(10).id_sha256, later) is not None


def test_an_attempt_sees_the_recent_ones_from_its_address_or_with_its_prefix(store: Store):
    store.record_sign_in_attempt(attempt(1), EARLIER, at_most(99))
    store.record_sign_in_attempt(attempt(2, address="a2"), EARLIER, at_most(99))
    store.record_sign_in_attempt(attempt(3, prefix="p2", at=START + timedelta(seconds=1)),
                                 EARLIER, at_most(99))
    store.record_sign_in_attempt(attempt(4, address="a3", prefix="p3"), EARLIER, at_most(99))
    seen = []
    store.record_sign_in_attempt(attempt(5, at=START + timedelta(seconds=2)),
                                 EARLIER, seen.extend)
    assert seen == [attempt(1), attempt(2, address="a2"),
                    attempt(3, prefix="p2", at=START + timedelta(seconds=1))]


def test_an_attempt_refused_by_the_check_is_not_recorded(store: Store, store_url: str):
    store.record_sign_in_attempt(attempt(1), EARLIER, at_most(1))
    with pytest.raises(Refused):
        store.record_sign_in_attempt(attempt(2), EARLIER, at_most(1))
    assert rows_in(store_url, "sign_in_attempts") == 1


def test_forgotten_and_old_attempts_no_longer_count(store: Store, store_url: str):
    for n in range(4):
        store.record_sign_in_attempt(attempt(n), EARLIER, at_most(99))
    store.forget_sign_in_attempt("attempt-0")
    seen = []
    later = START + timedelta(minutes=5)
    store.record_sign_in_attempt(attempt(9, at=later), START, seen.extend, prune=2)
    assert seen == []  # attempt-0 forgotten; 1 to 3 made at the window's start, not after
    assert rows_in(store_url, "sign_in_attempts") == 2  # the new one, and one old left
    store.record_sign_in_attempt(attempt(10, at=later), START, at_most(99), prune=2)
    assert rows_in(store_url, "sign_in_attempts") == 2  # attempts 9 and 10


def test_concurrent_attempts_on_two_stores_pass_one_count_only_as_often_as_allowed(
        store_url: str):
    """Two stores stand for two gunicorn workers (or nodes): 16 threads try at once, the
    check lets an attempt through while fewer than 5 are recorded: exactly 5 pass."""
    stores = [open_store(store_url, default_location="reno") for _ in range(2)]
    ready, threads = threading.Barrier(16), 16

    def try_once(n: int) -> bool:
        ready.wait()
        try:
            stores[n % 2].record_sign_in_attempt(attempt(n), EARLIER, at_most(5))
        except Refused:
            return False
        return True

    try:
        with ThreadPoolExecutor(threads) as pool:
            passed = list(pool.map(try_once, range(threads)))
    finally:
        for opened in stores:
            opened.close()
    assert passed.count(True) == 5
    assert rows_in(store_url, "sign_in_attempts") == 5


def test_a_naive_instant_is_refused_before_anything_is_written(store: Store, store_url: str):
    with pytest.raises(ValueError, match="no time zone"):
        store.start_console_session(session(started=START.replace(tzinfo=None)))
    with pytest.raises(ValueError, match="no time zone"):
        store.record_sign_in_attempt(attempt(1, at=START.replace(tzinfo=None)), START,
                                     at_most(9))
    assert rows_in(store_url, "console_sessions") == 0
    assert rows_in(store_url, "sign_in_attempts") == 0
