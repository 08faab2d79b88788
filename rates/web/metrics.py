"""Prometheus metrics for one app instance (its own registry, so tests can build many).

Under `rates serve` the metrics are shared (`shared_dir`, rates/web/shared_metrics.py):
every gunicorn worker writes its values to files there, and a scrape, whichever worker
answers it, adds up all of them. Counters and histograms add across workers, including
workers that have since exited. A gauge says how its workers' values combine
(`multiprocess_mode`); the `live` modes leave out the workers that have exited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from rates.app.reloading import ReloadingSetup, RulesStatus


@dataclass(frozen=True, slots=True)
class Metrics:
    registry: CollectorRegistry
    shared_dir: Path | None
    quotes: Counter
    quote_seconds: Histogram
    quotes_reused: Counter
    reloads: Counter
    errors: Counter
    ruleset_loaded: Gauge
    live_seconds: Histogram
    live_breaker: Gauge
    live_cache_hits: Counter
    checkout_refusals: Counter
    platform_webhooks: Counter
    console_sign_ins: Counter

    @classmethod
    def create(cls, shared_dir: Path | None = None) -> Metrics:
        """Metrics in a registry of their own; with `shared_dir`, scraped from every
        worker's files there (prometheus_client must then write its values to that
        folder: `PROMETHEUS_MULTIPROC_DIR` was set before it was imported)."""
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            shared_dir=shared_dir,
            quotes=Counter("rates_quotes", "Quotes answered, by channel and outcome",
                           ["channel", "outcome"], registry=registry),
            quote_seconds=Histogram(
                "rates_quote_seconds", "Time to answer a quote request, by channel",
                ["channel"], registry=registry,
                buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)),
            quotes_reused=Counter(
                "rates_quotes_reused", "Quotes answered with the answer to the same request "
                "in the same minute (a checkout asking again), by channel", ["channel"],
                registry=registry),
            reloads=Counter("rates_rules_reloads", "Rules reloads, by result", ["result"],
                            registry=registry),
            errors=Counter("rates_http_errors", "Error responses, by status", ["status"],
                           registry=registry),
            # The oldest load among the live workers: it moves on once every worker has
            # the new rules (so it tells when a change reached the whole server), and a
            # respawned worker, which loads at boot, does not make it look like a reload.
            ruleset_loaded=Gauge("rates_ruleset_loaded_timestamp_seconds",
                                 "When the rules every live worker serves were loaded "
                                 "(the oldest worker's load)", registry=registry,
                                 multiprocess_mode="livemin"),
            live_seconds=Histogram(
                "rates_live_call_seconds", "Live carrier rate calls, by carrier and outcome",
                ["carrier", "outcome"], registry=registry,
                buckets=(0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5)),
            # Each worker has its own breakers: the worst state among the live workers
            # is the one to alert on (a carrier open in one worker fails its quotes).
            live_breaker=Gauge("rates_live_breaker_state",
                               "Circuit breaker per live carrier, the worst among the "
                               "workers: 0 closed, 1 half-open, 2 open",
                               ["carrier"], registry=registry, multiprocess_mode="livemax"),
            live_cache_hits=Counter("rates_live_cache_hits", "Live rate answers from the cache",
                                    ["carrier"], registry=registry),
            checkout_refusals=Counter(
                "rates_checkout_refusals", "Platform checkouts answered with no rate (or the "
                "fallback rate), by platform and reason", ["platform", "reason"],
                registry=registry),
            platform_webhooks=Counter("rates_platform_webhooks",
                                      "Checkout platforms' webhook deliveries, by platform, "
                                      "topic and outcome", ["platform", "topic", "outcome"],
                                      registry=registry),
            console_sign_ins=Counter("rates_console_sign_ins",
                                     "Support console sign-ins, by outcome: ok, refused (a "
                                     "wrong key or role), throttled (too many failures)",
                                     ["outcome"], registry=registry),
        )

    def exposition(self) -> bytes:
        """What a scrape reads, in Prometheus's text format: this registry, or every
        worker's files added up, through a registry made for this scrape (registering
        the collector in `registry` would report this worker's values twice)."""
        if self.shared_dir is None:
            return generate_latest(self.registry)
        scraped = CollectorRegistry()
        scraped.register(SettledFiles(self.shared_dir))
        return generate_latest(scraped)

    # The LiveObserver protocol of rates.carriers.fetch (called from its threads; the
    # prometheus client is thread-safe): failures by reason are the histogram's count per
    # outcome (rates.carriers.fetch.Outcome).
    BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}

    def call(self, carrier: str, seconds: float, outcome: str) -> None:
        self.live_seconds.labels(carrier, outcome).observe(seconds)

    def breaker(self, carrier: str, state: str) -> None:
        self.live_breaker.labels(carrier).set(self.BREAKER_STATES.get(state, 2))

    def cache_hit(self, carrier: str) -> None:
        self.live_cache_hits.labels(carrier).inc()

    def watch(self, reloading: ReloadingSetup) -> None:
        """Count every reload, by the watcher or the API, and track the live ruleset."""
        self.ruleset_loaded.set(reloading.status.loaded_at.timestamp())

        def count(status: RulesStatus) -> None:
            self.reloads.labels("rejected" if status.errors else "ok").inc()
            self.ruleset_loaded.set(status.loaded_at.timestamp())
        reloading.subscribe(count)


class SettledFiles:
    """Every worker's metrics files in `folder`, added up, less any a worker is creating
    right now. prometheus_client makes a worker's file empty and sizes it a moment later,
    and `MultiProcessCollector` reading it in that moment fails the whole scrape (a 500
    while a worker boots); such a file holds no value yet, so leaving it out loses none."""

    SIZED = 8  # bytes: the header that says how much of the file is in use

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterable[Metric]:
        files = [str(path) for path in self.folder.glob("*.db") if self._sized(path)]
        return MultiProcessCollector.merge(files, accumulate=True)  # type: ignore[no-any-return,no-untyped-call]

    def _sized(self, path: Path) -> bool:
        try:
            return path.stat().st_size >= self.SIZED
        except FileNotFoundError:  # a dead worker's live gauges, removed since the listing
            return False
