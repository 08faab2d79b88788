"""`rates quote CART.json [--at ISO-INSTANT] [--json] [--explain]`: quote one cart file."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rates.app.quoting import describer, new_quote_id, quote_cart
from rates.commands.common import add_config, instant, read_json
from rates.commands.quote_table import render
from rates.loading import load_setup
from rates.ruletools.replay import quoted_at
from rates.wire.response import quote_document


def register(commands: Any) -> None:
    parser = commands.add_parser("quote", help="quote a cart file (JSON, DESIGN section 7)")
    parser.add_argument("cart", type=Path, help="the cart request, JSON")
    add_config(parser)
    parser.add_argument("--at", type=instant, metavar="ISO-INSTANT",
                        help="quote as if ordered at this instant (overrides ordered_at)")
    parser.add_argument("--json", action="store_true", help="print the quote document as JSON")
    parser.add_argument("--explain", action="store_true",
                        help="show every calendar step and rule, and withheld options")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    payload = read_json(args.cart, "cart")
    now = datetime.now(UTC)
    # The calendars must cover the day quoted: --at, else the cart's ordered_at, else now.
    setup = load_setup(args.config, today=quoted_at(payload, args.at, now).date())
    result = quote_cart(setup, payload, now=now, at=args.at, explain=args.explain)
    if args.json:
        document = quote_document(result, new_quote_id(), describer(setup, payload))
        print(json.dumps(document, indent=2))
    else:
        print(render(result, explain=args.explain))
    return 0
