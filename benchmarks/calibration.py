"""Do calibrated windows hold as often as they say? A year of known lateness, then a quarter.

On the benchmark scenario's setup (`scenario.py`), a world of known supplier and carrier
lateness (`history_sim.py`) places a year of orders before the scenario's day
(2026-11-23): each is quoted as today (no history), the shopper takes an option, its lots
arrive and its parcels travel as the world draws them, and what was known by that day is
recorded in a SQLite store through the store's own methods. `rates.app.calibration.observed`
counts the store's records into the lateness model, as a service does at start.

Then a fresh quarter of orders from the same world, none of them seen by the model: each
is quoted through `quote_cart` four times, with the history and no target (today's
windows, weighed), and with `target_confidence` 0.8, 0.9 and 0.95; the shopper takes one
option (the same in all four), and the world's draws for it (one per lot and shipment,
the same for all four) say when each shipment arrived. Per target, it prints:
  - shipments: the share that arrived inside their window (`held`), the mean confidence
    the engine stated for them, and the mean delivery days their latest day moved;
  - options: the share whose every shipment arrived inside the option's window, and the
    mean confidence stated for the option;
and the same for the restocked shipments and those shipped from the shelf apart.

    .venv/bin/python benchmarks/calibration.py [--per-day 20] [--held-out-per-day 20]
    .venv/bin/python benchmarks/calibration.py --smoke    # a few orders, for `make test`
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from history_sim import CARRIERS, SLOW, SUPPLIERS, Fate, SimOrder, chosen, orders, record
from scenario import ORDERED_AT, write_scenario

from rates.app.cart_quotes import quote_cart
from rates.app.history_counts import observed
from rates.domain.confidence import Calibration
from rates.domain.lateness import Calibrated, LatenessModel, Observations
from rates.domain.quote.result import Option
from rates.loading import Setup, load_setup
from rates.store import open_store

TARGETS: tuple[float | None, ...] = (None, 0.8, 0.9, 0.95)
DAY = ORDERED_AT.date()
HISTORY_DAYS, HELD_OUT_DAYS = 365, 91


@dataclass
class Tally:
    """Windows and how they held: `count` of them, `held` inside, the confidence stated
    (over the `weighed` ones that had one), the delivery days the target moved them."""

    count: int = 0
    held: int = 0
    weighed: int = 0
    stated: float = 0.0
    widened: int = 0

    def add(self, held: bool, stated: float | None, widened: int = 0) -> None:  # noqa: FBT001
        self.count += 1
        self.held += held
        self.widened += widened
        if stated is not None:
            self.weighed += 1
            self.stated += stated

    def share(self) -> float:
        return self.held / self.count if self.count else float("nan")

    def mean_stated(self) -> float:
        return self.stated / self.weighed if self.weighed else float("nan")

    def mean_widened(self) -> float:
        return self.widened / self.count if self.count else float("nan")


@dataclass
class Measured:
    """Per target: all shipments, the restocked, those from the shelf, and options."""

    shipments: Tally = field(default_factory=Tally)
    restocked: Tally = field(default_factory=Tally)
    on_hand: Tally = field(default_factory=Tally)
    options: Tally = field(default_factory=Tally)


def history(setup: Setup, per_day: int, rng: random.Random) -> tuple[Observations, dict[str, int]]:
    """A year of orders before `DAY` recorded in an in-memory SQLite store, and what
    `observed` counts of it (the service's own path)."""
    catalog = setup.catalog
    store = open_store("sqlite:///:memory:", default_location=next(iter(catalog.locations)))
    figures = {"orders": 0, "receipts": 0, "deliveries": 0}
    for order in orders(catalog, rng, DAY - timedelta(days=HISTORY_DAYS), HISTORY_DAYS,
                        per_day, "H"):
        option = chosen(quote_cart(setup, order.cart, now=order.at), rng)
        if option is None:
            continue
        fate = Fate(order, catalog, rng)
        receipts, deliveries = record(store, order, option, fate, fate.delivered(option), DAY)
        figures["orders"] += 1
        figures["receipts"] += receipts
        figures["deliveries"] += deliveries
    counted = observed(store, catalog, DAY - timedelta(days=HISTORY_DAYS))
    figures["skipped"] = counted.skipped
    store.close()
    return counted.observations, figures


def measure(setup: Setup, observations: Observations, held_out: Iterable[SimOrder],
            rng: random.Random) -> dict[float | None, Measured]:
    """Each held-out order quoted with each target, and its windows met by its fate."""
    shrink = setup.settings.promise.prior_observations
    calibrations = {target: Calibration(LatenessModel(observations, shrink), target)
                    for target in TARGETS}
    measured = {target: Measured() for target in TARGETS}
    for order in held_out:
        quotes = {target: quote_cart(setup, order.cart, now=order.at, calibration=calibration)
                  for target, calibration in calibrations.items()}
        taken = chosen(quotes[None], rng)
        if taken is None:
            continue
        fate = Fate(order, setup.catalog, rng)
        for target, quote in quotes.items():
            option = next(o for o in quote.options if o.id == taken.id)
            _tally(measured[target], option, fate)
    return measured


def _tally(measured: Measured, option: Option, fate: Fate) -> None:
    arrivals = fate.delivered(option)
    for done in arrivals:
        window = done.shipment.window
        held = window.delivery.earliest <= done.arrived <= window.delivery.latest
        stated = None if window.confidence is None else window.confidence.probability
        widened = sum(step.facts.widened for step in window.steps
                      if isinstance(step.facts, Calibrated))
        measured.shipments.add(held, stated, widened)
        kind = measured.restocked if done.shipment.plan.backordered else measured.on_hand
        kind.add(held, stated, widened)
    delivery = option.delivery
    confidence = option.confidence
    measured.options.add(all(delivery.earliest <= d.arrived <= delivery.latest
                             for d in arrivals),
                         None if confidence is None else confidence[0])


def report(measured: dict[float | None, Measured], out: Callable[[str], None] = print) -> None:
    out(f"{'target':<8}{'windows':<11}{'count':>7}{'held':>8}{'stated':>8}{'widened':>9}"
        f"{'held - target':>15}")
    for target, found in measured.items():
        for name in ("shipments", "restocked", "on_hand", "options"):
            tally: Tally = getattr(found, name)
            gap = "" if target is None else f"{100 * (tally.share() - target):+.1f} pts"
            widened = "-" if name == "options" else f"{tally.mean_widened():.2f}"
            out(f"{'none' if target is None else target:<8}{name:<11}{tally.count:>7}"
                f"{tally.share():>8.3f}{tally.mean_stated():>8.3f}{widened:>9}{gap:>15}")


def describe_world(out: Callable[[str], None] = print) -> None:
    for name, pmf in SUPPLIERS.items():
        out(f"supplier {name}: business days after the promised latest "
            + " ".join(f"{day:+d}:{share:.2f}" for day, share in pmf.items()))
    for name, pmf in CARRIERS.items():
        out(f"carrier {name}: delivery days past the configured maximum "
            + " ".join(f"{day:+d}:{share:.2f}" for day, share in pmf.items()))
    out("one day slower: " + ", ".join(f"{c} to {r}" for c, r in sorted(SLOW)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=20,
                        help="orders a day over the year of history")
    parser.add_argument("--held-out-per-day", type=int, default=20,
                        help="orders a day over the held-out quarter")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--smoke", action="store_true",
                        help="1 order a day of history, 1 a day held out: checks it works")
    args = parser.parse_args()
    per_day, held_per_day = (1, 1) if args.smoke else (args.per_day, args.held_out_per_day)

    with tempfile.TemporaryDirectory() as folder:
        setup = load_setup(write_scenario(Path(folder)).config, today=DAY)
    rng = random.Random(args.seed)  # noqa: S311 - reproducible on purpose, nothing secret
    describe_world()
    started = time.perf_counter()
    observations, figures = history(setup, per_day, rng)
    counted = time.perf_counter()
    lots = sum(sum(counts.values()) for counts in observations.suppliers.values())
    parcels = sum(sum(counts.values()) for counts in observations.lanes.values())
    print(f"history: {figures['orders']} orders over {HISTORY_DAYS} days before {DAY}; "
          f"known by then: {figures['receipts']} lot receipts, {figures['deliveries']} "
          f"deliveries; counted: {lots} lots of {len(observations.suppliers)} suppliers, "
          f"{parcels} deliveries on {len(observations.lanes)} lanes, "
          f"{figures['skipped']} skipped ({counted - started:.1f} s)")
    held_out = orders(setup.catalog, rng, DAY, HELD_OUT_DAYS, held_per_day, "Q")
    measured = measure(setup, observations, held_out, rng)
    print(f"held out: {measured[None].options.count} orders over the {HELD_OUT_DAYS} days "
          f"from {DAY}, quoted {len(TARGETS)} times each "
          f"({time.perf_counter() - counted:.1f} s); python {sys.version.split()[0]}")
    report(measured)


if __name__ == "__main__":
    main()
