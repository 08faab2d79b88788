"""Which package of `rates/` may import which (docs/architecture.md, "Import rules").

Every `import` of every module is read with `ast` (nothing is executed) and mapped to the
package it comes from and the one it names. The table below is the rule: an import it does
not allow fails here, so a new dependency between layers is a decision written into this
file and the architecture document, never an accident. The table itself must have no loop,
so no two packages can come to import each other, directly or around a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Set
from pathlib import Path

import pytest

RATES = Path(__file__).resolve().parents[1] / "rates"

MAY_IMPORT: Mapping[str, Set[str]] = {
    "domain": set(),                                   # pure: the standard library only
    "settings": set(),
    "carriers": {"domain", "settings"},
    "store": {"domain", "settings"},
    "wire": {"domain", "settings", "store"},
    "webhooks": {"carriers", "domain", "settings", "store"},
    "loading": {"domain", "settings", "webhooks", "wire"},
    "app": {"domain", "loading", "settings", "store", "wire"},
    "platforms": {"app", "domain", "settings", "store", "wire"},  # checkout platforms' adapters
    "ruletools": {"app", "domain", "loading", "wire"},
    "web": {"app", "carriers", "domain", "loading", "platforms", "settings", "store",
            "webhooks", "wire"},
    "commands": {"app", "domain", "loading", "platforms", "ruletools", "settings", "store",
                 "web", "webhooks", "wire"},
    "cli": {"commands", "domain"},
    "compiled": set(),                                 # finds the compiled domain, if fresh
    "rates": {"app", "compiled"},                      # rates/__init__.py: the public API
}
"""Package (or top-level module) -> the packages its modules may import."""


def unit_of(path: Path) -> str:
    """The package a module of rates/ belongs to: its first folder, or the module's own
    name for `cli.py` and `settings.py`, or "rates" for the package's own __init__."""
    parts = path.relative_to(RATES).with_suffix("").parts
    return parts[0] if len(parts) > 1 else "rates" if parts[0] == "__init__" else parts[0]


def imported_units(source: str) -> set[str]:
    """The parts of `rates` that `source` imports (`rates.x.y` -> "x")."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("rates.")}
    return found


def graph() -> dict[str, dict[str, set[str]]]:
    """unit -> imported unit -> the files that import it."""
    edges: dict[str, dict[str, set[str]]] = {}
    for path in sorted(RATES.rglob("*.py")):
        unit = unit_of(path)
        for other in imported_units(path.read_text(encoding="utf-8")) - {unit}:
            edges.setdefault(unit, {}).setdefault(other, set()).add(str(path.relative_to(RATES)))
    return edges


def loops(edges: Mapping[str, Set[str]]) -> list[list[str]]:
    """Every circle of `edges`, each as the path from a unit back to itself."""
    found = []
    def walk(path: list[str]) -> None:
        for nxt in sorted(edges.get(path[-1], ())):
            if nxt == path[0]:
                found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:  # each circle once, from its least unit
                walk([*path, nxt])
    for start in sorted(edges):
        walk([start])
    return found


def test_every_unit_of_rates_has_a_rule():
    units = {unit_of(path) for path in RATES.rglob("*.py")}
    assert units == set(MAY_IMPORT), "a new package needs a line in MAY_IMPORT and the docs"


def test_every_import_between_packages_is_allowed():
    forbidden = {f"{unit} -> {other} ({', '.join(sorted(files))})"
                 for unit, imports in graph().items() for other, files in imports.items()
                 if other not in MAY_IMPORT.get(unit, set())}
    assert forbidden == set()


def test_no_two_packages_import_each_other_even_around_a_loop():
    assert loops(MAY_IMPORT) == []
    assert loops({unit: set(imports) for unit, imports in graph().items()}) == []


@pytest.mark.parametrize(("edges", "circle"), [
    ({"store": {"wire"}, "wire": {"store"}}, ["store", "wire", "store"]),
    ({"app": {"loading"}, "loading": {"wire"}, "wire": {"app"}},
     ["app", "loading", "wire", "app"]),
])
def test_the_loop_finder_finds_loops(edges, circle):
    assert loops(edges) == [circle]


def test_imports_are_read_from_both_import_forms():
    assert imported_units("import rates.store\nfrom rates.wire.request import x\n"
                          "from . import y\nimport yaml") == {"store", "wire"}
