"""Prometheus metrics for one app instance (its own registry, so tests can build many).

Under gunicorn each worker process counts its own requests; scrape each worker or run
one worker per container. A shared multiprocess registry is future work.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from rates.app.reloading import ReloadingSetup, RulesStatus


@dataclass(frozen=True, slots=True)
class Metrics:
    registry: CollectorRegistry
    quotes: Counter
    quote_seconds: Histogram
    reloads: Counter
    errors: Counter
    ruleset_loaded: Gauge
    live_seconds: Histogram
    live_breaker: Gauge
    live_cache_hits: Counter
    checkout_refusals: Counter
    shopify_webhooks: Counter
    console_sign_ins: Counter

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            quotes=Counter("rates_quotes", "Quotes answered, by channel and outcome",
                           ["channel", "outcome"], registry=registry),
            quote_seconds=Histogram(
                "rates_quote_seconds", "Time to answer a quote request, by channel",
                ["channel"], registry=registry,
                buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)),
            reloads=Counter("rates_rules_reloads", "Rules reloads, by result", ["result"],
                            registry=registry),
            errors=Counter("rates_http_errors", "Error responses, by status", ["status"],
                           registry=registry),
            ruleset_loaded=Gauge("rates_ruleset_loaded_timestamp_seconds",
                                 "When the live ruleset was loaded", registry=registry),
            live_seconds=Histogram(
                "rates_live_call_seconds", "Live carrier rate calls, by carrier and outcome",
                ["carrier", "outcome"], registry=registry,
                buckets=(0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5)),
            live_breaker=Gauge("rates_live_breaker_state",
                               "Circuit breaker per live carrier: 0 closed, 1 half-open, 2 open",
                               ["carrier"], registry=registry),
            live_cache_hits=Counter("rates_live_cache_hits", "Live rate answers from the cache",
                                    ["carrier"], registry=registry),
            checkout_refusals=Counter(
                "rates_checkout_refusals", "Platform checkouts answered with no rate (or the "
                "fallback rate), by platform and reason", ["platform", "reason"],
                registry=registry),
            shopify_webhooks=Counter("rates_shopify_webhooks",
                                     "Shopify webhook deliveries, by topic and outcome",
                                     ["topic", "outcome"], registry=registry),
            console_sign_ins=Counter("rates_console_sign_ins",
                                     "Support console sign-ins, by outcome: ok, refused (a "
                                     "wrong key or role), throttled (too many failures)",
                                     ["outcome"], registry=registry),
        )

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
