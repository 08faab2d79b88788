"""How the cost of a quote grows with the work, and what start-up and reload cost.

On the scenario of benchmarks/scenario.py, the median and p99 of N domain quotes
(`rates.domain.quote.pipeline.quote()` on a parsed request) as one thing grows, with the ratio of
each median to the smallest case's (the cases of a table take turns, one quote each per
round):
  rules 10 / 100 / 1000 (the reference cart);
  restock horizon 7 / 90 / 365 days (12 lines, 60 rules, restocks 3 to N days out);
  cart lines 1 / 12 / 120 (60 rules);
  locations 1 / 3 / 10 (the reference cart and 60 rules, each SKU's stock spread over 1 to 3
  of N US warehouses: benchmarks/warehouses.py).
Then `BusinessCalendar.add(date, n)` for n = 2 and 250 (a calendar from
`rates.loading.holidays.HolidayCalendarBook`: Monday to Friday less US public holidays) beside
`numpy.busday_offset` called with one date (on a prebuilt `busdaycalendar` of the same
days) and the `holidays` package's own `get_nth_working_day`, checking all three agree.
Last, start-up and reload: `load_setup` of the bundled example (in a fresh process with its
imports, then warm), of the scenario with 1000 rules, and `ReloadingSetup.reload()` of it.

    .venv/bin/python benchmarks/scaling.py            # 200 quotes per case
    .venv/bin/python benchmarks/scaling.py --smoke    # 3, for `make test`
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import holidays
from scenario import ELSEWHERE, ORDERED_AT, POSTCODES, RULE_SETS, Scenario, write_scenario
from timing import in_turns, p99

from rates.app.reloading import ReloadingSetup
from rates.domain.calendar import BusinessCalendar
from rates.domain.quote.pipeline import quote
from rates.domain.rules.evaluation import RuleApplied
from rates.loading import Setup, load_setup
from rates.loading.holidays import HolidayCalendarBook
from rates.wire.request import parse_quote_request

ROOT = Path(__file__).resolve().parent.parent
LOCATIONS = (1, 3, 10)
START = date(2026, 11, 23)  # a Monday: a business day for all three calendars
FRESH_LOAD = """
import sys, time
started = time.perf_counter()
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from rates.loading import load_setup
load_setup(Path(sys.argv[1]), today=date(2026, 11, 23))
print((time.perf_counter() - started) * 1000)
"""


@dataclass(frozen=True)
class Work:
    """What one quote of a case does. `shipments`: the shipments it dates and prices, over
    the options offered and those a rule withholds (an explain quote lists both); a short
    horizon merges restocks, so fewer plans and shipments. `applied`: price rules applied
    per option offered, on average (each is arithmetic and a trace line)."""

    options: int
    shipments: int
    applied: float


def quoting(setup: Setup, cart: dict[str, object]) -> tuple[Callable[[], object], Work]:
    """One domain quote of `cart`, as a call to time, and the work it does."""
    request = parse_quote_request(cart, default_location=next(iter(setup.catalog.locations)),
                                  now=ORDERED_AT, inventory=setup.inventory.get,
                                  limits=setup.settings.limits)
    offered = quote(request, setup.catalog, setup.ruleset, ORDERED_AT).options
    explained = quote(request, setup.catalog, setup.ruleset, ORDERED_AT, explain=True)
    # The explained quote's trace names every rule applied (a checkout's keeps only the
    # label rules); its offered options are the checkout's.
    work = Work(len(offered),
                sum(len(o.shipments) for o in (*explained.options, *explained.withheld)),
                sum(1 for o in explained.options for entry in o.rules
                    if isinstance(entry, RuleApplied)) / max(1, len(explained.options)))
    return (lambda: quote(request, setup.catalog, setup.ruleset, ORDERED_AT,
                          windows=setup.windows)), work


def growth(scenario: Scenario, runs: int) -> None:
    """The four tables of quote cost as rules, horizon, lines and locations grow."""
    def load(rules: int | str) -> Setup:
        return load_setup(scenario.config_with(rules), today=ORDERED_AT.date())

    setups: dict[int | str, Setup] = {rules: load(rules) for rules in RULE_SETS}
    for n in LOCATIONS:
        spread = write_scenario(scenario.folder / f"locations-{n}", locations=n)
        setups[f"locations-{n}"] = load_setup(spread.config, today=ORDERED_AT.date())
    gc.freeze()  # as each `rates serve` worker does once it has loaded (rates/web/serve.py)
    tables = {
        "rules": [(f"{n} rules", n, "reference") for n in (10, 100, 1000)]
        + [("1000 rules, 990 for other carts", ELSEWHERE, "reference"),
           ("1000 rules, 990 for other postcodes", POSTCODES, "reference")],
        "restock horizon": [(f"{n} days", 60, f"horizon-{n}") for n in (7, 90, 365)],
        "cart lines": [(f"{n} lines", 60, f"lines-{n}") for n in (1, 12, 120)],
        "locations": [(f"{n} locations", f"locations-{n}", "reference") for n in LOCATIONS],
    }
    print(f"{'domain quote, reference otherwise':<36}{'median':>10}{'p99':>10}"
          f"{'x smallest':>12}{'options':>9}{'shipments':>11}{'per shipment':>14}"
          f"{'x smallest':>12}{'applied':>9}")
    for title, rows in tables.items():
        print(title)
        cases = {label: quoting(setups[rules], scenario.cart(cart)) for label, rules, cart in rows}
        # A table's cases take turns, so that its ratios come from the same moments.
        timed = in_turns({label: call for label, (call, _) in cases.items()}, runs)
        smallest = smallest_each = None
        for label, (_, work) in cases.items():
            if not work.options:
                raise SystemExit(f"{title}, {label}: no option quoted")
            samples = [us / 1000 for us in timed[label]]
            median = statistics.median(samples)
            each = median / work.shipments * 1000
            smallest, smallest_each = smallest or median, smallest_each or each
            print(f"  {label:<34}{median:>8.2f}ms{p99(samples):>8.2f}ms"
                  f"{median / smallest:>11.2f}x{work.options:>9}{work.shipments:>11}"
                  f"{each:>12.1f}us{each / smallest_each:>11.2f}x{work.applied:>9.1f}")


def per_call_us(call: Callable[[], object], repeat: int, number: int | None = None) -> float:
    """Median over `repeat` batches of `number` calls (default: enough for 0.2 s), in
    microseconds per call."""
    timer = timeit.Timer(call)
    number = number or timer.autorange()[0]
    return statistics.median(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def calendars(repeat: int, number: int | None) -> None:
    """add(date, n) in three implementations over the same US working days."""
    book = HolidayCalendarBook(ORDERED_AT.date())
    ours: BusinessCalendar = book.location_calendar("US", range(5), "US", None, {})
    package = holidays.country_holidays("US", years=range(book.first.year,
                                                          book.last.year + 1))
    contenders: dict[str, Callable[[int], Callable[[], object]]] = {
        "BusinessCalendar.add": lambda n: lambda: ours.add(START, n),
        "holidays get_nth_working_day": lambda n: lambda: package.get_nth_working_day(START, n),
    }
    try:
        import numpy
    except ImportError:
        print("numpy.busday_offset: skipped, numpy is not installed")
    else:
        week = numpy.busdaycalendar(
            weekmask="1111100", holidays=[numpy.datetime64(day) for day in ours.holidays])
        contenders["numpy.busday_offset"] = lambda n: lambda: numpy.busday_offset(
            START, n, roll="forward", busdaycal=week)

    dates = {n: {name: str(make(n)())[:10] for name, make in contenders.items()}
             for n in (2, 250)}
    timings = {name: (per_call_us(make(2), repeat, number),
                      per_call_us(make(250), repeat, number))
               for name, make in contenders.items()}
    ours_250 = timings["BusinessCalendar.add"][1]
    print(f"\n{'calendar add(date, n)':<32}{'n=2':>10}{'n=250':>10}{'250/2':>8}"
          f"{'n=250 vs ours':>15}")
    for name, (two, many) in timings.items():
        print(f"  {name:<30}{two:>8.2f}us{many:>8.2f}us{many / two:>8.2f}"
              f"{many / ours_250:>14.1f}x")
    agree = all(len(set(answers.values())) == 1 for answers in dates.values())
    print(f"  the same dates from all: {'yes' if agree else f'NO: {dates}'} "
          f"(n=2: {dates[2]['BusinessCalendar.add']}, "
          f"n=250: {dates[250]['BusinessCalendar.add']})")


def loads(scenario: Scenario, repeat: int) -> None:
    """Start-up and reload times, in milliseconds."""
    example = ROOT / "config.example.yaml"

    def fresh_ms() -> float:
        run = subprocess.run([sys.executable, "-c", FRESH_LOAD, str(example)],  # noqa: S603
                             capture_output=True, text=True, timeout=120, check=True)
        return float(run.stdout)

    def median_ms(call: Callable[[], object]) -> float:
        return per_call_us(call, repeat, number=1) / 1000

    live = ReloadingSetup(scenario.config_with(1000), lambda: ORDERED_AT)
    rows = [
        ("load the example, fresh process with imports",
         statistics.median(fresh_ms() for _ in range(max(1, repeat // 2)))),
        ("load the example (load_setup, warm)",
         median_ms(lambda: load_setup(example, today=ORDERED_AT.date()))),
        ("load the scenario with 60 rules",
         median_ms(lambda: load_setup(scenario.config, today=ORDERED_AT.date()))),
        ("load the scenario with 1000 rules",
         median_ms(lambda: load_setup(scenario.config_with(1000), today=ORDERED_AT.date()))),
        ("reload 1000 rules (ReloadingSetup.reload)", median_ms(live.reload)),
    ]
    print(f"\n{'start-up and reload':<48}{'median':>10}")
    for label, ms in rows:
        print(f"  {label:<46}{ms:>8.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="quotes per case")
    parser.add_argument("--smoke", action="store_true", help="3 quotes: checks it still works")
    args = parser.parse_args()
    runs = 3 if args.smoke else args.runs
    print(f"runs: {runs}  cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder))
        growth(scenario, runs)
        calendars(repeat=3 if args.smoke else 9, number=20 if args.smoke else None)
        loads(scenario, repeat=1 if args.smoke else 7)


if __name__ == "__main__":
    main()
