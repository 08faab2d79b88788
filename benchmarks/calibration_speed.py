"""What a lateness model costs a quote: the reference quote with 50 suppliers' and 200 lanes'
history loaded, against the same quote with none.

The model is built once per setup; quoting reads its tables (`rates.domain.confidence`).
This measures that reading on the reference scenario (`scenario.py`): each of the
reference cart's SKUs is restocked by one of 50 suppliers (its lots and its lead time),
and the model holds those 50 suppliers' history and 200 lanes' (every service from the 3
locations to Illinois, where the cart goes, and to five other states), each with 30 to
300 seeded observations, with `target_confidence: 0.9`. Calls taking turns in one run
(`timing.py`), median and p99 of:
  (a) the domain quote of the reference cart, with the setup's window book, without and
      with the model;
  (a1) the same for a cart never quoted before each call (`quote.carts_never_quoted`);
and the ratios with / without (target: at most 1.10). Times are the process's CPU time
(`time.process_time_ns`), not wall time: on a shared machine, other processes' load
moves wall-time medians by more than the 10% measured here.

    .venv/bin/python benchmarks/calibration_speed.py [--runs 1000]
    .venv/bin/python benchmarks/calibration_speed.py --smoke    # 5 calls each
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quote import carts_never_quoted
from scenario import ORDERED_AT, write_scenario
from timing import in_turns, p99

from rates.domain.cart import QuoteRequest
from rates.domain.confidence import Calibration
from rates.domain.lateness import Calibrated, Lane, LatenessModel, Observations
from rates.domain.quote.pipeline import quote
from rates.domain.stock import SkuStock
from rates.loading import Setup, load_setup
from rates.wire.request import parse_quote_request

SUPPLIERS, LANES, TARGET = 50, 200, 0.9
REGIONS = ("IL", "CA", "NY", "TX", "WA", "GA")


def supplier(n: int) -> str:
    return f"Supplier {n:02d}"


def history(setup: Setup, rng: random.Random) -> Observations:
    """50 suppliers' and 200 lanes' counts: lots 3 business days early to 8 late, parcels
    1 to 8 delivery days in transit, 30 to 300 of each."""
    def counts(low: int, high: int) -> dict[int, int]:
        return {day: rng.randint(1, 30) for day in range(low, high + 1)
                if rng.random() < 0.8} or {0: 1}

    services = [(carrier.id, code) for carrier in setup.catalog.carriers.values()
                for code in carrier.services]
    lanes = [Lane(carrier, code, origin, f"US-{region}") for region in REGIONS
             for origin in setup.catalog.locations for carrier, code in services][:LANES]
    return Observations({supplier(n): counts(-3, 8) for n in range(1, SUPPLIERS + 1)},
                        {lane: counts(1, 8) for lane in lanes})


def parsed(setup: Setup, cart: dict[str, Any]) -> QuoteRequest:
    """`cart` as the service parses it, each SKU's stock restocked by one of the 50."""
    suppliers = {line["sku"]: supplier(1 + 4 * n % SUPPLIERS)
                 for n, line in enumerate(cart["lines"])}

    def named(sku: str) -> SkuStock | None:
        stock = setup.inventory.get(sku)
        return stock and dataclasses.replace(stock, supplier=suppliers.get(sku))

    return parse_quote_request(cart, default_location=next(iter(setup.catalog.locations)),
                               now=ORDERED_AT, inventory=named, limits=setup.settings.limits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="5 calls: checks it still works")
    args = parser.parse_args()
    runs = 5 if args.smoke else args.runs

    # Each side quotes on its own setup, so neither finds tables the other filled: the
    # same carts, each quoted for the first time on each side in (a1).
    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder))
        setups = {model: load_setup(scenario.config, today=ORDERED_AT.date())
                  for model in (False, True)}
        cart = scenario.cart()
    observations = history(setups[True], random.Random(22))  # noqa: S311 - reproducible
    calibrations = {False: None, True: Calibration(LatenessModel(observations), TARGET)}
    requests = {model: parsed(setup, cart) for model, setup in setups.items()}
    unseen = {model: iter([parsed(setup, c) for c in carts_never_quoted(cart, runs + 20)])
              for model, setup in setups.items()}

    def quoting(*, model: bool, fresh: bool) -> Callable[[], object]:
        setup, calibration = setups[model], calibrations[model]
        return lambda: quote(next(unseen[model]) if fresh else requests[model],
                             setup.catalog, setup.ruleset, ORDERED_AT,
                             windows=setup.windows, calibration=calibration)

    with_model = quote(requests[True], setups[True].catalog, setups[True].ruleset,
                       ORDERED_AT, windows=setups[True].windows,
                       calibration=calibrations[True])
    weighed = sum(s.window.confidence is not None
                  for option in with_model.options for s in option.shipments)
    widened = sum(step.facts.widened > 0 for option in with_model.options
                  for s in option.shipments for step in s.window.steps
                  if isinstance(step.facts, Calibrated))
    gc.freeze()  # as each `rates serve` worker does once it has loaded
    samples = in_turns({
        "(a) reference cart, no model": quoting(model=False, fresh=False),
        "(a) reference cart, model": quoting(model=True, fresh=False),
        "(a1) a cart never quoted, no model": quoting(model=False, fresh=True),
        "(a1) a cart never quoted, model": quoting(model=True, fresh=True),
    }, runs, time.process_time_ns)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"model: {len(observations.suppliers)} suppliers, {len(observations.lanes)} lanes, "
          f"target {TARGET}; reference cart: {len(requests[True].lines)} lines, "
          f"{len(with_model.options)} options, {weighed} shipment windows weighed, "
          f"{widened} widened; runs: {runs}  python: {sys.version.split()[0]}")
    print(f"{'CPU time per call':<40}{'median':>10}{'p99':>10}")
    for name, values in samples.items():
        print(f"{name:<40}{medians[name]:>8.0f}us{p99(values):>8.0f}us")
    for case in ("(a) reference cart", "(a1) a cart never quoted"):
        print(f"ratio {case}, model / no model (median): "
              f"{medians[f'{case}, model'] / medians[f'{case}, no model']:.3f}")


if __name__ == "__main__":
    main()
