"""Prometheus metrics for one app instance (its own registry, so tests can build many).

Under gunicorn each worker process counts its own requests; scrape each worker or run
one worker per container. A shared multiprocess registry is future work.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from rates.live import LiveSetup, RulesStatus


@dataclass(frozen=True, slots=True)
class Metrics:
    registry: CollectorRegistry
    quotes: Counter
    quote_seconds: Histogram
    reloads: Counter
    errors: Counter
    ruleset_loaded: Gauge

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
        )

    def watch(self, live: LiveSetup) -> None:
        """Count every reload, by the watcher or the API, and track the live ruleset."""
        self.ruleset_loaded.set(live.status.loaded_at.timestamp())

        def count(status: RulesStatus) -> None:
            self.reloads.labels("rejected" if status.errors else "ok").inc()
            self.ruleset_loaded.set(status.loaded_at.timestamp())
        live.subscribe(count)
