"""`rates quote CART.json [--at ISO-INSTANT] [--json] [--explain]`: quote one cart file."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rates.commands.common import add_config, read_json
from rates.loading import load_setup
from rates.report import render
from rates.service import describer, new_quote_id, quote_cart
from rates.wire.response import quote_document


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone offset; write e.g. 2026-11-23T09:30:00-08:00")
    return value


def register(commands: Any) -> None:
    parser = commands.add_parser("quote", help="quote a cart file (JSON, DESIGN section 7)")
    parser.add_argument("cart", type=Path, help="the cart request, JSON")
    add_config(parser)
    parser.add_argument("--at", type=_instant, metavar="ISO-INSTANT",
                        help="quote as if ordered at this instant (overrides ordered_at)")
    parser.add_argument("--json", action="store_true", help="print the quote document as JSON")
    parser.add_argument("--explain", action="store_true",
                        help="show every calendar step and rule, and withheld options")
    parser.set_defaults(run=run)


def _quoted_day(payload: Any, at: datetime | None) -> datetime:
    """The instant the calendars must cover: --at, else the cart's ordered_at, else now."""
    if at is not None:
        return at
    if isinstance(payload, dict) and isinstance(payload.get("ordered_at"), str):
        try:
            return datetime.fromisoformat(payload["ordered_at"])
        except ValueError:
            pass  # the request schema reports it, with the field name
    return datetime.now(UTC)


def run(args: argparse.Namespace) -> int:
    payload = read_json(args.cart, "cart")
    setup = load_setup(args.config, today=_quoted_day(payload, args.at).date())
    result = quote_cart(setup, payload, now=datetime.now(UTC), at=args.at,
                        explain=args.explain)
    if args.json:
        document = quote_document(result, new_quote_id(), describer(setup, payload))
        print(json.dumps(document, indent=2))
    else:
        print(render(result, explain=args.explain))
    return 0
