"""`load_setup`: every file of a setup read, checked against each other, and built.

Order matters because files refer to each other: the operations file defines locations,
carriers name them as origins, rules name carriers' services and the rules' own zones, and
the inventory names locations. Each file is loaded knowing the names defined before it
(`Known`); a file with problems of its own still lets the others be checked, so one run
reports every problem there is. For the same reason, what spans files (directories, zone
and rule ids, the rules files agreeing) is read from the files as written, not from what
loaded. Lints (lints.py) run last; their warnings alone do not stop a setup loading.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from marshmallow import ValidationError

from rates.domain.catalog import Carrier, Catalog
from rates.domain.phrases import Phrases
from rates.domain.policy import PlanPolicy, Ruleset
from rates.domain.products import Product
from rates.domain.stock import SkuStock
from rates.domain.window import WindowBook
from rates.loading.carrier_schema import CARRIER
from rates.loading.checks import Check
from rates.loading.config_schema import CONFIG, ConfigFile
from rates.loading.environment import missing_secrets, missing_webhook_secret
from rates.loading.holidays import HolidayCalendarBook
from rates.loading.inventory_schema import inventory
from rates.loading.known import Known, loading
from rates.loading.lints import carrier_lints, rules_lints, unplaced_locations
from rates.loading.places import load_gazetteer
from rates.loading.problems import Problem, Problems, schema_problems
from rates.loading.products_schema import products
from rates.loading.rule_compiler import ACTIONS
from rates.loading.rules_schema import RULES, RulesFile
from rates.loading.sources import SetupSources
from rates.loading.yamlio import YamlDoc, read_yaml
from rates.settings import Settings
from rates.wire.wording import DEFAULT_LOCALE

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Setup:
    """Everything a quote needs from the merchant's files, loaded and checked."""

    catalog: Catalog
    ruleset: Ruleset
    inventory: Mapping[str, SkuStock]
    settings: Settings
    config_path: Path
    files: tuple[Path, ...] = ()
    """Every file read, and the folders whose *.yaml files were read: what a reload
    watches for changes."""
    folders: tuple[Path, ...] = ()
    windows: WindowBook = field(default_factory=WindowBook, compare=False, repr=False)
    """Windows this setup's quotes worked out, for its next quotes (`quote(windows=)`)."""
    products: Mapping[str, Product] = field(default_factory=dict)
    """The product catalog file's products by SKU (none configured: empty), which seed
    the store's catalog."""
    sources: SetupSources | None = field(default=None, compare=False, repr=False)
    """The bytes of every file read, to load this setup again (`rates.app.replays`);
    None for a setup assembled in code."""


@dataclass(frozen=True, slots=True)
class Inspection:
    """Every problem of a setup, warnings included, in file and line order, and every file
    read to find them."""

    problems: tuple[Problem, ...]
    files: tuple[Path, ...]


def load_setup(config_path: Path, today: date, *, rules: Path | None = None) -> Setup:
    """Load the operations file at `config_path` and the rules, carriers and inventory it
    points to (paths relative to its directory). Calendars cover Jan 1 of last year to
    Dec 31 three years after `today`'s. `rules`, a directory or one file, replaces the
    config's rules (to compare two rule sets on the same operations). Raises `ConfigError`
    listing every problem, if any is an error; warnings alone are not raised."""
    builder = _Builder(config_path, today, rules)
    setup = builder.build()
    builder.problems.raise_if_errors()
    assert setup is not None  # noqa: S101 - build() gives None only with errors
    return setup


def inspect_setup(config_path: Path, today: date, *, rules: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Inspection:
    """What `load_setup` would find, warnings too, without raising: for `rates check`.
    With `environ`, also a warning for each secret the config names that it lacks
    (environment.py); without, the files alone, as they would be anywhere."""
    builder = _Builder(config_path, today, rules)
    builder.build()
    if environ is not None and builder.settings and builder.config_doc is not None:
        builder.problems.extend(missing_secrets(builder.config_doc, builder.settings,
                                                environ))
        builder.problems.extend(missing_webhook_secret(builder.config_doc,
                                                       builder.settings.webhook, environ))
    return Inspection(tuple(builder.problems.ordered()), tuple(builder.files))


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Loading makes hundreds of thousands of short-lived objects (YAML nodes, validated
    dicts) and no reference cycles (a test checks it), so the cyclic collector, which
    would walk the whole heap several times during a load, has nothing to find: paused,
    a 1000-rule reload takes a fifth less. Reference counting frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Builder:
    def __init__(self, config_path: Path, today: date, rules: Path | None = None) -> None:
        self.config_path = config_path
        self.rules_override = rules
        self.root = config_path.parent
        self.book = HolidayCalendarBook(today)
        self.problems = Problems()
        self.files: list[Path] = []
        self.read: dict[Path, bytes] = {}
        """The bytes of every file read, for the setup's sources."""
        self.folders: list[Path] = []
        self.config_doc: YamlDoc | None = None
        self.settings: Settings | None = None
        """The config file and its settings once read and loaded."""

    def build(self) -> Setup | None:
        """The setup, or None when any problem found (all in `self.problems`) is an error."""
        with _cycle_collection_paused():
            return self._build()

    def _build(self) -> Setup | None:
        config_doc = self._read(self.config_path)
        if not config_doc.parsed:
            return None  # without it, nothing else can be found
        config: ConfigFile | None = self._load(config_doc, Known(self.book), CONFIG.load)
        self.config_doc, self.settings = config_doc, config.settings if config else None
        located = Known(self.book, config.locations if config else None)

        carrier_docs = self._directory(config_doc, "carriers")
        carriers = self._carriers(carrier_docs, located)
        rules_docs = self._directory(config_doc, "rules")
        offered = replace(located, zones=[zone for _, _, zone in _ids(rules_docs, "zones", "id")],
                          rules=_actions(rules_docs))
        if carriers is not None:
            offered = replace(offered, carriers=list(carriers), services=_priced_in(carriers))
        rules_files: list[RulesFile | None] = [self._load(doc, offered, RULES.load)
                                               for doc in rules_docs]
        own_rate = _own_currency_problems(config_doc, rules_docs)
        self.problems.extend(own_rate)
        currencies = config.currencies if config and not own_rate else {}
        ruleset = self._ruleset(rules_docs, rules_files,
                                _version([*rules_docs, *carrier_docs], currencies), currencies)
        self._merge_checks(rules_docs)
        stock = self._inventory(config_doc, located)
        catalogued = self._products(config_doc, located)
        self.problems.extend(carrier_lints(carrier_docs, located))
        if config is not None:
            self.problems.extend(unplaced_locations(config_doc,
                                                    list(config.locations.values())))
        self.problems.extend(rules_lints(rules_docs, rules_files, offered))
        if config is not None and carriers is not None:
            self.problems.extend(_live_host_problems(carrier_docs, carriers,
                                                     config.settings.live_rates.allowed_hosts))

        if self.problems.has_errors():
            return None
        # No errors means every part loaded: each failure above noted one.
        assert config and carriers is not None and ruleset is not None  # noqa: S101
        return Setup(
            catalog=Catalog(config.locations, carriers, self.book, places=load_gazetteer(),
                            sourcing=config.sourcing),
            ruleset=ruleset,
            inventory=stock,
            settings=config.settings,
            products=catalogued,
            config_path=self.config_path,
            files=tuple(self.files),
            folders=tuple(self.folders),
            sources=SetupSources.of(self.config_path, self.read, self.rules_override),
        )

    # -- reading -----------------------------------------------------------------------

    def _read(self, path: Path) -> YamlDoc:
        self.files.append(path)
        doc = read_yaml(path, Path(os.path.relpath(path, self.root)).as_posix())
        self.read[path] = doc.raw
        self.problems.extend(doc.problems)
        return doc

    def _load(self, doc: YamlDoc, facts: Known, load: Callable[[Any], Any]) -> Any:
        """`load(data)` knowing `facts`; None, with the problems noted, if it fails."""
        if not doc.parsed:
            return None
        try:
            with loading(facts):
                return load({} if doc.data is None else doc.data)
        except ValidationError as error:
            self.problems.extend(schema_problems(doc, error.messages))
            return None

    def _problem(self, doc: YamlDoc, path: str, message: str, check: Check) -> None:
        self.problems.add(doc.problem(path, message, check))

    def _directory(self, config_doc: YamlDoc, key: str) -> list[YamlDoc]:
        """The *.yaml files of the directory the config names under `key` (default
        `key/`), sorted by name; rule tests (*.test.yaml) are not rules."""
        if key == "rules" and self.rules_override is not None:
            if self.rules_override.is_file():
                return [self._read(self.rules_override)]
            written, folder = str(self.rules_override), self.rules_override
        else:
            written = config_doc.top.get(key, f"{key}/")
            if not isinstance(written, str):
                return []  # the config schema reports it
            folder = self.root / written
        self.folders.append(folder)
        files = sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".test.yaml"))
        if not files:
            self._problem(config_doc, key, f"no *.yaml files in {written!r}" if folder.is_dir()
                          else f"no such directory: {written!r}", Check.MISSING_FILE)
        return [self._read(path) for path in files]

    # -- families ----------------------------------------------------------------------

    def _carriers(self, docs: Sequence[YamlDoc], facts: Known) -> dict[str, Carrier] | None:
        """Carriers by id; None unless every file loaded (else their names are unknown)."""
        self._unique("carrier", [(doc, "id", doc.top["id"]) for doc in docs
                                 if isinstance(doc.top.get("id"), str)])
        loaded: list[Carrier | None] = [self._load(doc, facts, CARRIER.load) for doc in docs]
        carriers = {carrier.id: carrier for carrier in loaded if carrier is not None}
        return carriers if docs and len(carriers) == len(docs) else None

    @staticmethod
    def _ruleset(docs: Sequence[YamlDoc], loaded: Sequence[RulesFile | None],
                 version: str, currencies: Mapping[str, Decimal]) -> Ruleset | None:
        """One ruleset from every rules file, merged in file order, with the config's
        exchange rates; None unless every file loaded."""
        files = [(doc, file) for doc, file in zip(docs, loaded, strict=True) if file]
        if not files or len(files) != len(docs):
            return None
        return Ruleset(
            version=version,
            currency=files[0][1].currency,
            zones=tuple(zone for _, f in files for zone in f.zones),
            services=tuple(offer for _, f in files for offer in f.services),
            plans=next((f.plans for _, f in files if f.plans is not None), PlanPolicy()),
            rules=tuple(replace(rule, source=f"{doc.file}:{_line(doc, f'rules[{i}]')}")
                        for doc, f in files for i, rule in enumerate(f.rules)),
            wording=_merged_wording(f.wording for _, f in files),
            wording_default=next((f.wording_default for _, f in files
                                  if f.wording_default is not None), DEFAULT_LOCALE),
            exchange_rates=currencies,
        )

    def _merge_checks(self, docs: Sequence[YamlDoc]) -> None:
        """What one rules file cannot see alone: the files agree and names are unique."""
        currencies = [(doc, doc.top["currency"]) for doc in docs
                      if isinstance(doc.top.get("currency"), str)]
        for doc, currency in currencies[1:]:
            if currency != currencies[0][1]:
                self._problem(doc, "currency", f"{currency} differs from {currencies[0][1]} "
                                               f"in {currencies[0][0].file}", Check.BAD_VALUE)
        for key, what in (("plans", "plans are"), ("wording_default", "wording_default is")):
            setting = [doc for doc in docs if key in doc.top]
            for doc in setting[1:]:
                self._problem(doc, key, f"{what} already set in {setting[0].file}",
                              Check.DUPLICATE_ID)
        # An unreadable file may well offer services: it has a problem of its own.
        if docs and all(doc.parsed for doc in docs) and not _ids(docs, "services", "service"):
            self._problem(docs[0], "services", "offer at least one carrier service",
                          Check.MISSING_KEY)
        self._unique("zone", _ids(docs, "zones", "id"))
        self._unique("offered service", _ids(docs, "services", "service"))
        self._unique("rule", _ids(docs, "rules", "id"))

    def _unique(self, what: str, named: Sequence[tuple[YamlDoc, str, str]]) -> None:
        first: dict[str, str] = {}
        for doc, path, name in named:
            if name in first:
                self._problem(doc, path, f"{what} {name!r} is already defined at {first[name]}",
                              Check.DUPLICATE_ID)
            first.setdefault(name, f"{doc.file}:{_line(doc, path)}")

    def _inventory(self, config_doc: YamlDoc, facts: Known) -> Mapping[str, SkuStock]:
        return self._named_file(config_doc, "inventory", facts, inventory)

    def _products(self, config_doc: YamlDoc, facts: Known) -> Mapping[str, Product]:
        return self._named_file(config_doc, "products", facts, products)

    def _named_file(self, config_doc: YamlDoc, key: str, facts: Known,
                       load: Callable[[Any], Mapping[str, T]]) -> Mapping[str, T]:
        """The file the config's `key: {path}` names, loaded by `load` ({} when none is
        named, or when it fails: its problems are noted)."""
        source = config_doc.top.get(key)
        path = source.get("path") if isinstance(source, Mapping) else None
        if not isinstance(path, str):
            return {}  # none configured, or the config schema reports it
        loaded: Mapping[str, T] | None = self._load(self._read(self.root / path), facts, load)
        return loaded or {}


def _merged_wording(files: Iterable[Mapping[str, Phrases]]) -> dict[str, Phrases]:
    """Every file's wording by locale; a later file's words replace an earlier one's."""
    merged: dict[str, Phrases] = {}
    for wording in files:
        for locale, phrases in wording.items():
            merged[locale] = phrases.over(merged.get(locale, Phrases()))
    return merged


def _actions(docs: Iterable[YamlDoc]) -> dict[str, str]:
    """Every rule's id -> its action, as written (what a locale's `rules:` may reword)."""
    found = {}
    for doc in docs:
        entries = doc.top.get("rules")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                found[entry["id"]] = next((action for action in ACTIONS if action in entry), "")
    return found
def _own_currency_problems(config_doc: YamlDoc, rules_docs: Sequence[YamlDoc]) -> list[Problem]:
    """A rate for the shop's own currency (the rules' `currency:`, as written) is a
    mistake: its prices need no conversion, and any rate but 1 would misprice them."""
    written = config_doc.top.get("currencies")
    shop = next((doc.top["currency"] for doc in rules_docs
                 if isinstance(doc.top.get("currency"), str)), None)
    if not isinstance(written, Mapping) or shop not in written:
        return []
    return [config_doc.problem(
        f"currencies.{shop}", f"{shop} is the shop's own currency (`currency:` in the rules "
        f"files): its prices need no rate; list only the other currencies", Check.BAD_VALUE,
        at_key=True)]


def _live_host_problems(docs: Sequence[YamlDoc], carriers: Mapping[str, Carrier],
                        allowed: Sequence[str]) -> list[Problem]:
    """A live endpoint on a host the config does not allow would fail on every quote and
    fall back silently; say so when the files load instead."""
    found = []
    for doc in docs:
        carrier = carriers.get(str(doc.top.get("id")))
        if carrier is None or carrier.live is None:
            continue
        host = urlsplit(carrier.live.url).hostname or ""
        if host not in allowed:
            found.append(doc.problem(
                "live.url", f"host {host!r} is not in live_rates.allowed_hosts of the config "
                f"({', '.join(allowed) or 'none'}): add it there to call this carrier",
                Check.UNKNOWN_REFERENCE))
    return found


def _priced_in(carriers: Mapping[str, Carrier]) -> dict[str, str]:
    """Each service key -> the currency its rates are in (one per carrier file)."""
    return {service.key: next(iter(service.rates.zones.values()))[0].price.currency
            for carrier in carriers.values() for service in carrier.services.values()}


def _line(doc: YamlDoc, path: str) -> int:
    where = doc.position(path)
    return where.line if where else 0


def _ids(docs: Iterable[YamlDoc], section: str, key: str) -> list[tuple[YamlDoc, str, str]]:
    """(doc, path, name) for each entry of the top-level list `section` whose `key` is a
    string, as written: malformed entries are the schema's to report."""
    found = []
    for doc in docs:
        entries = doc.top.get(section)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, Mapping) and isinstance(entry.get(key), str):
                found.append((doc, f"{section}[{index}].{key}", entry[key]))
    return found


def _version(docs: Iterable[YamlDoc], currencies: Mapping[str, Decimal]) -> str:
    """sha256 over every rules and carrier file (name and bytes), and the exchange rates
    when there are any (they price quotes in other currencies, though they are written in
    the config): any edit of either changes it."""
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.file):
        digest.update(f"{doc.file}\0{len(doc.raw)}\0".encode())
        digest.update(doc.raw)
    if currencies:
        digest.update("".join(f"currencies\0{code}\0{rate}\0"
                              for code, rate in sorted(currencies.items())).encode())
    return "sha256:" + digest.hexdigest()
