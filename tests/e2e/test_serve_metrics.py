"""`/metrics` under `rates serve` reports the whole server: every gunicorn worker's counts
added up, whichever worker answers the scrape, also after workers were replaced, and
nothing from an earlier run of the server. Which worker answers is chosen by pausing
the other (tests/support/processes.py)."""

import json
import os
import signal

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.processes import booted_workers, paused
from tests.support.project import CARTS, RATES

pytestmark = pytest.mark.skipif(not RATES.exists(),
                                reason="the console script is installed by make")

QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
ADMIN_KEY = "rk_demo_admin_key_for_the_bundled_example_only"
WORKERS = 2  # config.example.yaml's server.workers
RULESET_LOADED = "rates_ruleset_loaded_timestamp_seconds"


def quote(base: str, times: int) -> None:
    """`times` quotes of the mixed example cart, each on a new connection."""
    cart = json.loads((CARTS / "mixed.json").read_text())
    for _ in range(times):
        answer = requests.post(f"{base}/v1/quotes", json=cart, timeout=10,
                               headers={"Authorization": f"Bearer {QUOTE_KEY}"})
        assert answer.status_code == 201, answer.text


def scrape(base: str) -> dict[str, list]:
    """One scrape of /metrics on a new connection: each metric's samples, by its name."""
    answer = requests.get(f"{base}/metrics", timeout=10,
                          headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    assert answer.status_code == 200
    return {family.name: family.samples
            for family in text_string_to_metric_families(answer.text)}


def quotes_counted(samples: dict[str, list]) -> float:
    """`rates_quotes_total` over the API, whatever the outcome."""
    return sum(sample.value for sample in samples.get("rates_quotes", [])
               if sample.name == "rates_quotes_total" and sample.labels["channel"] == "api")


def test_each_worker_scrapes_the_quotes_of_every_worker(serve, example, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = serve(TMPDIR=str(temporary))
    one, other = sorted(booted_workers(server.process.pid, (example.parent / "rates.db").resolve(),
                                       WORKERS))
    with paused(one):
        quote(server.base, 3)  # answered by `other`
    with paused(other):
        quote(server.base, 5)  # answered by `one`

    with paused(one):
        by_other = scrape(server.base)
    with paused(other):
        by_one = scrape(server.base)
    assert (quotes_counted(by_one), quotes_counted(by_other)) == (3 + 5, 3 + 5)
    # One ruleset time for the server, not one series per worker.
    assert (len(by_one[RULESET_LOADED]), len(by_other[RULESET_LOADED])) == (1, 1)
    # The workers counted in a folder `rates serve` made for this run ...
    (folder,) = temporary.iterdir()
    assert {path.name for path in folder.glob("counter_*.db")} == {
        f"counter_{one}.db", f"counter_{other}.db"}
    server.stop()
    # ... and removed when it stopped.
    assert list(temporary.iterdir()) == []


def test_workers_replaced_keep_their_counts_and_drop_their_ruleset_times(serve, example):
    server = serve()
    master, database = server.process.pid, (example.parent / "rates.db").resolve()
    replaced = booted_workers(master, database, WORKERS)
    quote(server.base, 4)
    (loaded_before,) = scrape(server.base)[RULESET_LOADED]

    for pid in replaced:  # as the OOM killer would
        os.kill(pid, signal.SIGKILL)
    fresh = booted_workers(master, database, WORKERS, replacing=frozenset(replaced))
    quote(server.base, 2)

    for pid in fresh:
        with paused(pid):
            samples = scrape(server.base)
        # The killed workers' quotes still count, once.
        assert quotes_counted(samples) == 4 + 2
        # The ruleset time is the live workers' oldest load: both loaded after the kill,
        # so it moved on; the killed workers' loads no longer hold it back.
        (loaded_after,) = samples[RULESET_LOADED]
        assert loaded_after.value > loaded_before.value


def test_a_server_started_again_counts_from_zero(serve, tmp_path):
    """A metrics folder the operator names is emptied at start: the files of the run
    before would otherwise add in."""
    folder = tmp_path / "metrics"
    first = serve(PROMETHEUS_MULTIPROC_DIR=str(folder))
    quote(first.base, 4)
    assert quotes_counted(scrape(first.base)) == 4
    first.stop()
    assert any(folder.glob("counter_*.db"))  # an operator's folder is kept

    second = serve(PROMETHEUS_MULTIPROC_DIR=str(folder))
    assert quotes_counted(scrape(second.base)) == 0
    quote(second.base, 2)
    assert quotes_counted(scrape(second.base)) == 2
