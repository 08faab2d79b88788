"""The wait before a retry: exponential, capped, and spread by full jitter.

With the defaults (first 30 s, cap 3600 s) the ceilings after 1, 2, 3, ... failed tries
are 30, 60, 120, 240, 480, 960, 1920, then 3600 from the 8th failure on (3840 is capped).
"""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rates.settings import WebhookSettings
from rates.webhooks.sender import retry_delay
from tests.support.webhooks import FixedRandom

DEFAULTS = WebhookSettings("https://shop.example.com/hooks", "S")


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - as the sender: jitter, nothing secret


@pytest.mark.parametrize(("failures", "seconds"), [
    (1, 15), (2, 30), (3, 60), (7, 960), (8, 1800), (9, 1800), (10_000, 1800)])
def test_the_delay_is_the_drawn_fraction_of_a_doubling_capped_ceiling(failures, seconds):
    assert retry_delay(failures, DEFAULTS, FixedRandom([0.5])) == seconds


def test_full_jitter_reaches_from_zero_to_the_ceiling():
    assert retry_delay(3, DEFAULTS, FixedRandom([0.0])) == 0
    assert retry_delay(3, DEFAULTS, FixedRandom([0.75])) == 90


def test_a_seeded_random_gives_the_same_delays_every_time():
    def delays(seed: int) -> list[float]:
        rng = seeded(seed)
        return [retry_delay(n, DEFAULTS, rng) for n in range(1, 9)]

    assert delays(7) == delays(7)
    assert delays(7) != delays(8)


@given(failures=st.integers(1, 10**6), seed=st.integers(0, 2**32),
       first=st.floats(1, 600), cap=st.floats(1, 86_400))
def test_the_delay_is_never_negative_nor_above_its_ceiling(failures, seed, first, cap):
    settings = WebhookSettings("https://shop.example.com/hooks", "S",
                               first_retry_seconds=first, max_retry_seconds=max(first, cap))
    ceiling = min(max(first, cap), first * 2 ** min(failures - 1, 64))
    assert 0 <= retry_delay(failures, settings, seeded(seed)) <= ceiling
