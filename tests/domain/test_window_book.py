"""The window book (`rates.domain.window.WindowBook`): a setup's quotes share the windows
they work out, so a window from the book must be exactly the one worked out afresh,
whatever the book held before, when it was ordered and however small its limit."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from rates.domain.quote.pipeline import quote
from rates.domain.window import WindowBook, start_on_hand
from rates.wire.workings import detail, note
from tests.domain.quote.test_pipeline import MIXED, NOW, TORONTO_ON, request
from tests.domain.test_window_properties import (
    PROPERTY,
    on_hand,
    order_instants,
    setups,
    shipments,
    window_for,
)


def book_window(book, setup, shipment, ordered_at):
    on_hand = None if shipment.backordered else start_on_hand(setup.location, ordered_at)
    return book.window(shipment, setup.location, on_hand, setup.pickup, setup.delivery,
                       setup.transit)


@PROPERTY
@given(st.data(), setups(), setups(), st.lists(order_instants, min_size=1, max_size=3),
       st.integers(1, 6))
def test_a_window_from_the_book_is_the_one_worked_out_afresh(data, setup, other, instants,
                                                             limit):
    """Twelve questions drawn from a few order instants and shipments, two carriers'
    pickup calendars, two destinations' delivery calendars and two transits, so that some
    repeat and some differ in one part of the key only."""
    book = WindowBook(limit)
    asked = [(ordered_at, data.draw(shipments(setup.location, ordered_at)))
             for ordered_at in instants]
    for _ in range(12):
        ordered_at, shipment = data.draw(st.sampled_from(asked))
        ordered_at = data.draw(st.sampled_from(instants))  # on hand: ready then, or before
        asked_of = replace(setup, **{part: data.draw(st.sampled_from(
            [getattr(setup, part), getattr(other, part)]))
            for part in ("pickup", "delivery", "transit")})
        found = book_window(book, asked_of, shipment, ordered_at)
        fresh = window_for(asked_of, shipment, ordered_at)
        assert found == fresh
        assert [detail(s) for s in found.steps] == [detail(s) for s in fresh.steps]
        assert len(book) <= limit


@PROPERTY
@given(setups(), order_instants)
def test_the_same_question_twice_is_answered_from_the_book(setup, ordered_at):
    book = WindowBook()
    shipment = on_hand(setup.location, ordered_at)
    first = book_window(book, setup, shipment, ordered_at)
    assert book_window(book, setup, shipment, ordered_at) is first
    assert len(book) == 1


@PROPERTY
@given(setups(), st.lists(order_instants, min_size=1, max_size=4), st.data())
def test_a_start_from_the_book_is_the_one_worked_out_afresh(setup, instants, data):
    """Instants seconds apart (in one minute, or across two), in UTC and in the
    location's own zone, asked in any order of a book that keeps two starts."""
    book = WindowBook(limit=2)
    asked = [at + timedelta(seconds=data.draw(st.integers(0, 90))) for at in instants]
    asked += [at.astimezone(setup.location.timezone) for at in asked]
    for ordered_at in data.draw(st.permutations(asked)):
        assert book.start(setup.location, ordered_at) == start_on_hand(setup.location,
                                                                       ordered_at)


def test_orders_of_one_minute_share_their_start_and_the_next_minute_has_its_own(reno):
    """Reno, Monday 2026-11-23, ordered at 09:30:05 and 09:30:55 local: one start, kept
    (its records are the same objects; compiled, the pair itself is made anew when
    returned); at 09:31:00 another, naming its own minute."""
    book = WindowBook()
    first = book.start(reno, NOW + timedelta(seconds=5))
    again = book.start(reno, NOW + timedelta(seconds=55))
    assert again == first
    assert again[0] is first[0] and again[1] is first[1]
    later = book.start(reno, NOW + timedelta(minutes=1))
    assert later == start_on_hand(reno, NOW + timedelta(minutes=1)) != first
    assert (first[1].at.minute, later[1].at.minute) == (30, 31)


def test_quotes_sharing_a_book_equal_quotes_made_alone(catalog, ruleset):
    """Before and after Reno's cutoff, on a Saturday, a week later and to another country:
    each quote with the shared book is the quote made without one."""
    book = WindowBook()
    instants = [NOW, NOW + timedelta(hours=1), NOW + timedelta(hours=2, minutes=1),
                NOW + timedelta(days=5), NOW + timedelta(days=7), NOW]
    for ordered_at in instants:
        for cart in (MIXED, request(*MIXED.lines, destination=TORONTO_ON)):
            cart = request(*cart.lines, ordered_at=ordered_at.isoformat(),
                           destination=cart.destination)
            alone = quote(cart, catalog, ruleset, ordered_at)
            shared = quote(cart, catalog, ruleset, ordered_at, windows=book)
            assert shared == alone
            assert ([[detail(s) for sq in o.shipments for s in sq.window.steps]
                     for o in shared.options]
                    == [[detail(s) for sq in o.shipments for s in sq.window.steps]
                        for o in alone.options])
    filled = len(book)
    quote(MIXED, catalog, ruleset, NOW, windows=book)
    assert len(book) == filled > 0


def test_a_new_minute_words_its_start_and_reuses_what_follows_handling(reno, catalog):
    """Ordered at 09:30 and 09:31 in Reno: the first step names each minute, and the
    hand-over and transit steps after the same handling days are the ones already kept."""
    book = WindowBook()
    shipment = on_hand(reno, NOW)
    ups = catalog.carriers["ups"]
    pickup, delivery = (catalog.calendars.pickup(ups, reno),
                        catalog.calendars.delivery(ups, MIXED.destination))

    def at(ordered_at):
        return book.window(shipment, reno, start_on_hand(reno, ordered_at), pickup, delivery,
                           (1, 3))

    first, second = at(NOW), at(NOW + timedelta(minutes=1))
    assert note(first.steps[0].facts) != note(second.steps[0].facts)
    assert "09:30" in note(first.steps[0].facts) and "09:31" in note(second.steps[0].facts)
    assert (first.ships, first.delivery) == (second.ships, second.delivery)
    assert first.steps[-1] is second.steps[-1]
    assert at(NOW) is first
    assert len(book) == 2


def test_threads_sharing_a_small_book_get_the_quotes_made_alone(catalog, ruleset):
    """As gunicorn's threads share a setup: eight threads quote four instants through one
    book that keeps at most 5 windows, so it starts over while others read it."""
    instants = [NOW + timedelta(minutes=m, days=d) for m in (0, 7) for d in (0, 2)]
    carts = [request(*MIXED.lines, ordered_at=at.isoformat()) for at in instants]
    alone = [quote(cart, catalog, ruleset, at) for cart, at in zip(carts, instants, strict=True)]
    book = WindowBook(limit=5)

    def work(index: int) -> bool:
        cart, at = carts[index % 4], instants[index % 4]
        return all(quote(cart, catalog, ruleset, at, windows=book) == alone[index % 4]
                   for _ in range(20))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads every few bytecodes, not every 5 ms
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert all(pool.map(work, range(8)))
    finally:
        sys.setswitchinterval(interval)
    assert len(book) <= 5
