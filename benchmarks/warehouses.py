"""The benchmark scenario's stock spread over N US warehouses, to measure what a quote
costs as locations grow (issue 19 sources a cart across them).

Each warehouse has its own state, time zone, cutoff, calendar and handling time, and
collects as the bundled Reno (west) or Newark (east) does, so each carrier zone row that
named one of those names every warehouse of its side. A SKU's units on hand and its
inbound lots are divided among 1 to 3 warehouses, so some lines can be filled from one
and some need several; the totals per SKU stay those of the 3-location scenario.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

WEEK = ["mon", "tue", "wed", "thu", "fri"]


@dataclass(frozen=True, slots=True)
class Warehouse:
    id: str
    state: str
    postcode: str
    timezone: str
    cutoff: str
    handling_days: tuple[int, int]
    like: str  # "reno" or "newark": whose carrier zones it shares


# In priority order; N locations are the first N.
WAREHOUSES = (
    Warehouse("reno", "NV", "89502", "America/Los_Angeles", "14:00", (0, 1), "reno"),
    Warehouse("newark", "NJ", "07114", "America/New_York", "15:00", (0, 1), "newark"),
    Warehouse("denver", "CO", "80216", "America/Denver", "13:00", (0, 2), "reno"),
    Warehouse("chicago", "IL", "60632", "America/Chicago", "16:00", (0, 1), "newark"),
    Warehouse("phoenix", "AZ", "85043", "America/Phoenix", "12:00", (1, 2), "reno"),
    Warehouse("atlanta", "GA", "30336", "America/New_York", "15:30", (0, 1), "newark"),
    Warehouse("portland", "OR", "97218", "America/Los_Angeles", "14:30", (0, 1), "reno"),
    Warehouse("detroit", "MI", "48209", "America/Detroit", "13:30", (1, 2), "newark"),
    Warehouse("boise", "ID", "83709", "America/Boise", "12:30", (0, 2), "reno"),
    Warehouse("louisville", "KY", "40213", "America/Kentucky/Louisville", "17:00", (0, 1),
              "newark"),
)


def locations(count: int) -> list[dict[str, Any]]:
    """The operations file's `locations:` for the first `count` warehouses. Every third
    also works Saturdays; each closes on its own day in the holidays, besides its state's
    public holidays (the default, from its address)."""
    if not 1 <= count <= len(WAREHOUSES):
        raise ValueError(f"locations must be 1 to {len(WAREHOUSES)}, not {count}")
    return [{"id": w.id, "name": f"{w.id.title()}, {w.state} warehouse",
             "address": {"country": "US", "region": w.state, "postcode": w.postcode},
             "timezone": w.timezone,
             "calendar": {"weekdays": WEEK + ["sat"] if i % 3 == 2 else WEEK,
                          "closures": [{"date": f"2026-12-{21 + i:02d}",
                                        "name": "Year-end stocktake"}]},
             "cutoff": w.cutoff, "handling_days": list(w.handling_days),
             "receiving_days": 1 + i % 2}
            for i, w in enumerate(WAREHOUSES[:count])]


def collect_everywhere(carrier: dict[str, Any], count: int) -> None:
    """Rewrite `carrier`'s zones so that it collects at each of the first `count`
    warehouses: a zone row from Reno or Newark is from every warehouse of that side; one
    from Calgary (Canada Post's) is from all of them; a row left with none is dropped."""
    sides = {"calgary": [w.id for w in WAREHOUSES[:count]]}
    for like in ("reno", "newark"):
        sides[like] = [w.id for w in WAREHOUSES[:count] if w.like == like]
    zones = []
    for zone in carrier["zones"]:
        if "from" in zone:
            zone["from"] = sorted({place for origin in zone["from"]
                                   for place in sides[origin]})
            if not zone["from"]:
                continue
        zones.append(zone)
    carrier["zones"] = zones


def relocate(rule: dict[str, Any], count: int) -> dict[str, Any]:
    """`rule` with a `location` condition on a place that is not among the first `count`
    warehouses moved to the first: the same rules load in every N-location scenario."""
    ids = [w.id for w in WAREHOUSES[:count]]
    when = rule.get("when", {})
    if when.get("location", ids[0]) in ids:
        return rule
    return {**rule, "when": {**when, "location": ids[0]}}


def spread(stock: dict[str, Any], count: int, rng: random.Random) -> dict[str, Any]:
    """`stock` (one SKU's inventory entry) with its units on hand and each inbound lot
    divided among 1 to 3 of the first `count` warehouses, drawn from `rng`."""
    held = max(1, min(count, rng.randint(1, 3)))
    places = [w.id for w in rng.sample(WAREHOUSES[:count], held)]
    on_hand = _parts(sum(p.get("on_hand", 0) for p in stock["locations"]), held, rng)
    lots = [lot for p in stock["locations"] for lot in p.get("inbound", [])]
    split = [_parts(lot["quantity"], held, rng) for lot in lots]
    entries = []
    for k, place in enumerate(places):
        entry: dict[str, Any] = {"location": place, "on_hand": on_hand[k]}
        inbound = [{**lot, "id": f"{lot['id']}-{k + 1}", "quantity": parts[k]}
                   for lot, parts in zip(lots, split, strict=True) if parts[k]]
        if inbound:
            entry["inbound"] = inbound
        entries.append(entry)
    spread_stock = {**stock, "locations": entries}
    if "lead_time_location" in stock:
        spread_stock["lead_time_location"] = places[0]
    return spread_stock


def _parts(total: int, count: int, rng: random.Random) -> list[int]:
    """`total` cut at random into `count` whole parts (some may be 0)."""
    cuts = sorted(rng.randint(0, total) for _ in range(count - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
