"""`rates calibrate [--since YYYY-MM-DD] [--target P] [--json]`: how well past promises held.

For the shipments delivered since the date (default: 90 days ago), the share delivered
inside the promised window, overall and per supplier, carrier service and plan, with the
median and P90 lateness, and week by week the days promised against the days taken; and
what a lateness target (`--target`, default the config's `promise.target_confidence`)
would have changed, weighing each promise by today's history (docs/confidence.md). It
reads the configured store and writes nothing. Exit status 0, also when nothing was
delivered.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from rates.app.accuracy import DEFAULT_DAYS, Accuracy, PromiseAccuracy, parse_since
from rates.app.calibration import Calibrations, widened_latest
from rates.commands.common import add_config, configured_store
from rates.domain.accuracy import Held, Row
from rates.domain.confidence import Calibration
from rates.wire.accuracy import report_document


def register(commands: Any) -> None:
    parser = commands.add_parser("calibrate", help="how well past promises held")
    add_config(parser)
    parser.add_argument("--since", type=day, metavar="YYYY-MM-DD",
                        help=f"shipments delivered on or after this date "
                             f"(default: {DEFAULT_DAYS} days ago)")
    parser.add_argument("--target", type=target, metavar="P",
                        help="what this target confidence (0.5 to 0.99) would have changed "
                             "(default: the config's promise.target_confidence)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def target(text: str) -> float:
    """An argparse type: `--target`'s confidence."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.5 <= value <= 0.99:
        raise argparse.ArgumentTypeError(f"{text!r} is not a confidence from 0.5 to 0.99")
    return value


def day(text: str) -> date:
    """An argparse type: `--since`'s date."""
    try:
        return parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    reloading, store = configured_store(args.config, now)
    try:
        setup = reloading.current
        model = Calibrations(store, lambda: now).refresh(setup).calibration
        goal = args.target or setup.settings.promise.target_confidence
        widening = (widened_latest(Calibration(model.model, goal), setup.catalog)
                    if model is not None and goal is not None else None)
        found = PromiseAccuracy(store, lambda: now, widening, goal).measure(args.since)
    finally:
        store.close()
    print(json.dumps(document(found), indent=2) if args.json else render(found))
    return 0


def document(found: Accuracy) -> dict[str, Any]:
    return {"since": found.since.isoformat(), "as_of": found.as_of.isoformat(),
            "skipped_events": found.skipped, "target_confidence": found.target,
            **report_document(found.report)}


def render(found: Accuracy) -> str:
    report, overall = found.report, found.report.overall
    head = f"Shipments delivered since {found.since.isoformat()}"
    if not overall.shipments:
        lines = [f"{head}: none, so there is nothing to measure yet. Delivered events are "
                 "recorded with POST /v1/orders/{id}/events."]
    else:
        lines = [
            f"{head}: {overall.shipments}",
            f"Inside the promised window: {overall.inside} of {overall.shipments} "
            f"({_percent(overall.share)}); {overall.early} early, {overall.late} late",
            f"Days after the promised latest date (negative: early): median "
            f"{overall.median_lateness}, P90 {overall.p90_lateness}",
        ]
        lines += ["", "By supplier (a shipment counts for each supplier of its backordered "
                      "units)",
                  *(_table("SUPPLIER", report.by_supplier) if report.by_supplier else
                    ["  none: no delivered shipment had a backordered unit with a named "
                     "supplier"])]
        for title, column, rows in (("By carrier service", "SERVICE", report.by_service),
                                    ("By plan", "PLAN", report.by_plan)):
            lines += ["", title, *_table(column, rows)]
        lines += ["", "By week of delivery (days from the order to the promised latest "
                      "date, and to the delivery)", *_weeks(found)]
        widened = report.widened
        if widened is not None:
            lines += ["", f"Weighed to a target confidence of {found.target:.0%} by today's "
                          f"history:\n  {widened.inside} of "
                          f"{widened.shipments} inside ({_percent(widened.share)}), the "
                          f"windows {widened.mean_days_added:.1f} days longer on average"]
    if found.skipped:
        lines += ["", f"Left out: {found.skipped} delivered event(s) of orders not stored, "
                      "cancelled, or without that shipment"]
    return "\n".join(lines)


def _table(column: str, rows: Sequence[Row]) -> list[str]:
    width = max([len(column), *(len(row.name) for row in rows)]) + 2
    lines = [f"  {column:<{width}}{'DELIVERED':>10}{'INSIDE':>8}{'SHARE':>8}{'EARLY':>7}"
             f"{'LATE':>6}{'MEDIAN':>8}{'P90':>5}"]
    lines += [f"  {row.name:<{width}}{_counts(row.held)}" for row in rows]
    return lines


def _counts(held: Held) -> str:
    return (f"{held.shipments:>10}{held.inside:>8}{_percent(held.share):>8}{held.early:>7}"
            f"{held.late:>6}{held.median_lateness:>8}{held.p90_lateness:>5}")


def _weeks(found: Accuracy) -> list[str]:
    lines = [f"  {'WEEK':<10}{'MONDAY':<12}{'DELIVERED':>10}{'INSIDE':>8}{'SHARE':>8}"
             f"{'PROMISED':>10}{'TAKEN':>7}"]
    lines += [f"  {f'{w.year}-W{w.week:02d}':<10}{w.monday.isoformat():<12}{w.shipments:>10}"
              f"{w.inside:>8}{_percent(w.share):>8}{w.promised_days:>10.1f}"
              f"{w.actual_days:>7.1f}" for w in found.report.weeks]
    return lines


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"
