"""Writers of one SQLite file take turns through a lock file: one at a time, across
threads and processes, the next one going as soon as the turn is given back, a dead
holder's turn given back by the kernel, and a wait bounded as SQLite bounds its own."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import sqlite3
import threading
from pathlib import Path

import pytest

from rates.store import dialects, open_store
from rates.store.write_turns import WriteTurns, turns_file
from tests.support.store import record

PATIENT = 10.0  # seconds a test waits for something that must happen; never reached


def waiting_taker(turns: WriteTurns) -> tuple[threading.Thread, threading.Event]:
    """A thread that takes a turn of `turns` and keeps it; the event says it has it."""
    taken = threading.Event()

    def take() -> None:
        turn = turns.take()
        taken.set()
        turns.give_back(turn)

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread, taken


def test_a_second_writer_waits_for_the_turn_and_goes_once_it_is_given_back(tmp_path: Path):
    turns = WriteTurns(turns_file(str(tmp_path / "rates.db")), wait_seconds=PATIENT)
    first = turns.take()
    thread, taken = waiting_taker(turns)

    assert not taken.wait(0.2)  # while the first writer holds it
    turns.give_back(first)
    assert taken.wait(PATIENT)
    thread.join(PATIENT)
    turns.close()


def test_writers_of_two_stores_on_one_file_take_the_same_turns(tmp_path: Path):
    database = str(tmp_path / "rates.db")
    mine = WriteTurns(turns_file(database), wait_seconds=PATIENT)
    theirs = WriteTurns(turns_file(database), wait_seconds=PATIENT)
    held = mine.take()
    thread, taken = waiting_taker(theirs)

    assert not taken.wait(0.2)
    mine.give_back(held)
    assert taken.wait(PATIENT)
    thread.join(PATIENT)
    mine.close()
    theirs.close()


def test_a_turn_not_given_in_time_fails_as_sqlite_fails_a_locked_write(tmp_path: Path):
    database = str(tmp_path / "rates.db")
    holder = WriteTurns(turns_file(database), wait_seconds=PATIENT)
    impatient = WriteTurns(turns_file(database), wait_seconds=0.05)
    held = holder.take()

    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        impatient.take()

    holder.give_back(held)
    impatient.give_back(impatient.take())  # and the turn is there once given back
    holder.close()
    impatient.close()


def _hold_until_killed(path: str, holding: multiprocessing.synchronize.Event) -> None:
    WriteTurns(Path(path), wait_seconds=PATIENT).take()
    holding.set()
    threading.Event().wait()  # until the parent kills this process


def test_a_process_that_dies_holding_the_turn_gives_it_back(tmp_path: Path):
    path = turns_file(str(tmp_path / "rates.db"))
    context = multiprocessing.get_context("spawn")
    holding = context.Event()
    holder = context.Process(target=_hold_until_killed, args=(str(path), holding))
    holder.start()
    try:
        assert holding.wait(PATIENT)
        turns = WriteTurns(path, wait_seconds=0.05)
        with pytest.raises(sqlite3.OperationalError):
            turns.take()  # the other process has it
    finally:
        holder.kill()
        holder.join(PATIENT)

    patient = WriteTurns(path, wait_seconds=PATIENT)
    patient.give_back(patient.take())
    patient.close()
    turns.close()


def test_a_store_on_a_file_writes_in_turns_beside_it_and_a_memory_store_without(
        tmp_path: Path):
    database = tmp_path / "rates.db"
    store = open_store(f"sqlite:///{database}", default_location="reno")
    try:
        store.save_quote(record("q_1"))
        assert store.get_quote("q_1") is not None
    finally:
        store.close()
    assert turns_file(str(database)).exists()
    assert dialects.sqlite(":memory:", pool_size=1, checkpoint_seconds=1).turns is None


def test_a_store_write_waits_while_another_store_holds_the_turn(tmp_path: Path):
    """The store's writes do take turns: with the turn held outside it, a save waits, and
    is made once the turn is given back."""
    database = str(tmp_path / "rates.db")
    store = open_store(f"sqlite:///{database}", default_location="reno")
    outside = WriteTurns(turns_file(database), wait_seconds=PATIENT)
    held = outside.take()
    saved = threading.Event()

    def save() -> None:
        store.save_quote(record("q_1"))
        saved.set()

    thread = threading.Thread(target=save, daemon=True)
    thread.start()
    try:
        assert not saved.wait(0.2)
        outside.give_back(held)
        assert saved.wait(PATIENT)
        assert store.get_quote("q_1") is not None
    finally:
        thread.join(PATIENT)
        store.close()
        outside.close()
