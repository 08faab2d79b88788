"""A deterministic benchmark scenario: a complete setup, written into a folder.

Benchmarks need the same work on every run and every machine, and more of it than the
bundled example has, so this module writes a setup adapted from the bundled files:
3 locations in three time zones (Reno, Newark, and Calgary in place of Toronto), 4 carriers
with 3 services each (Ridgeline Parcel is a repriced clone of UPS), rules, an inventory
and carts. Everything is drawn from one seeded `random.Random`, so a seed gives the same
bytes. The folder holds:

    config.yaml           API keys `API_KEY` (quote role) and `SUPPORT_KEY` (support);
                          limits raised for 120 lines
    config-rules-N.yaml   the same, reading rules-N/ (N = 10, 100, 1000, 1000-elsewhere,
                          1000-postcodes)
    carriers/*.yaml       ups, usps, canada_post, ridgeline
    rules/default.yaml    60 rules: the bundled ones, then generated ones that rarely apply
    rules-{10,100,1000}/  the same with N rules, for `load_setup(..., rules=folder)`
    rules-1000-elsewhere/ the 10 rules of rules-10/, then 990 aimed at other carts (other
                          customers' tags, states, postcodes, countries and zones): what
                          a quote pays for rules that cannot apply to it
    rules-1000-postcodes/ the 10 rules, then 990 surcharges on other postcodes, each
                          conditioned on its postcode prefixes alone
    inventory.yaml        stock of every SKU the carts name
    carts/*.json          reference (12 mixed lines, restocks 3 to 180 days out),
                          lines-{1,12,120}, horizon-{7,90,180,365}

    .venv/bin/python benchmarks/scenario.py OUT    # write it; then e.g.
    .venv/bin/rates check --config OUT/config.yaml
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import warehouses
import yaml

from rates.settings import hash_key

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "rk_bench_quote_key_for_generated_scenarios_only"
SUPPORT_KEY = "rk_bench_support_key_for_generated_scenarios_only"
ORDERED_AT = datetime.fromisoformat("2026-11-23T09:30:00-08:00")  # a Monday, before cutoff
DESTINATION = {"country": "US", "region": "IL", "postcode": "60614"}
RULE_COUNTS = (10, 60, 100, 1000)
ELSEWHERE = "1000-elsewhere"
POSTCODES = "1000-postcodes"
RULE_SETS: tuple[int | str, ...] = (*RULE_COUNTS, ELSEWHERE, POSTCODES)
HORIZONS = (7, 90, 180, 365)
LINE_COUNTS = (1, 12, 120)
REFERENCE_RULES, REFERENCE_HORIZON, REFERENCE_LINES = 60, 180, 12

Rule = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Where the written files are."""

    folder: Path

    @property
    def config(self) -> Path:
        return self.config_with(REFERENCE_RULES)

    def config_with(self, rules: int | str) -> Path:
        """The operations file whose rules folder has `rules` rules (or is `ELSEWHERE` or
        `POSTCODES`)."""
        return self.folder / ("config.yaml" if rules == REFERENCE_RULES
                              else f"config-rules-{rules}.yaml")

    def rules(self, count: int | str) -> Path:
        """The folder of the rules set with `count` rules (the config's own for 60)."""
        return self.folder / ("rules" if count == REFERENCE_RULES else f"rules-{count}")

    def cart(self, name: str = "reference") -> dict[str, Any]:
        """A cart's JSON document: "reference", "lines-N" or "horizon-N"."""
        cart: dict[str, Any] = json.loads((self.folder / "carts" / f"{name}.json").read_text())
        return cart


def write_scenario(folder: Path, seed: int = 7, locations: int | None = None) -> Scenario:
    """Write the whole scenario into `folder` (created if missing) and say where it is.
    With `locations`, its 3 locations give way to that many US warehouses holding the same
    stock per SKU (benchmarks/warehouses.py); the rest is unchanged."""
    rng = random.Random(seed)  # noqa: S311 - reproducible on purpose, nothing secret
    (folder / "carriers").mkdir(parents=True, exist_ok=True)
    (folder / "carts").mkdir(exist_ok=True)
    scenario = Scenario(folder)
    config = _config()
    if locations is not None:
        config["locations"] = warehouses.locations(locations)
    for count in RULE_SETS:
        _dump(scenario.config_with(count), {**config, "rules": scenario.rules(count).name})
    carriers = _carriers(rng)
    for carrier in carriers:
        if locations is not None:
            warehouses.collect_everywhere(carrier, locations)
        _dump(folder / "carriers" / f"{carrier['id']}.yaml", carrier)
    services = [f"{c['id']}/{s['code']}" for c in carriers for s in c["services"]]
    lines = {f"horizon-{h}": _lines(seed, REFERENCE_LINES, h) for h in HORIZONS}
    lines |= {f"lines-{n}": _lines(seed, n, REFERENCE_HORIZON) for n in LINE_COUNTS}
    lines["reference"] = lines[f"lines-{REFERENCE_LINES}"]
    inventory = {line.sku: line.stock for cart in lines.values() for line in cart}
    if locations is not None:
        inventory = {sku: warehouses.spread(stock, locations,
                                            random.Random(f"{seed}-{sku}"))  # noqa: S311
                     for sku, stock in inventory.items()}
    _dump(folder / "inventory.yaml", inventory)
    skus = sorted({line.sku for cart in lines.values() for line in cart})
    generated = _generated_rules(rng, max(RULE_COUNTS), services, skus)
    if locations is not None:
        generated = [warehouses.relocate(rule, locations) for rule in generated]
    for count in RULE_COUNTS:
        scenario.rules(count).mkdir(exist_ok=True)
        _dump(scenario.rules(count) / "default.yaml", _rules_file(count, generated))
    elsewhere = _elsewhere_rules(random.Random(seed + 1), 990, services)  # noqa: S311
    scenario.rules(ELSEWHERE).mkdir(exist_ok=True)
    _dump(scenario.rules(ELSEWHERE) / "default.yaml", _rules_file(10, generated, elsewhere))
    surcharges = _postcode_surcharges(random.Random(seed + 2), 990)  # noqa: S311
    scenario.rules(POSTCODES).mkdir(exist_ok=True)
    _dump(scenario.rules(POSTCODES) / "default.yaml", _rules_file(10, generated, surcharges))
    for name, cart in lines.items():
        (folder / "carts" / f"{name}.json").write_text(json.dumps(_cart(name, cart), indent=1))
    return scenario


def _dump(path: Path, document: Any) -> None:
    # Flow style for leaf collections keeps a 1000-rule file well under the loader's 1 MB.
    path.write_text(yaml.safe_dump(document, sort_keys=False, default_flow_style=None,
                                   width=100))


def _config() -> dict[str, Any]:
    """The bundled operations file, with Calgary (Mountain time) in place of Toronto."""
    config: dict[str, Any] = yaml.safe_load((ROOT / "config.example.yaml").read_text())
    calgary = config["locations"][2]  # Toronto in the bundled file
    calgary.update(id="calgary", name="Calgary, AB store", timezone="America/Edmonton",
                   address={"country": "CA", "region": "AB", "postcode": "T2E 7Z4"},
                   calendar={**calgary["calendar"], "holidays": {"country": "CA",
                                                                 "subdiv": "AB"}})
    calgary.pop("pickup", None)  # the carts go to Chicago: no store pickup is weighed
    config.update(inventory={"source": "file", "path": "inventory.yaml"},
                  store={"url": "sqlite:///rates.db"},
                  server={"host": "127.0.0.1", "port": 8080, "workers": 2},
                  limits={"max_lines": 250, "max_quantity": 1000},
                  auth={"keys": [{"name": "bench", "role": "quote",
                                  "sha256": hash_key(API_KEY)},
                                 {"name": "bench-support", "role": "support",
                                  "sha256": hash_key(SUPPORT_KEY)}]})
    config.pop("shops", None)
    config.pop("products", None)  # the scenario's SKUs are generated: no product catalog
    return config


def _carriers(rng: random.Random) -> list[dict[str, Any]]:
    """The three bundled carriers collecting at Calgary instead of Toronto, and a fourth:
    UPS's zones and services under another name, with its prices moved a few percent."""
    carriers = []
    for name in ("ups", "usps", "canada_post"):
        carrier = yaml.safe_load((ROOT / "carriers" / f"{name}.yaml").read_text())
        for zone in carrier["zones"]:
            zone["from"] = ["calgary" if x == "toronto" else x for x in zone.get("from", [])]
            if not zone["from"]:
                del zone["from"]
            for place in zone["to"]:
                if place.get("regions") == ["ON", "QC"]:
                    place["regions"] = ["AB", "BC", "SK"]
        carriers.append(carrier)
    clone = copy.deepcopy(carriers[0])
    clone.update(id="ridgeline", name="Ridgeline Parcel")
    for service, code in zip(clone["services"], ("ground", "two_day", "overnight"),
                             strict=True):
        factor = Decimal(rng.randint(94, 106)) / 100
        service.update(code=code, name=f"Ridgeline {code.replace('_', ' ').title()}")
        for bands in service["rates"].values():
            for band in bands:
                band["price"] = str((Decimal(band["price"]) * factor).quantize(Decimal("0.01")))
    carriers.append(clone)
    return carriers


@dataclass(frozen=True, slots=True)
class _Line:
    sku: str
    quantity: int
    unit_price: str
    grams: int
    tags: list[str]
    stock: dict[str, Any]


_PRODUCTS = ("TENT", "LANTERN", "STOVE", "SLEEPING-BAG", "PAD", "FILTER", "CHAIR", "COOLER",
             "PACK", "JACKET", "BOOTS", "HAMMOCK")
# The stock of line i is _KINDS[i % 12]: the reference cart has each kind once. Line 0,
# the 1-line cart, is partly on hand so that even it is a split decision.
_KINDS = ("partly", "on_hand", "backordered", "on_hand", "partly", "two_places",
          "backordered", "on_hand", "supplier", "partly", "on_hand", "backordered")
# Where each restocked line's ETA range lies between 3 days out (0.0) and the horizon
# (1.0): ranges widen with distance, and the first starts on day 3 and the last ends on the
# horizon, so "3 to N days out" holds exactly.
_REACH = {0: (0.0, 0.05), 2: (0.25, 0.3), 4: (0.1, 0.15), 6: (0.55, 0.6), 8: (0.7, 0.8),
          9: (0.4, 0.45), 11: (0.95, 1.0)}
_SHELVES = ("reno", "newark", "calgary")


def _lines(seed: int, count: int, horizon: int) -> list[_Line]:
    """`count` cart lines whose restocks land 3 to `horizon` days after the order. Line i
    is drawn from its own seed, so carts of other horizons differ only in their dates.
    Past 12 lines each unit weighs less, in proportion: a long cart of small items, whose
    shipments stay within the carriers' weight limits and so are still priced."""
    lightness = max(count, REFERENCE_LINES) // REFERENCE_LINES
    return [_line(random.Random(seed * 100_003 + i), i, horizon, lightness)  # noqa: S311
            for i in range(count)]


def _line(rng: random.Random, i: int, horizon: int, lightness: int) -> _Line:
    kind = _KINDS[i % len(_KINDS)]
    quantity = rng.randint(1, 4)
    home = _SHELVES[(i // 2) % len(_SHELVES)]
    earliest, latest = (3 + round(reach * (horizon - 3))
                        for reach in _REACH.get(i % len(_KINDS), (0.5, 0.5)))
    lot = {"id": f"PO-{1000 + i}", "quantity": quantity + rng.randint(5, 40),
           "earliest": _day(earliest), "latest": _day(latest)}
    stock: dict[str, Any]
    if kind == "on_hand":
        stock = {"locations": [{"location": home, "on_hand": quantity + rng.randint(0, 30)}]}
    elif kind == "two_places":
        stock = {"locations": [{"location": "reno", "on_hand": 1},
                               {"location": "newark", "on_hand": quantity + 5}]}
    elif kind == "partly":
        quantity = max(quantity, 2)
        stock = {"locations": [{"location": home, "on_hand": quantity - 1, "inbound": [lot]}]}
    elif kind == "backordered":
        stock = {"locations": [{"location": home, "inbound": [lot]}],
                 "backorder_limit": 50}
    else:  # supplier: none on the shelf or inbound, restocked within the lead time
        stock = {"locations": [{"location": home, "on_hand": 0}],
                 "lead_time_days": [earliest, latest], "lead_time_location": home}
    tags = rng.sample(["oversize", "fragile", "battery", "gift", "clearance"],
                      rng.choice((0, 0, 1, 2)))
    price = f"{rng.randint(8, 240)}.{rng.choice((0, 50, 95)):02d}"
    return _Line(sku=f"{_PRODUCTS[i % len(_PRODUCTS)]}-{i:03d}-H{horizon}",
                 quantity=quantity, unit_price=price,
                 grams=rng.randint(150, 4500) // lightness, tags=sorted(tags), stock=stock)


def _day(days_out: int) -> str:
    return (ORDERED_AT.date() + timedelta(days=days_out)).isoformat()


def _cart(name: str, lines: list[_Line]) -> dict[str, Any]:
    """What a checkout sends: no stock (the service looks it up), the customer's tags."""
    return {"reference": f"bench-{name}", "ordered_at": ORDERED_AT.isoformat(),
            "currency": "USD", "destination": DESTINATION, "customer_tags": ["vip"],
            "lines": [{"sku": line.sku, "quantity": line.quantity,
                       "unit_price": line.unit_price, "grams": line.grams, "tags": line.tags}
                      for line in lines]}


def _rules_file(count: int, generated: list[Rule], then: list[Rule] | None = None,
                ) -> dict[str, Any]:
    """The bundled rules file offering the fourth carrier too, its own rules first, then
    generated rules up to `count`, then `then` (the rules aimed elsewhere after the
    10-rule set: the same quotes, 1000 rules in all)."""
    rules: dict[str, Any] = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text())
    for words in rules.get("wording", {}).values():  # Toronto's pickup is not Calgary's
        words.get("services", {}).pop("pickup/toronto", None)
    rules["services"] += [{"service": f"ridgeline/{code}"}
                          for code in ("ground", "two_day", "overnight")]
    rules["rules"] = (rules["rules"] + generated)[:count] + (then or [])
    return rules


def _money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.choice((0, 25, 50, 95)):02d}"


def _generated_rules(rng: random.Random, count: int, services: list[str],
                     skus: list[str]) -> list[Rule]:
    """`count` rules of the kinds merchants write. Each names a service, a carrier, a
    customer tag, a SKU, a zone or a range, so most do not apply to a given option; a few
    do (the reference cart is a $1,000-ish mixed cart of 12 lines to Chicago)."""
    carriers = sorted({service.split("/")[0] for service in services})
    states = ["AL", "AZ", "CA", "CO", "FL", "GA", "IL", "MA", "MI", "MN", "NY", "OH", "OR",
              "PA", "TX", "VA", "WA", "WI"]
    plans = ["together", "in_stock_first", "as_available"]
    # The bundled free-ground-over-150 stops these: a rule under it would never apply.
    unstopped = [service for service in services if service not in
                 ("ups/ground", "usps/ground_advantage", "canada_post/regular_parcel")]

    def amount() -> str:
        return rng.choice((f"+{_money(rng, 0, 6)}", f"-{_money(rng, 0, 4)}",
                           f"-{rng.randint(5, 25)}%", f"+{rng.randint(2, 10)}%"))

    kinds: list[Callable[[int], Rule]] = [
        lambda n: {"id": f"service-surcharge-{n}",
                   "when": {"service": rng.choice(services),
                            "subtotal": {"at_least": _money(rng, 100, 3000)}},
                   "adjust": amount()},
        lambda n: _regional(rng, f"regional-{n}", carriers, states, 4, amount),
        lambda n: _segment(rng, f"wholesale-{n}"),
        lambda n: _postcode_price(rng, f"postcode-promo-{n}", 99, plans),
        lambda n: {"id": f"sku-fee-{n}",
                   "when": {"lines": {"any": {"sku": rng.sample(skus, 2)}},
                            "service": rng.choice(services)},
                   "shipments": "backordered", "adjust": f"+{_money(rng, 0, 3)}", "per": "item"},
        lambda n: {"id": f"tag-label-{n}",
                   "when": {"lines": {"any": {"tags": rng.choice(
                       ["oversize", "fragile", "battery", "gift", "clearance"])}},
                            "service": rng.choice(services)},
                   "label": "{label} (packed with care)"},
        lambda n: {"id": f"slow-restock-{n}",
                   "when": {"restock_days": {"at_least": rng.randint(200, 720)},
                            "service": rng.choice(services)},
                   "block": "This service cannot wait that long for a restock"},
        lambda n: {"id": f"heavy-clamp-{n}",
                   "when": {"weight": {"at_least": rng.randint(30, 90)},
                            "carrier": rng.choice(carriers)},
                   "clamp": {"min": _money(rng, 5, 15), "max": _money(rng, 60, 200)}},
        lambda n: {"id": f"offshore-hide-{n}",
                   "when": {"zone": "us-offshore", "service": rng.choice(services)},
                   "hide": True},
        lambda n: {"id": f"in-stock-free-{n}",
                   "when": {"stock": "in_stock", "service": rng.choice(unstopped),
                            "subtotal": {"at_least": _money(rng, 50, 400)}},
                   "set": "0.00"},
        lambda n: {"id": f"canada-{n}",
                   "when": {"zone": "canada", "carrier": rng.choice(carriers),
                            "plan": rng.choice(plans)},
                   "adjust": amount()},
        lambda n: {"id": f"bulk-{n}",
                   "when": {"item_count": {"at_least": rng.randint(20, 60)},
                            "plan": rng.choice(plans)},
                   "adjust": f"-{rng.randint(5, 20)}%"},
        lambda n: {"id": f"export-{n}",
                   "when": {"not": {"country": "US"}, "service": rng.choice(services)},
                   "adjust": f"+{_money(rng, 1, 9)}"},
        lambda n: {"id": f"many-parcels-{n}",
                   "when": {"shipments": {"at_least": rng.randint(3, 6)},
                            "carrier": rng.choice(carriers)},
                   "shipments": "backordered", "adjust": f"+{_money(rng, 0, 2)}",
                   "per": "shipment"},
        lambda n: {"id": f"origin-fee-{n}",
                   "when": {"location": rng.choice(_SHELVES), "service": rng.choice(services),
                            "stock": rng.choice(["in_stock", "backordered", "mixed"])},
                   "adjust": amount()},
    ]
    return [rng.choice(kinds)(n) for n in range(1, count + 1)]


def _segment(rng: random.Random, tag: str) -> Rule:
    """A discount for customers tagged `tag`."""
    return {"id": tag, "when": {"customer_tags": tag}, "adjust": f"-{rng.randint(5, 30)}%"}


def _regional(rng: random.Random, rule_id: str, carriers: list[str], states: list[str],
              count: int, amount: Callable[[], str]) -> Rule:
    """An adjustment for one carrier into `count` of `states`."""
    return {"id": rule_id, "when": {"carrier": rng.choice(carriers),
                                    "region": rng.sample(states, count)},
            "adjust": amount()}


def _postcode_price(rng: random.Random, rule_id: str, highest: int, plans: list[str]) -> Rule:
    """A price per shipment for one plan to three postcode prefixes from 10 to `highest`."""
    return {"id": rule_id,
            "when": {"postcode": [f"{rng.randint(10, highest)}" for _ in range(3)],
                     "plan": rng.choice(plans)},
            "set": _money(rng, 0, 5), "per": "shipment"}


def _postcode_surcharges(rng: random.Random, count: int) -> list[Rule]:
    """`count` surcharges on remote postcodes, each for three 3-digit prefixes, none of
    them Chicago's 606: a merchant's list of remote areas, conditioned on nothing else."""
    def prefix() -> str:
        return str(rng.choice([n for n in range(100, 1000) if n // 10 != 60]))
    return [{"id": f"remote-{n}", "when": {"postcode": [prefix() for _ in range(3)]},
             "adjust": f"+{_money(rng, 1, 9)}"} for n in range(1, count + 1)]


def _elsewhere_rules(rng: random.Random, count: int, services: list[str]) -> list[Rule]:
    """`count` rules that cannot apply to any scenario cart (all go to Chicago, IL 60614,
    for a "vip" customer), as a merchant with many customer segments and regions writes
    them: each names another customer tag, state, postcode, country or zone."""
    carriers = sorted({service.split("/")[0] for service in services})
    others = ["AL", "AZ", "CA", "CO", "FL", "GA", "MA", "MI", "MN", "NY", "OH", "OR", "PA",
              "TX", "VA", "WA", "WI"]
    plans = ["together", "in_stock_first", "as_available"]
    kinds: list[Callable[[int], Rule]] = [
        lambda n: _segment(rng, f"segment-{n}"),
        lambda n: _regional(rng, f"state-{n}", carriers, others, 3,
                            lambda: f"+{_money(rng, 0, 6)}"),
        lambda n: _postcode_price(rng, f"postcode-{n}", 59, plans),
        lambda n: {"id": f"canada-only-{n}",
                   "when": {"zone": "canada", "service": rng.choice(services)},
                   "adjust": f"+{_money(rng, 1, 9)}"},
        lambda n: {"id": f"offshore-only-{n}",
                   "when": {"zone": "us-offshore", "carrier": rng.choice(carriers)},
                   "hide": True},
        lambda n: {"id": f"abroad-{n}",
                   "when": {"not": {"country": "US"}, "service": rng.choice(services)},
                   "adjust": f"+{rng.randint(2, 10)}%"},
    ]
    return [rng.choice(kinds)(n) for n in range(1, count + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the setup")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--locations", type=int, help="US warehouses in place of the 3")
    args = parser.parse_args()
    scenario = write_scenario(args.folder, args.seed, args.locations)
    print(f"config: {scenario.config}")
    print(f"reference cart: {args.folder / 'carts' / 'reference.json'}")


if __name__ == "__main__":
    main()
