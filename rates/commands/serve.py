"""`rates serve [--port N]`: the HTTP service under gunicorn.

Before serving it says, on stderr, which checkout platforms' stores lack a secret in this
environment: their calls would answer 404 and the platform would fall back to its backup
rates (or show none) without a word. It still serves (the other stores and /v1 work), and
`/readyz` stays ready: the fault is the same on every instance, so failing readiness would
only take the healthy routes down with it, and a public probe should not list shops or
variable names.

A webhook signing secret that is missing or malformed stops it instead, here, as a
configuration error: every worker would fail to boot on it, with a traceback for a reason.
The store is opened once first, so that migrating it is done before any worker starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rates.commands.common import add_config
from rates.loading import load_setup
from rates.loading.environment import unset_secret_message
from rates.store import configured_url, open_store
from rates.webhooks.config import webhook_secret


def register(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    add_config(parser)
    parser.add_argument("--port", type=int, help="override server.port")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rates.web.serve import serve  # gunicorn and Flask are needed only here

    setup = load_setup(args.config, today=datetime.now(UTC).date())
    if setup.settings.webhook is not None:
        webhook_secret(setup.settings.webhook, os.environ)
    server = setup.settings.server
    if args.port:
        server = replace(server, port=args.port)
    print(f"serving {args.config} on http://{server.host}:{server.port} "
          f"({server.workers} workers)", file=sys.stderr)
    for shop in setup.settings.stores:
        for field in shop.unset(os.environ):
            print(f"warning: {shop.platform} store {shop.name}: "
                  f"{unset_secret_message(shop, field)}", file=sys.stderr)
    # The store is brought up to date here, once, before the workers start (its schema
    # migrated, an old SQLite file turned to incremental auto-vacuum): each worker would
    # otherwise do it, the others waiting for its lock, and a worker that waits too long
    # fails to boot.
    open_store(configured_url(setup.settings.store_url, args.config),
               default_location=next(iter(setup.catalog.locations))).close()
    serve(args.config, server, setup)
    return 0
