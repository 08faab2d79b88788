"""rates/domain imports only the standard library and itself (DESIGN section 1).

Walks every module under rates/domain with `ast` (no import is executed) and fails on any
import of a third-party package or of another part of `rates` (loading, web, store...), and
on the few standard-library modules that exist only to do I/O the domain must not do
(STYLE: "nothing from flask, requests, yaml, sqlite3 or psycopg").
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "rates" / "domain"
"""The sources, not the imported package: that may be the compiled build
(rates/compiled/freshness.py)."""
IO_ONLY_STDLIB = frozenset({"sqlite3", "dbm", "shelve", "socket", "ssl", "http", "urllib",
                            "smtplib", "subprocess"})


def foreign_imports(source: str, filename: str = "<module>") -> list[str]:
    """The imported module names in `source` that are neither stdlib nor rates.domain."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:      # relative: inside rates.domain by construction
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.partition(".")[0]
            if top in sys.stdlib_module_names and top not in IO_ONLY_STDLIB:
                continue
            if name == "rates.domain" or name.startswith("rates.domain."):
                continue
            found.append(f"{filename}:{node.lineno}: {name}")
    return found


def domain_modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def test_the_domain_package_has_modules_to_check():
    names = {path.relative_to(DOMAIN).as_posix() for path in domain_modules()}
    assert {"money.py", "calendar.py", "stock.py", "window.py", "plans.py", "rate_tables.py",
            "rules/facts.py", "rules/conditions.py", "rules/actions.py",
            "rules/evaluation.py", "rules/index.py", "quote/result.py",
            "quote/cart_facts.py", "quote/pricing.py", "quote/pipeline.py"} <= names


@pytest.mark.parametrize("path", domain_modules(),
                         ids=lambda path: path.relative_to(DOMAIN).as_posix())
def test_domain_module_imports_only_the_standard_library(path):
    assert foreign_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize("source", [
    "import yaml",
    "import requests.adapters",
    "from flask import Flask",
    "import holidays",
    "from rates.loading import load_rules",
    "import rates.store",
    "from rates import cli",
    "import sqlite3",
    "from urllib.request import urlopen",
    "def f():\n    import psycopg\n",
])
def test_the_checker_catches_foreign_imports(source):
    assert foreign_imports(source) != []


@pytest.mark.parametrize("source", [
    "from __future__ import annotations",
    "import datetime, decimal",
    "from collections.abc import Mapping",
    "from rates.domain.money import Money",
    "import rates.domain.calendar",
    "from . import money",
])
def test_the_checker_allows_stdlib_and_the_domain_itself(source):
    assert foreign_imports(source) == []
