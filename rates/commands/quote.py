"""`rates quote CART.json [--at ISO-INSTANT] [--json] [--explain]`: quote one cart file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rates.app.engine import Engine
from rates.commands.common import add_config, instant, read_json
from rates.commands.quote_table import render


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
    engine = Engine(args.config)
    if args.json:
        print(json.dumps(engine.quote(payload, args.at, explain=args.explain), indent=2))
    else:
        print(render(engine.quote_result(payload, args.at, explain=args.explain),
                     explain=args.explain))
    return 0
