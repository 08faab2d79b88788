"""`rates diff OLD NEW --carts DIR`: preview a rule change on a corpus of carts.

Exit status: 0 no differences, 1 differences found, 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from rates.commands.common import add_config, instant, read_json
from rates.domain.errors import RatesError
from rates.domain.money import Money
from rates.domain.stock import DateRange
from rates.ruletools.diff import CartDiff, Change, Kind, Summary, Value, diff_carts, summarize
from rates.ruletools.replay import Replay
from rates.ruletools.visibility import ABSENT, OFFERED
from rates.wire.response import date_range, money

PROGRESS_FROM = 50
"""Fewer carts than this quote in a blink: a progress bar would only flicker."""

T = TypeVar("T")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "diff", help="quote a folder of carts under two rule sets and list what changes")
    parser.add_argument("old", type=Path, metavar="OLD", help="the rules now: a directory or file")
    parser.add_argument("new", type=Path, metavar="NEW", help="the rules proposed")
    parser.add_argument("--carts", type=Path, required=True, metavar="DIR",
                        help="a directory of cart requests (*.json, DESIGN section 7)")
    add_config(parser)
    parser.add_argument("--at", type=instant, metavar="ISO-INSTANT",
                        help="quote every cart at this instant (default: each cart's "
                             "ordered_at, else now)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for rules in (args.old, args.new):
        if not rules.exists():
            raise RatesError(f"{rules}: no such rules directory or file")
    carts = _carts(args.carts)
    diffs = diff_carts(_progress(carts), Replay(args.config, args.old),
                       Replay(args.config, args.new), at=args.at, now=datetime.now(UTC))
    summary = summarize(diffs)
    if args.format == "json":
        print(json.dumps(_document(diffs, summary), indent=2))
    else:
        print(_text(diffs, summary))
    return 1 if summary.options_changed else 0


def _carts(folder: Path) -> list[tuple[str, Any]]:
    if not folder.is_dir():
        raise RatesError(f"{folder}: no such directory of carts")
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise RatesError(f"no carts (*.json) in {folder}")
    return [(path.name, read_json(path, "cart")) for path in paths]


def _progress(items: Sequence[T]) -> Iterable[T]:
    """`items`, with a progress bar on stderr for a long run that a person is watching."""
    quiet = len(items) < PROGRESS_FROM or not sys.stderr.isatty()
    return tqdm(items, desc="quoting carts", unit="cart", file=sys.stderr, disable=quiet,
                leave=False)


# -- text ---------------------------------------------------------------------------------


def _text(diffs: Sequence[CartDiff], summary: Summary) -> str:
    if not summary.options_changed:
        return f"no differences in {summary.carts} cart(s)"
    width = max(len(change.option) for diff in diffs for change in diff.changes)
    out = []
    for diff in diffs:
        if diff.changes:
            out.append(diff.cart + (f" ({diff.reference})" if diff.reference else ""))
            out.extend(f"  {change.option:<{width}}  {_described(change)}"
                       for change in diff.changes)
            out.append("")
    out.append(f"{summary.carts} cart(s) compared: {summary.carts - summary.unchanged_carts} "
               f"changed, {summary.unchanged_carts} unchanged")
    kinds = ", ".join(f"{summary.by_kind[kind]} {kind}" for kind in Kind)
    out.append(f"{summary.options_changed} option(s) changed: {kinds}")
    if summary.price_delta is not None and summary.average_delta is not None:
        currency = summary.price_delta.currency
        out.append(f"price change: {summary.price_delta.signed()} {currency} in total, "
                   f"{summary.average_delta.signed()} {currency} on average over "
                   f"{summary.by_kind[Kind.PRICE]} price change(s)")
    return "\n".join(out)


def _described(change: Change) -> str:
    old, new = change.old, change.new
    if change.delta is not None:
        return f"price {_shown(old)} -> {_shown(new)} ({change.delta.signed()})"
    if change.kind is Kind.VISIBILITY:
        if old == ABSENT:
            return "appeared" + ("" if new == OFFERED else f", {new}")
        if new == ABSENT:
            return "disappeared" + ("" if old == OFFERED else f" (was {old})")
        return f"now {new} (was {old})"
    if change.kind is Kind.LABEL:
        return f"label {old!r} -> {new!r}"
    return f"{change.kind} {_shown(old)} -> {_shown(new)}"


def _shown(value: Value) -> str:
    return str(value.amount) if isinstance(value, Money) else str(value)


# -- JSON ---------------------------------------------------------------------------------


def _document(diffs: Sequence[CartDiff], summary: Summary) -> dict[str, Any]:
    """Every change, flat, then the summary; money and dates as in the quote document."""
    return {
        "changes": [
            {"cart": diff.cart, "reference": diff.reference, "option": change.option,
             "kind": str(change.kind), "old": _wire(change.old), "new": _wire(change.new),
             **({"delta": money(change.delta)} if change.delta is not None else {})}
            for diff in diffs for change in diff.changes],
        "summary": {
            "carts": summary.carts,
            "carts_changed": summary.carts - summary.unchanged_carts,
            "carts_unchanged": summary.unchanged_carts,
            "options_changed": summary.options_changed,
            "changes": {str(kind): count for kind, count in summary.by_kind.items()},
            "price_delta": {
                "total": _wire(summary.price_delta),
                "average": _wire(summary.average_delta),
            },
        },
    }


def _wire(value: Value | None) -> Any:
    """A value as the quote document writes it (None stays null)."""
    if isinstance(value, Money):
        return money(value)
    if isinstance(value, DateRange):
        return date_range(value)
    return value
