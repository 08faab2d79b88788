"""The Flask application factory and the wiring of a running service.

`create_app` takes everything it needs as arguments (settings, the service, metrics): no
configuration is read at import time, so tests build as many apps as they like.
`build_app(config_path)` does the wiring for `rates serve` and gunicorn: load the setup,
open the store, seed inventory from the inventory file, start the rules watcher and the
store's pruning.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, g, request

from rates.app.calibration import Recounting
from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup, RulesStatus
from rates.app.retention import Retention, RetentionThread
from rates.carriers.fetch import LiveRateFetcher
from rates.carriers.registry import ADAPTERS
from rates.loading import Setup
from rates.settings import Settings, WebhookSettings
from rates.store import Store, configured_url, open_store
from rates.web import (
    api,
    bigcommerce,
    console,
    console_auth,
    errors,
    openapi,
    paths,
    saleor,
    shopify,
)
from rates.web.bodies import CappedRequest
from rates.web.fast_json import FastJson
from rates.web.metrics import Metrics
from rates.webhooks.config import webhook_secret
from rates.webhooks.dispatcher import WebhookDispatcher
from rates.webhooks.sender import WebhookSender

access_log = logging.getLogger("rates.access")


def create_app(settings: Settings, service: ShippingService,
               metrics: Metrics | None = None,
               environ: Mapping[str, str] | None = None) -> Flask:
    """The WSGI app. The checkout platforms' stores read their secrets from `environ`
    (default: the process's environment), once, here; a store a secret of which is unset
    or empty is left out, so its routes answer 404 (`rates serve` says so at start,
    `rates check` warns)."""
    app = Flask("rates")
    app.request_class = CappedRequest
    metrics = metrics or Metrics.create()
    metrics.watch(service.reloading)
    environ = dict(os.environ if environ is None else environ)
    app.config.update(
        RATES_ENVIRON=environ,
        RATES_STORES={(shop.platform, shop.name): shop
                      for shop in settings.stores if not shop.unset(environ)},
        RATES_SETTINGS=settings,
        RATES_SERVICE=service,
        RATES_METRICS=metrics,
        MAX_CONTENT_LENGTH=settings.server.max_body_bytes,
    )
    app.json = FastJson(app)
    app.register_blueprint(api.v1)
    app.register_blueprint(api.health)
    app.register_blueprint(shopify.shopify)
    app.register_blueprint(bigcommerce.bigcommerce)
    app.register_blueprint(saleor.saleor)
    app.register_blueprint(openapi.openapi)
    app.register_blueprint(console.support)
    # Key- and signature-authenticated blueprints take no cookies, so need no CSRF token.
    console_auth.install(app, settings.server,
                         exempt=(api.v1, api.health, shopify.shopify,
                                 bigcommerce.bigcommerce, saleor.saleor))
    errors.install(app)

    @app.before_request
    def _start() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)
        g.started = time.perf_counter()

    paths.install(app)  # after `_start`: a refused path is logged with its request id

    @app.after_request
    def _log(response: Response) -> Response:
        """One structured line per request; no bodies, no addresses, no personal data."""
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        if response.status_code >= 400:
            app.config["RATES_METRICS"].errors.labels(str(response.status_code)).inc()
        response.headers["X-Request-Id"] = g.get("request_id", "")
        access_log.info("request", extra={
            "request_id": g.get("request_id"), "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code, "ms": round(elapsed_ms, 2),
            "key": g.get("api_key")})
        return response

    return app


def build_app(config_path: Path, clock: Callable[[], datetime] | None = None, *,
              watch: bool = True, fallback: Setup | None = None,
              on_reload: Callable[[RulesStatus], None] | None = None,
              metrics_dir: Path | None = None) -> Flask:
    """A ready service for `config_path`: what `rates serve` runs in each worker.
    `fallback` is served if the files are broken at start (see `ReloadingSetup`); `on_reload`
    hears the status after every reload attempt; `metrics_dir` is the folder the workers
    share their metrics in (rates/web/shared_metrics.py)."""
    now = clock or (lambda: datetime.now(UTC))
    reloading = ReloadingSetup(config_path, now, fallback)
    if on_reload is not None:
        reloading.subscribe(on_reload)
    settings = reloading.current.settings
    store = open_store(configured_url(settings.store_url, config_path),
                       default_location=next(iter(reloading.current.catalog.locations)))
    store.seed_inventory(reloading.current.inventory, now())
    store.seed_products(reloading.current.products, now())
    if watch:
        reloading.watch(settings.server.reload_interval_seconds)
    pruning = RetentionThread(Retention(store, settings.retention, now),
                              settings.retention.prune_interval_seconds)
    pruning.start()
    atexit.register(pruning.stop)
    metrics = Metrics.create(metrics_dir)
    # One fetcher per process: its thread pool, breakers and cache serve every quote.
    fetcher = LiveRateFetcher(settings.live_rates, ADAPTERS, observer=metrics)
    atexit.register(fetcher.close)
    dispatcher = (_dispatch_webhooks(settings.webhook, store, now)
                  if settings.webhook is not None else None)
    service = ShippingService(reloading, store, now, fetcher.fetch, notify=dispatcher is not None)
    recounting = Recounting(service.calibrations, reloading)
    recounting.start()
    atexit.register(recounting.stop)
    app = create_app(settings, service, metrics)
    app.config["RATES_WEBHOOKS"] = dispatcher
    return app


def _dispatch_webhooks(settings: WebhookSettings, store: Store,
                       clock: Callable[[], datetime]) -> WebhookDispatcher:
    """Send the outbox's events from this process until it exits. Every worker runs one:
    the store leases each event to one sender at a time."""
    sender = WebhookSender(settings, webhook_secret(settings, os.environ), store, clock)
    dispatcher = WebhookDispatcher(sender, settings.poll_seconds)
    dispatcher.start()
    atexit.register(sender.close)
    atexit.register(dispatcher.stop)
    return dispatcher

