"""Failed sign-ins to the console are throttled by client address and by key prefix,
across every app on one store, with a page that says when to try again."""

from dataclasses import replace
from datetime import timedelta

import pytest

from rates.settings import Role
from rates.store import open_store
from rates.web.app import create_app
from tests.support.web import KEYS, NOW, on_moving_clock, sign_in

SUPPORT = KEYS[Role.SUPPORT]


def wrong_key(n: int) -> str:
    """A different wrong key each time, as a script trying a list would type."""
    return f"rk_{n:04d}_guess_{n:04d}"


def sign_ins(metrics, outcome: str) -> float:
    return metrics.registry.get_sample_value("rates_console_sign_ins_total",
                                             {"outcome": outcome}) or 0.0


def test_a_hundred_wrong_sign_ins_from_one_address_get_five_answers(client, metrics):
    statuses = [sign_in(client, wrong_key(n), address="203.0.113.7").status_code
                for n in range(100)]
    assert statuses == [401] * 5 + [429] * 95
    assert (sign_ins(metrics, "refused"), sign_ins(metrics, "throttled")) == (5, 95)


def test_a_throttled_sign_in_says_when_to_try_again(client):
    for n in range(5):
        sign_in(client, wrong_key(n), address="203.0.113.7")
    throttled = sign_in(client, wrong_key(5), address="203.0.113.7")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "300"  # the five failures were all at NOW
    page = throttled.get_data(as_text=True)
    assert '<p class="alert" id="key-error" role="alert">Too many failed sign-ins. ' \
           "Try again in 5 minutes.</p>" in page
    assert 'aria-describedby="key-error"' in page and "aria-invalid" not in page
    assert 'name="next" value="/support"' in page  # the form stays, for later


def test_a_throttled_address_may_not_try_even_the_right_key_but_another_address_may(
        client, metrics):
    for n in range(5):
        sign_in(client, wrong_key(n), address="203.0.113.7")
    assert sign_in(client, SUPPORT, address="203.0.113.7").status_code == 429
    assert client.get("/support").status_code == 302
    signed = sign_in(client, SUPPORT, address="198.51.100.20")
    assert signed.status_code == 302 and signed.location == "/support"
    assert client.get("/support").status_code == 200
    assert sign_ins(metrics, "ok") == 1


def test_one_key_tried_from_many_addresses_is_throttled_by_its_prefix(client):
    guess = "rk_demo_support_key_guessed"
    statuses = [sign_in(client, guess, address=f"192.0.2.{n}").status_code
                for n in range(1, 22)]
    assert statuses == [401] * 20 + [429]  # the 21st address had no failure of its own
    assert sign_in(client, guess + "_again", address="192.0.2.99").status_code == 429
    # Another key's prefix is not held back, from that same address.
    assert sign_in(client, SUPPORT, address="192.0.2.99").status_code == 302


def test_the_pause_ends_as_the_oldest_failure_leaves_the_window(app, client):
    clock = on_moving_clock(app)
    for minute in range(5):  # failures at 17:30, 17:31, 17:32, 17:33, 17:34
        clock.now = NOW + timedelta(minutes=minute)
        assert sign_in(client, wrong_key(minute)).status_code == 401
    clock.now = NOW + timedelta(minutes=4, seconds=30)
    throttled = sign_in(client, wrong_key(5))
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "30")
    assert "Try again in 1 minute." in throttled.get_data(as_text=True)
    clock.now = NOW + timedelta(minutes=5)  # 17:30's failure has left the window
    assert sign_in(client, wrong_key(6)).status_code == 401
    throttled = sign_in(client, wrong_key(7))  # 17:31's leaves next
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "60")


def test_a_right_key_does_not_count_as_a_failure(client):
    for n in range(4):
        assert sign_in(client, wrong_key(n)).status_code == 401
    assert sign_in(client, SUPPORT).status_code == 302
    assert sign_in(client, wrong_key(4)).status_code == 401  # the fifth failure
    assert sign_in(client, wrong_key(5)).status_code == 429


@pytest.fixture
def second_worker(app, tmp_path):
    """Another app on the same database, as a second gunicorn worker is."""
    store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    service = replace(app.config["RATES_SERVICE"], store=store)
    yield create_app(app.config["RATES_SETTINGS"], service, environ={})
    store.close()


def test_failures_on_one_worker_throttle_the_others(client, second_worker):
    other = second_worker.test_client()
    for n in range(5):
        worker = client if n % 2 else other
        assert sign_in(worker, wrong_key(n), address="203.0.113.7").status_code == 401
    assert sign_in(client, wrong_key(5), address="203.0.113.7").status_code == 429
    assert sign_in(other, wrong_key(6), address="203.0.113.7").status_code == 429
