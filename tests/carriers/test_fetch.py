"""The fan-out of one quote against real carrier servers on 127.0.0.1: every question gets
an answer by the deadline, good or with a short reason, whatever the servers do."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from rates.carriers.adapter import HttpCall
from rates.carriers.fetch import LiveRateFetcher
from rates.domain.catalog import Carrier
from rates.domain.live_rates import LiveAnswer, LiveEndpoint, LiveRate, RateRequest
from rates.domain.money import Money
from tests.support.carriers import (
    SETTINGS,
    SHORT,
    CarrierServer,
    StandInGeneric,
    live_carrier,
    rate_request,
)

LATE = 5.0
"""A server told to be this slow answers long after the deadline: a call that got its
answer waited for it."""


def ask(fetcher: LiveRateFetcher, *carriers: Carrier) -> list[LiveAnswer]:
    """Fetch one question per carrier; the answers in the same order."""
    questions = [rate_request(carrier.id) for carrier in carriers]
    answers = fetcher.fetch(questions, {carrier.id: carrier for carrier in carriers})
    assert set(answers) == set(questions)
    return [answers[question] for question in questions]


def test_a_normal_answer_gives_the_carriers_rates(fetcher_for, carrier_server, observer):
    server = carrier_server("ok")
    [answer] = ask(fetcher_for(), live_carrier("acme", server.url))
    assert answer.failure is None
    assert answer.rates == (LiveRate("ground", Money(Decimal("12.34"), "USD"), (1, 3)),)
    assert server.bodies[0]["packages"] == [{"weight_grams": 2000}]
    assert observer.outcomes() == ["ok"]


def test_an_answer_inside_the_deadline_is_used_however_slow(fetcher_for, carrier_server):
    """Slower than the connect timeout, but well inside a long deadline."""
    server = carrier_server("slow", delay=2 * SETTINGS.connect_timeout_seconds)
    [answer] = ask(fetcher_for(), live_carrier("acme", server.url))
    assert answer.failure is None


@pytest.mark.parametrize(("behaviour", "reason", "outcome"), [
    ("500", "HTTP 500", "http_error"),
    ("malformed", "malformed JSON", "malformed"),
    ("close", "connection closed", "connection_error"),
    ("redirect", "redirect refused", "http_error"),
])
def test_a_failing_carrier_gets_a_reason(fetcher_for, carrier_server, observer,
                                         behaviour, reason, outcome):
    server = carrier_server(behaviour)
    [answer] = ask(fetcher_for(), live_carrier("acme", server.url))
    assert (answer.rates, answer.failure) == ((), reason)
    assert observer.outcomes() == [outcome]


def test_a_refused_connection_gets_a_reason(fetcher_for, refused_url, observer):
    [answer] = ask(fetcher_for(), live_carrier("acme", refused_url))
    assert answer.failure == "connection refused"
    assert observer.outcomes() == ["connection_error"]


@pytest.mark.parametrize("behaviour", ["hang", "slow"])
def test_a_carrier_past_the_deadline_times_out_and_is_hung_up_on(
        fetcher_for, carrier_server, observer, behaviour):
    """The call itself is cut at the deadline, so its thread is free again: the server sees
    it hang up before any answer."""
    server = carrier_server(behaviour, delay=LATE)
    [answer] = ask(fetcher_for(SHORT), live_carrier("acme", server.url))
    assert answer.failure == "timed out after 0.3 s"
    assert server.hung_up.wait(LATE)
    observer.wait_for_calls(1, timeout=LATE)
    assert observer.outcomes() == ["timeout"]


class Stalled(StandInGeneric):
    """An adapter stuck building its call until `released` (or `LATE` seconds): a call
    still running when the deadline passes, whatever the network does. `released_in_time`
    says whether the release came before `LATE`."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.released_in_time: bool | None = None

    def build(self, request: RateRequest, endpoint: LiveEndpoint,
              api_key: str | None) -> HttpCall:
        self.released_in_time = self.released.wait(LATE)
        return super().build(request, endpoint, api_key)


def test_fetch_answers_at_the_deadline_without_waiting_for_a_call_still_running(
        fetcher_for, carrier_server, observer):
    """fetch() returns while the stalled call runs on: the test releases the call only
    once fetch() has returned, so a fetch() that waited for it would wait `LATE`."""
    server, stalled = carrier_server("ok"), Stalled()
    [answer] = ask(fetcher_for(SHORT, adapters={"generic": stalled}),
                   live_carrier("acme", server.url))
    stalled.released.set()
    assert answer.failure == "timed out after 0.3 s"
    observer.wait_for_calls(1, timeout=LATE)
    assert stalled.released_in_time is True
    assert observer.outcomes() == ["timeout"]  # asked after its deadline: not sent at all
    assert server.requests == 0


def test_one_failing_carrier_does_not_cost_the_healthy_ones(fetcher_for, carrier_server):
    good, hung, broken = carrier_server("ok"), carrier_server("hang"), carrier_server("500")
    fetcher = fetcher_for(replace(SETTINGS, deadline_seconds=2.0))  # what the test waits
    answers = ask(fetcher, live_carrier("good", good.url), live_carrier("hung", hung.url),
                  live_carrier("broken", broken.url))
    assert [answer.failure for answer in answers] == [None, "timed out after 2 s", "HTTP 500"]
    assert answers[0].rate_for("ground") is not None


def test_carriers_are_asked_concurrently(fetcher_for, carrier_server):
    """Each of three carriers answers only once all three questions are in flight at once
    (a barrier). Asked one after another, the first would wait alone until the barrier
    gave up and answer 500: concurrency is asserted, not a wall-clock bound that load can
    break."""
    meeting = threading.Barrier(3, timeout=5.0)
    servers = [carrier_server("meet", meeting=meeting) for _ in range(3)]
    fetcher = fetcher_for()
    answers = ask(fetcher, *(live_carrier(f"c{i}", s.url) for i, s in enumerate(servers)))
    assert [answer.failure for answer in answers] == [None, None, None]
    assert [server.requests for server in servers] == [1, 1, 1]


def test_the_same_question_twice_in_one_quote_is_asked_once(fetcher_for, carrier_server):
    server = carrier_server("ok")
    question = rate_request("acme")
    answers = fetcher_for().fetch([question, question], {"acme": live_carrier("acme",
                                                                              server.url)})
    assert list(answers) == [question]
    assert server.requests == 1


def test_nothing_to_ask_answers_nothing_at_once(fetcher_for):
    assert fetcher_for().fetch([], {}) == {}


class TestKeysAndHosts:
    def test_a_missing_api_key_is_a_reason_and_sends_nothing(self, fetcher_for,
                                                              carrier_server, observer):
        server = carrier_server("ok")
        [answer] = ask(fetcher_for(), live_carrier("acme", server.url, api_key_env="ACME_KEY"))
        assert answer.failure == "no API key in $ACME_KEY"
        assert server.requests == 0
        assert observer.outcomes() == ["no_key"]

    def test_the_api_key_comes_from_the_environment(self, fetcher_for, carrier_server):
        server = carrier_server("ok")
        fetcher = fetcher_for(environ={"ACME_KEY": "sk_test"})
        [answer] = ask(fetcher, live_carrier("acme", server.url, api_key_env="ACME_KEY"))
        assert answer.failure is None
        assert server.headers[0]["Authorization"] == "Bearer sk_test"

    def test_a_host_not_allowed_is_refused_without_a_request(self, fetcher_for,
                                                              carrier_server, observer):
        server = carrier_server("ok")
        fetcher = fetcher_for(replace(SETTINGS, allowed_hosts=("rates.example.com",)))
        [answer] = ask(fetcher, live_carrier("acme", server.url))
        assert answer.failure == "host not allowed"
        assert server.requests == 0
        assert observer.outcomes() == ["refused_host"]


class TestCache:
    SETTINGS = replace(SETTINGS, cache_seconds=60)

    def test_a_good_answer_is_reused_without_asking_again(self, fetcher_for, carrier_server,
                                                          observer):
        server = carrier_server("ok")
        fetcher = fetcher_for(self.SETTINGS)
        carrier = live_carrier("acme", server.url)
        first, second = ask(fetcher, carrier), ask(fetcher, carrier)
        assert first == second
        assert server.requests == 1
        assert observer.hits == ["acme"]

    def test_other_parcels_are_another_question(self, fetcher_for, carrier_server):
        server = carrier_server("ok")
        fetcher = fetcher_for(self.SETTINGS)
        carriers = {"acme": live_carrier("acme", server.url)}
        fetcher.fetch([rate_request("acme", grams=1000)], carriers)
        fetcher.fetch([rate_request("acme", grams=5000)], carriers)
        assert server.requests == 2

    def test_a_good_answer_expires(self, fetcher_for, carrier_server, clock):
        server = carrier_server("ok")
        fetcher = fetcher_for(self.SETTINGS)
        carrier = live_carrier("acme", server.url)
        ask(fetcher, carrier)
        clock.advance(60)
        ask(fetcher, carrier)
        assert server.requests == 2

    def test_a_failure_is_not_remembered(self, fetcher_for, carrier_server):
        server = carrier_server("500")
        fetcher = fetcher_for(self.SETTINGS)
        carrier = live_carrier("acme", server.url)
        ask(fetcher, carrier)
        server.behaviour = "ok"
        [answer] = ask(fetcher, carrier)
        assert answer.failure is None
        assert server.requests == 2


class TestBreaker:
    SETTINGS = replace(SETTINGS, breaker_failures=3, breaker_reset_seconds=30)

    def open_breaker(self, fetcher: LiveRateFetcher, carrier: Carrier,
                     server: CarrierServer) -> None:
        for _ in range(3):
            assert ask(fetcher, carrier)[0].failure == "HTTP 500"
        assert server.requests == 3

    def test_opens_after_repeated_failures_and_then_sends_nothing(
            self, fetcher_for, carrier_server, observer):
        server = carrier_server("500")
        fetcher, carrier = fetcher_for(self.SETTINGS), live_carrier("acme", server.url)
        self.open_breaker(fetcher, carrier, server)
        server.behaviour = "ok"  # recovered, but the breaker does not know yet
        for _ in range(5):
            assert ask(fetcher, carrier)[0].failure == "circuit open"
        assert server.requests == 3
        assert observer.states == [("acme", "open")]
        assert observer.outcomes()[-1] == "circuit_open"

    def test_an_open_breaker_does_not_wait_on_a_hung_carrier(self, fetcher_for,
                                                             carrier_server, observer):
        """Open after one timeout: the next question is answered "circuit open" without
        a request, where asking would have waited for the deadline and timed out."""
        server = carrier_server("hang")
        fetcher = fetcher_for(replace(self.SETTINGS, breaker_failures=1,
                                      deadline_seconds=SHORT.deadline_seconds))
        carrier = live_carrier("acme", server.url)
        ask(fetcher, carrier)
        observer.wait_for_calls(1)  # the hung call tells its breaker when its thread ends
        assert ask(fetcher, carrier)[0].failure == "circuit open"
        assert server.requests == 1
        assert observer.outcomes() == ["timeout", "circuit_open"]

    def test_a_good_probe_after_the_reset_time_closes_it(self, fetcher_for, carrier_server,
                                                          clock, observer):
        server = carrier_server("500")
        fetcher, carrier = fetcher_for(self.SETTINGS), live_carrier("acme", server.url)
        self.open_breaker(fetcher, carrier, server)
        server.behaviour = "ok"
        clock.advance(29)
        assert ask(fetcher, carrier)[0].failure == "circuit open"
        clock.advance(1)
        assert ask(fetcher, carrier)[0].failure is None  # the probe
        assert ask(fetcher, carrier)[0].failure is None
        assert server.requests == 5
        assert observer.states == [("acme", "open"), ("acme", "half_open"),
                                   ("acme", "closed")]

    def test_a_failed_probe_opens_it_again(self, fetcher_for, carrier_server, clock, observer):
        server = carrier_server("500")
        fetcher, carrier = fetcher_for(self.SETTINGS), live_carrier("acme", server.url)
        self.open_breaker(fetcher, carrier, server)
        clock.advance(30)
        assert ask(fetcher, carrier)[0].failure == "HTTP 500"  # the probe
        assert ask(fetcher, carrier)[0].failure == "circuit open"
        assert server.requests == 4
        assert observer.states == [("acme", "open"), ("acme", "half_open"), ("acme", "open")]

    def test_only_one_probe_while_half_open(self, fetcher_for, carrier_server, clock):
        server = carrier_server("500")
        fetcher, carrier = fetcher_for(self.SETTINGS), live_carrier("acme", server.url)
        self.open_breaker(fetcher, carrier, server)
        server.behaviour, server.delay = "slow", 0.1  # the probe is still out when others ask
        clock.advance(30)
        questions = [rate_request("acme", postcode=f"9411{i}") for i in range(4)]
        answers = fetcher.fetch(questions, {"acme": carrier})
        failures = sorted(str(answer.failure) for answer in answers.values())
        assert failures == ["None"] + ["circuit open"] * 3
        assert server.requests == 4

    def test_each_carrier_has_its_own_breaker(self, fetcher_for, carrier_server):
        broken, good = carrier_server("500"), carrier_server("ok")
        fetcher = fetcher_for(self.SETTINGS)
        broken_carrier = live_carrier("broken", broken.url)
        self.open_breaker(fetcher, broken_carrier, broken)
        assert ask(fetcher, live_carrier("good", good.url))[0].failure is None


class Buggy(StandInGeneric):
    """An adapter with a bug: its parser raises something it should not."""

    def parse(self, status: int, body: bytes, request: RateRequest,
              endpoint: LiveEndpoint) -> tuple[LiveRate, ...]:
        raise KeyError("rates")


def test_an_adapter_bug_is_an_internal_error_not_a_crash(fetcher_for, carrier_server,
                                                         observer):
    server = carrier_server("ok")
    fetcher = fetcher_for(adapters={"generic": Buggy()})
    [answer] = ask(fetcher, live_carrier("acme", server.url))
    assert answer.failure == "internal error"
    assert observer.outcomes() == ["error"]
