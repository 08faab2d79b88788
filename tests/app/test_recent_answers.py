"""A cart asked again within its minute is answered from that minute's answer
(`rates.app.recent_answers`), and the answer is the one a fresh quote gives: the same
document, byte for byte but its id, on every cart of the benchmark scenario (60 and 1000
rules) and of the bundled example, at any second of the minute. A new minute, other
stock, another ruleset or another lateness history is a new answer.

The example's cutoffs on Monday 2026-11-23, drawn in UTC:

    18:00 UTC  Toronto 13:00 EST   cutoff
    20:00 UTC  Newark  15:00 EST   cutoff
    22:00 UTC  Reno    14:00 PST   cutoff
"""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rates.app.cart_quotes import cart_request
from rates.app.quoting import ShippingService
from rates.app.recent_answers import Answer, RecentAnswers, answer_key
from rates.app.reloading import ReloadingSetup
from rates.domain.confidence import Calibration
from rates.domain.lateness import NO_OBSERVATIONS, LatenessModel
from rates.store import open_store
from rates.wire.jsontext import document_text
from rates.wire.response import Detail
from tests.benchmarks.test_benchmark_scenario import scenario
from tests.support.project import CARTS, EXAMPLE_CONFIG
from tests.support.web import MovingClock

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
BEFORE_RENO_CUTOFF = MONDAY.replace(hour=21, minute=59, second=50)


def service(config, clock: MovingClock, setup: ReloadingSetup | None = None) -> ShippingService:
    """The service as `rates serve` wires it (in-memory store seeded from the setup's
    inventory), on `clock`; on `setup` when given (quotes on one setup compare equal as
    objects: their calendars are the setup's own)."""
    live = setup or ReloadingSetup(config, clock)
    store = open_store("sqlite:///:memory:",
                       default_location=next(iter(live.current.catalog.locations)))
    store.seed_inventory(live.current.inventory, clock())
    return ShippingService(live, store, clock)


def ordered_now(cart: dict) -> dict:
    """The cart as a checkout sends it: ordered when it asks."""
    return {key: value for key, value in cart.items() if key != "ordered_at"}


def kept_answer(kept: ShippingService, cart: dict, **options):
    """`cart` asked until its answer is kept: a first answer is only noted, the second
    kept (`RecentAnswers`); the kept one."""
    kept.served_quote(cart, **options)
    return kept.served_quote(cart, **options)


def asked_twice(config, cart: dict, first: datetime, second: datetime):
    """The cart asked at `first` until its answer is kept and again at `second` on one
    service, and asked once at `second` on a fresh service of the same setup: (the kept
    answer, the one at `second`, the fresh one)."""
    clock = MovingClock(first)
    kept = service(config, clock)
    before = kept_answer(kept, cart)
    clock.now = second
    again = kept.served_quote(cart)
    fresh = service(config, MovingClock(second), kept.reloading).served_quote(cart)
    return before, again, fresh


def assert_reused_and_right(before, again, fresh) -> None:
    # Reused: the second answer shares the first's options (nothing was quoted again) ...
    assert again.quote.options == () or again.quote.options[0] is before.quote.options[0]
    # ... and is the fresh quote's, byte for byte but its id, with the second instant ...
    assert same_but_id(again.text, fresh.text)
    assert again.quote == fresh.quote
    assert again.document["id"] != before.document["id"]
    # ... and its text, spliced from the kept one, is the text of its document.
    assert again.text == document_text(again.document)


def same_but_id(text: bytes, other: bytes) -> bool:
    """Whether two answers' texts are the same bytes once each has the other's id."""
    ids = [json.loads(each)["id"].encode() for each in (text, other)]
    assert all(i.startswith(b"q_") for i in ids)
    return text.replace(ids[0], ids[1]) == other


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return scenario.write_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.mark.parametrize("rules", (60, 1000))
def test_every_scenario_cart_asked_again_gets_the_fresh_answer(written, rules):
    config = written.config_with(rules)
    carts = sorted(p.stem for p in (written.folder / "carts").glob("*.json"))
    assert len(carts) >= 7
    first, second = MONDAY.replace(hour=17, minute=30, second=4), \
        MONDAY.replace(hour=17, minute=30, second=59, microsecond=999_999)
    for name in carts:
        assert_reused_and_right(*asked_twice(config, ordered_now(written.cart(name)),
                                             first, second))


@pytest.mark.parametrize("path", sorted(CARTS.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_cart_asked_again_gets_the_fresh_answer(path):
    cart = ordered_now(json.loads(path.read_text()))
    assert_reused_and_right(*asked_twice(EXAMPLE_CONFIG, cart, BEFORE_RENO_CUTOFF,
                                         BEFORE_RENO_CUTOFF + timedelta(seconds=9)))


@settings(max_examples=60, deadline=None)
@given(minute=st.integers(0, 24 * 60 - 1), first=st.integers(0, 59_999_999),
       later=st.integers(0, 150_000_000))
def test_an_answer_is_reused_within_its_minute_and_only_there(minute, first, later):
    """Two instants `later` microseconds apart, at any minute of the day (cutoffs and
    midnights in every time zone among them): the second answer is always the fresh
    one, quote object and all (its steps name the order's local minute); it is the
    first's own answer exactly when both fall in one minute."""
    cart = ordered_now(json.loads((CARTS / "mixed.json").read_text()))
    asked = MONDAY + timedelta(minutes=minute, microseconds=first)
    again_at = asked + timedelta(microseconds=later)
    before, again, fresh = asked_twice(EXAMPLE_CONFIG, cart, asked, again_at)
    assert same_but_id(again.text, fresh.text)
    assert again.text == document_text(again.document)
    assert again.quote == fresh.quote
    reused = again.quote.options[0] is before.quote.options[0]
    assert reused == (asked.replace(second=0, microsecond=0)
                      == again_at.replace(second=0, microsecond=0))


def test_the_next_minute_is_quoted_again_across_the_cutoff():
    """13:59:50 in Reno is before its 14:00 cutoff, 14:00:01 after: the on-hand shipment
    from Reno starts a business day later, and the answer says so."""
    cart = ordered_now(json.loads((CARTS / "in_stock.json").read_text()))
    after_cutoff = BEFORE_RENO_CUTOFF + timedelta(seconds=11)
    before, again, fresh = asked_twice(EXAMPLE_CONFIG, cart, BEFORE_RENO_CUTOFF, after_cutoff)
    assert same_but_id(again.text, fresh.text)
    first = before.document["options"][0]["delivery"]
    later = again.document["options"][0]["delivery"]
    assert later["earliest"] > first["earliest"], (first, later)


def test_new_stock_within_the_minute_is_a_new_answer():
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    kept = service(EXAMPLE_CONFIG, clock)
    cart = ordered_now(json.loads((CARTS / "in_stock.json").read_text()))
    before = kept_answer(kept, cart)
    sku = cart["lines"][0]["sku"]
    kept.put_inventory(sku, {"locations": [{"location": "reno", "on_hand": 0}],
                             "lead_time_days": [21, 35], "lead_time_location": "reno"})
    again = kept.served_quote(cart)
    assert again.quote.options[0] is not before.quote.options[0]
    assert again.document["options"] != before.document["options"]


def test_another_ruleset_or_history_is_a_new_answer():
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    kept = service(EXAMPLE_CONFIG, clock)
    cart = ordered_now(json.loads((CARTS / "mixed.json").read_text()))
    first = kept_answer(kept, cart)
    assert kept.served_quote(cart).quote.options[0] is first.quote.options[0]
    kept.reloading.reload()  # the same files, loaded again: another setup
    assert kept.served_quote(cart).quote.options[0] is not first.quote.options[0]

    answers, setup = RecentAnswers(), kept.reloading.current
    key = answer_key(cart_request(setup, cart, now=clock.now), None, Detail.CHECKOUT)
    kept_answer_of(answers, key, Answer(setup, None, first.quote, first.document, first.text))
    assert answers.find(key, setup, None) is not None
    assert answers.find(key, replace(setup), None) is None  # equal, but not this setup
    history = Calibration(LatenessModel(NO_OBSERVATIONS), 0.9)
    assert answers.find(key, setup, history) is None  # weighed by another history


def test_explained_quotes_are_not_kept_and_a_cart_of_its_own_minute_is():
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    kept = service(EXAMPLE_CONFIG, clock)
    cart = ordered_now(json.loads((CARTS / "mixed.json").read_text()))
    explained = kept_answer(kept, cart, explain=True)
    assert kept.served_quote(cart, explain=True).quote.options[0] \
        is not explained.quote.options[0]
    # A cart that names its own instant is answered for that instant's minute, whenever
    # it is asked.
    dated = {**cart, "ordered_at": "2026-11-23T09:30:00-08:00"}
    first = kept_answer(kept, dated)
    clock.now += timedelta(hours=1)
    again = kept.served_quote(dated)
    assert again.quote.options[0] is first.quote.options[0]
    fresh = service(EXAMPLE_CONFIG, clock, kept.reloading).served_quote(dated)
    assert same_but_id(again.text, fresh.text)


def test_only_the_last_answers_are_kept():
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    kept = service(EXAMPLE_CONFIG, clock)
    kept.recent.limit = 2
    carts = [ordered_now(json.loads((CARTS / f"{name}.json").read_text()))
             for name in ("mixed", "small_split", "in_stock")]
    first = [kept_answer(kept, cart) for cart in carts]
    # The oldest (mixed) was forgotten when the third was kept; the last two are kept.
    assert kept.served_quote(carts[0]).quote.options[0] is not first[0].quote.options[0]
    assert kept.served_quote(carts[2]).quote.options[0] is first[2].quote.options[0]


def kept_answer_of(answers: RecentAnswers, key, answer: Answer) -> None:
    answers.keep(key, answer)  # noted
    answers.keep(key, answer)  # kept


def test_a_cart_asked_once_is_noted_and_its_second_answer_kept():
    """A one-off cart's objects never outlive its request; from the second ask on, the
    answer is kept and reused."""
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    kept = service(EXAMPLE_CONFIG, clock)
    cart = ordered_now(json.loads((CARTS / "mixed.json").read_text()))
    first, second, third = (kept.served_quote(cart) for _ in range(3))
    assert not first.reused and not second.reused and third.reused
    assert second.quote.options[0] is not first.quote.options[0]
    assert third.quote.options[0] is second.quote.options[0]


def test_a_kept_answer_is_the_text_of_its_document():
    """The text given again is spliced after the id and instants a document begins with:
    an answer whose text begins otherwise cannot be kept."""
    clock = MovingClock(BEFORE_RENO_CUTOFF)
    served = service(EXAMPLE_CONFIG, clock).served_quote(
        ordered_now(json.loads((CARTS / "mixed.json").read_text())))
    setup = ReloadingSetup(EXAMPLE_CONFIG, clock).current
    kept = Answer(setup, None, served.quote, served.document, served.text)
    assert kept.rest == served.text[served.text.index(b',"reference":'):]
    with pytest.raises(ValueError, match="begin with its id and instants"):
        Answer(setup, None, served.quote, {**served.document, "id": "q_other"}, served.text)
