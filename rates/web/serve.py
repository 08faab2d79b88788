"""`rates serve`: the app under gunicorn, configured from the config file's `server:`.

Each worker builds its own app (`build_app`), so each has its own store connection and
rules watcher; reloads happen in every worker within `reload_interval_seconds`. The
workers share one metrics folder (rates/web/shared_metrics.py), so `/metrics` reports
the whole server whichever worker answers.

This module does not import the app at its top: prometheus_client, which the app
imports, must first see the metrics folder (`serve` prepares it, then imports the app).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import secrets
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from rates.app.reloading import RulesStatus
from rates.loading import Setup
from rates.settings import ServerSettings
from rates.web.shared_metrics import SharedMetrics


class JsonLines(logging.Formatter):
    """One JSON object per log line, with the structured fields passed as `extra`."""

    RESERVED = frozenset(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"level": record.levelname.lower(), "logger": record.name,
                                "message": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in self.RESERVED})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


GRACEFUL_STOP_SECONDS = 10


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn calling `build` in each worker for its WSGI app. With `metrics`, the master
    drops a dead worker's live gauges and, on stopping, the metrics folder it made."""

    def __init__(self, build: Callable[[], Any], server: ServerSettings,
                 metrics: SharedMetrics | None = None) -> None:
        self.build = build
        self.server = server
        self.metrics = metrics
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.server.host}:{self.server.port}")
        self.cfg.set("workers", self.server.workers)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", 4)
        self.cfg.set("timeout", 30)
        # A stopping worker finishes its requests in flight (milliseconds each) for at
        # most this long; then the master kills it. This also bounds a stop in which a
        # worker missed the signal (one sent while it was being forked).
        self.cfg.set("graceful_timeout", GRACEFUL_STOP_SECONDS)
        self.cfg.set("accesslog", None)  # the app logs each request itself, without PII
        # gunicorn's control socket is one path per user, so two servers on a machine would
        # take it from each other; `rates serve` is managed by signals, never through it.
        self.cfg.set("control_socket_disable", True)  # noqa: FBT003 (gunicorn's API)
        if (metrics := self.metrics) is not None:
            self.cfg.set("child_exit", lambda arbiter, worker: metrics.worker_exited(worker.pid))
            self.cfg.set("on_exit", lambda arbiter: metrics.remove())

    def load(self) -> Any:
        app = self.build()
        gc.freeze()
        return app


def freeze_reloaded(status: RulesStatus) -> None:
    """Keep what a worker has loaded out of the cyclic collector's way.

    A worker's modules, setup and calendars (about 90,000 objects) live as long as it
    does, or until the next reload. Frozen, they are left out of the collector's full
    passes, which otherwise walk all of them inside whichever quote triggers one: a 30 ms
    pause in about one quote in a hundred (benchmarks/quote.py, p99). `Server.load`
    freezes at boot; this freezes again after each reload that swapped in new rules.
    The setup it replaced is freed by reference counting once no quote holds it: setups
    hold no reference cycles, so nothing is kept alive by being frozen. The collection
    first takes the garbage that is around, once per reload, in the reloading thread.
    """
    if not status.errors:
        gc.collect()
        gc.freeze()


def serve(config_path: Path, server: ServerSettings, setup: Setup | None = None) -> None:
    """Serve until stopped. `setup` is the one the master loaded before forking: a worker
    that boots while the files are broken serves it."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    if not os.environ.get(server.session_secret_env):
        # Set before gunicorn forks, so every worker accepts the others' session cookies.
        os.environ[server.session_secret_env] = secrets.token_urlsafe(32)
        logging.getLogger(__name__).warning(
            "%s is not set: generated one; console sessions end when the server restarts",
            server.session_secret_env)
    metrics = SharedMetrics.prepare(os.environ)
    # Only now, with the folder named, is the app (and prometheus_client) imported; here
    # in the master, so every worker forks with it loaded.
    from rates.web.app import build_app

    build = partial(build_app, config_path, fallback=setup, on_reload=freeze_reloaded,
                    metrics_dir=metrics.folder)
    Server(build, server, metrics).run()
