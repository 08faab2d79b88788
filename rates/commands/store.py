"""`rates store prune [--config PATH] [--at ISO-INSTANT]`: remove from the configured store
what is past its retention (quotes older than `store.quote_retention_days` that no order
refers to, Shopify webhook receipts older than a week), and say how much.

The service prunes by itself while it runs (`rates.app.retention`); this is for cron, or
for a store no service is running on. It works in the same short batches, so it can run
beside a live service.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from rates.app.retention import Pruned, Retention
from rates.commands.common import add_config, configured_store, instant


def register(commands: Any) -> None:
    parser = commands.add_parser("store", help="the store of quotes and orders")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    prune = actions.add_parser("prune", help="remove quotes and webhook receipts past "
                                             "their retention")
    add_config(prune)
    prune.add_argument("--at", type=instant, metavar="ISO-INSTANT",
                       help="prune as of this instant (default: now)")
    prune.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    at = args.at or datetime.now(UTC)
    reloading, store = configured_store(args.config, at)
    settings = reloading.current.settings
    try:
        pruned = Retention(store, settings.retention, lambda: at).prune()
    finally:
        store.close()
    print(render(pruned, settings.retention.quote_retention_days))
    return 0


def render(pruned: Pruned, days: float) -> str:
    return (f"removed {pruned.quotes} quote(s) older than {days:g} day(s) and "
            f"{pruned.receipts} webhook receipt(s); kept {pruned.kept} old quote(s) that "
            "orders refer to")
