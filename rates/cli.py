"""The `rates` command line.

- `rates quote CART.json [--config PATH] [--at ISO-INSTANT] [--json] [--explain]` quotes
  one cart file against the merchant's configuration;
- `rates serve [--config PATH] [--port N]` runs the HTTP service under gunicorn;
- `rates keys new --role quote|support|admin` mints an API key and prints its config line.
Exit status: 0 done, 2 bad cart or configuration (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rates.domain.errors import ConfigError, RatesError
from rates.loading import load_setup
from rates.report import render
from rates.service import describer, new_quote_id, quote_cart
from rates.settings import Role, hash_key, new_key
from rates.wire.response import quote_document

DEFAULT_CONFIG = "config.example.yaml"


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone offset; write e.g. 2026-11-23T09:30:00-08:00")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rates", description="Shipping rates and delivery windows for backordered carts.")
    commands = parser.add_subparsers(dest="command", required=True)
    quote = commands.add_parser("quote", help="quote a cart file (JSON, DESIGN section 7)")
    quote.add_argument("cart", type=Path, help="the cart request, JSON")
    quote.add_argument("--config", type=Path,
                       default=Path(os.environ.get("RATES_CONFIG", DEFAULT_CONFIG)),
                       help=f"configuration file (default: $RATES_CONFIG or {DEFAULT_CONFIG})")
    quote.add_argument("--at", type=_instant, metavar="ISO-INSTANT",
                       help="quote as if ordered at this instant (overrides ordered_at)")
    quote.add_argument("--json", action="store_true", help="print the quote document as JSON")
    quote.add_argument("--explain", action="store_true",
                       help="show every calendar step and rule, and withheld options")
    serve = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    serve.add_argument("--config", type=Path,
                       default=Path(os.environ.get("RATES_CONFIG", DEFAULT_CONFIG)))
    serve.add_argument("--port", type=int, help="override server.port")
    keys = commands.add_parser("keys", help="API keys")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    new = keys_commands.add_parser("new", help="mint a key and print the config line")
    new.add_argument("--role", choices=[role.value for role in Role], required=True)
    new.add_argument("--name", help="a name for the key (default: the role)")
    return parser


def _read_cart(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RatesError(f"{path}: cannot read the cart: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RatesError(f"{path}: not valid JSON: {error}") from None


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


def quote_command(args: argparse.Namespace) -> int:
    payload = _read_cart(args.cart)
    setup = load_setup(args.config, today=_quoted_day(payload, args.at).date())
    result = quote_cart(setup, payload, now=datetime.now(UTC), at=args.at,
                        explain=args.explain)
    if args.json:
        document = quote_document(result, new_quote_id(), describer(setup, payload))
        print(json.dumps(document, indent=2))
    else:
        print(render(result, explain=args.explain))
    return 0


def serve_command(args: argparse.Namespace) -> int:
    from rates.web.serve import serve  # gunicorn is needed only here

    setup = load_setup(args.config, today=datetime.now(UTC).date())
    server = setup.settings.server
    if args.port:
        server = replace(server, port=args.port)
    print(f"serving {args.config} on http://{server.host}:{server.port} "
          f"({server.workers} workers)", file=sys.stderr)
    serve(args.config, server)
    return 0


def keys_command(args: argparse.Namespace) -> int:
    key = new_key()
    name = args.name or args.role
    print(f"key (give it to the client; it is not stored): {key}")
    print("add under auth.keys in the config:")
    print(f"  - {{name: {name}, role: {args.role}, sha256: {hash_key(key)}}}")
    return 0


COMMANDS = {"quote": quote_command, "serve": serve_command, "keys": keys_command}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as error:
        print(f"rates: configuration error in {getattr(args, 'config', '?')}:",
              file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except RatesError as error:
        print(f"rates: {error.message}", file=sys.stderr)
        for field, problems in sorted(error.fields.items()):
            print(f"  {field}: {'; '.join(problems)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
