"""`rates promises at-risk [--at ISO-INSTANT] [--json]`: the open orders now expected after
the latest delivery they were promised, with the SKU and lot to blame.

It reads the configured store and stock, as the service does, and records what it finds,
so an order it reports at risk for the first time notifies the webhook like the service
would. Exit status 0 when no promise is at risk and 1 when some are: cron can alert on it.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from rates.app.orders import Orders
from rates.commands.common import add_config, configured_store, instant


def register(commands: Any) -> None:
    parser = commands.add_parser("promises", help="promises made to customers")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    at_risk = actions.add_parser("at-risk", help="open orders expected after their "
                                                 "promised latest delivery")
    add_config(at_risk)
    at_risk.add_argument("--at", type=instant, metavar="ISO-INSTANT",
                         help="look as of this instant (default: now)")
    at_risk.add_argument("--json", action="store_true", help="print the list as JSON")
    at_risk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    at = args.at or datetime.now(UTC)
    reloading, store = configured_store(args.config, at)
    settings = reloading.current.settings
    try:
        orders = Orders(reloading, store, lambda: at, notify=settings.webhook is not None)
        found = orders.at_risk()
    finally:
        store.close()
    print(json.dumps(found, indent=2) if args.json else render(found))
    return 1 if found["orders"] else 0


def render(found: dict[str, Any]) -> str:
    orders = found["orders"]
    lines = [f"{len(orders)} order(s) at risk as of {found['as_of']}"]
    for order in orders:
        late = ("no restock expected" if order["days_late"] is None
                else f"{order['days_late']} day(s) late")
        current = order["current"]
        now = f"{current['earliest']}..{current['latest']}" if current else "no date"
        lines.append(f"{order['id']}  {order['reference'] or '-'}  {late}  promised "
                     f"{order['promised']['earliest']}..{order['promised']['latest']}  "
                     f"now {now}")
        lines.extend(f"    {cause['reason']}" for cause in order["causes"])
    return "\n".join(lines)
