"""The `rates` command line. Each command lives in a module of `rates.commands` with a
`register(subparsers)` function, found here by walking the package; this module only
dispatches and turns errors into exit status 2.

    rates --version                 (and which domain runs: compiled or pure Python)
    rates quote CART.json [--config PATH] [--at ISO-INSTANT] [--json] [--explain]
    rates check [PATHS...] [--config PATH] [--format text|json]
    rates test [FILES...] [--config PATH]
    rates diff OLD NEW --carts DIR [--config PATH] [--at ISO-INSTANT] [--format text|json]
    rates schema [--out DIR] [--check]
    rates calendar LOCATION|CARRIER --from DATE --days N [--at LOCATION] [--to PLACE]
    rates serve [--config PATH] [--port N]
    rates keys new --role quote|support|admin
    rates keys webhook-secret
    rates shopify register SHOP --url URL [--name NAME] [--config PATH]
    rates store prune [--config PATH] [--at ISO-INSTANT]
    rates calibrate [--since YYYY-MM-DD] [--json] [--config PATH]

Exit status: 0 done, 2 bad input or configuration (with the reason on stderr); `check`
exits 1 on warnings only, `test` when a rule test fails, `diff` when it finds changes,
`shopify register` when Shopify refuses a step.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from importlib.metadata import version

import rates.commands
from rates import DOMAIN
from rates.domain.errors import ConfigError, RatesError


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="rates", description="Shipping rates and delivery windows for backordered carts.")
    root.add_argument("--version", action="version",
                      version=f"rates {version('backorder-rates')}, domain: {DOMAIN}")
    commands = root.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(rates.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"rates.commands.{info.name}")
        if hasattr(module, "register"):
            module.register(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
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
