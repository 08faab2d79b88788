"""Lints: what loads without complaint but cannot be what the merchant meant, namely zones
that never match, price rules that never apply (warnings; see zone_shadowing.py and
rule_reachability.py for what exactly is claimed), and locations no distance can be
measured from.

A rules file that loaded is linted from what it loaded. In one that did not, each zone and
rule entry is loaded on its own, so a file with an unrelated mistake elsewhere is still
linted and one run reports everything; an entry that does not load is left out, which can
only hide a warning, never invent one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import Schema, ValidationError

from rates.domain.catalog import Location, Zone
from rates.domain.money import MINOR_UNITS
from rates.domain.rules.evaluation import Rule
from rates.loading.checks import Check
from rates.loading.known import Known, loading
from rates.loading.problems import Problem, child
from rates.loading.rule_compiler import compile_rule
from rates.loading.rule_reachability import stopped_by
from rates.loading.rules_schema import RuleSchema, RulesFile
from rates.loading.yamlio import YamlDoc
from rates.loading.zone_schema import CarrierZoneSchema, ZoneSchema
from rates.loading.zone_shadowing import shadowed

T = TypeVar("T")

_ZONE, _CARRIER_ZONE, _RULE = ZoneSchema(), CarrierZoneSchema(), RuleSchema()


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    """One entry of a top-level list, loaded, and where it was written."""

    doc: YamlDoc
    path: str
    value: T

    def named(self, kind: str, name: str, seen_from: YamlDoc) -> str:
        """"zone 'us' (line 3)", with the file too when it is another one."""
        where = self.doc.position(self.path)
        line = where.line if where else 0
        place = f"line {line}" if self.doc is seen_from else f"{self.doc.file}:{line}"
        return f"{kind} {name!r} ({place})"


def unplaced_locations(config: YamlDoc, locations: Sequence[Location]) -> Iterator[Problem]:
    """A warning at the address of each location without a point, where distance matters:
    beside another location (which one is nearer) or with a pickup limited by distance."""
    for index, location in enumerate(locations):
        limited = location.pickup is not None and location.pickup.within_km is not None
        if location.point is None and (len(locations) > 1 or limited):
            where = " ".join(p for p in (location.country, location.postcode) if p)
            yield config.problem(
                f"locations[{index}].address",
                f"{location.id} cannot be placed on the map (no postcode table knows "
                f"{where}): `nearest` ranks it by the carriers' transit days, distance "
                "rules never match its shipments and a pickup's within_km never offers "
                "it; give it `coordinates: [latitude, longitude]`",
                Check.UNPLACED_LOCATION)


def carrier_lints(docs: Sequence[YamlDoc], facts: Known) -> Iterator[Problem]:
    """Shadowed zones within each carrier file (origins and destinations)."""
    locations = list(facts.locations) if facts.locations is not None else None
    for doc in docs:
        yield from _shadowed_zones(_entries(doc, "zones", _CARRIER_ZONE, facts), locations)


def rules_lints(docs: Sequence[YamlDoc], loaded: Sequence[RulesFile | None],
                facts: Known) -> Iterator[Problem]:
    """Shadowed zones and unreachable rules, across the rules files merged in order;
    `loaded` is each file as it loaded, or None."""
    files = list(zip(docs, loaded, strict=True))
    yield from _shadowed_zones(
        [entry for doc, file in files for entry in (
            _entries(doc, "zones", _ZONE, facts) if file is None
            else _listed(doc, "zones", file.zones))], None)
    yield from _unreachable_rules(_rules(files, facts))


def _shadowed_zones(entries: Sequence[_Entry[Zone]],
                    locations: Collection[str] | None) -> Iterator[Problem]:
    zones = [entry.value for entry in entries]
    for index, takers in shadowed(zones, locations).items():
        entry = entries[index]
        earlier = " and ".join(entries[i].named("zone", zones[i].id, entry.doc) for i in takers)
        verb = "matches" if len(takers) == 1 else "match"
        yield entry.doc.problem(
            child(entry.path, "id"),
            f"zone {zones[index].id!r} never matches: {earlier} already {verb} everything "
            "it names; zones match first to last, so list the narrower one first",
            Check.SHADOWED_ZONE)


def _unreachable_rules(entries: Sequence[_Entry[Rule]]) -> Iterator[Problem]:
    rules = [entry.value for entry in entries]
    for index, stopper in stopped_by(rules):
        entry = entries[index]
        earlier = entries[stopper].named("rule", rules[stopper].id, entry.doc)
        yield entry.doc.problem(
            child(entry.path, "id"),
            f"rule {entry.value.id!r} never applies: {earlier} has `stop` and applies "
            "whenever this one would; move this rule above it, or narrow that one",
            Check.UNREACHABLE_RULE)


def _rules(files: Sequence[tuple[YamlDoc, RulesFile | None]],
           facts: Known) -> list[_Entry[Rule]]:
    """Every rule that loads; those of a file that did not load are compiled in the
    currency of the first rules file that names a valid one (files that disagree are an
    error of their own)."""
    currencies = [doc.top.get("currency") for doc, _ in files]
    currency = next((c for c in currencies if isinstance(c, str) and c in MINOR_UNITS), None)
    if currency is None:
        return []
    return [entry for doc, file in files for entry in (
        [_Entry(e.doc, e.path, compile_rule(e.value, currency))
         for e in _entries(doc, "rules", _RULE, facts)] if file is None
        else _listed(doc, "rules", file.rules))]


def _listed(doc: YamlDoc, section: str, values: Sequence[T]) -> list[_Entry[T]]:
    """The entries of a section that loaded whole, one per item, in order."""
    return [_Entry(doc, child(section, index), value) for index, value in enumerate(values)]


def _entries(doc: YamlDoc, section: str, schema: Schema, facts: Known) -> list[_Entry[Any]]:
    """Each entry of the top-level list `section` that loads on its own."""
    found: list[_Entry[Any]] = []
    items = doc.top.get(section)
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            with loading(facts):
                found.append(_Entry(doc, child(section, index), schema.load(item)))
        except ValidationError:
            continue  # the file's own load reports it
    return found
