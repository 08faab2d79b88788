"""The adapter registry covers exactly the protocols a carrier file may name, and the
adapters stay pure: they import no HTTP client and nothing that does I/O (STYLE: a live
carrier adapter is a pure request builder and response parser)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import rates.carriers
from rates.carriers.registry import ADAPTERS
from rates.domain.live_rates import PROTOCOLS

CARRIERS = Path(rates.carriers.__file__).parent
PURE_MODULES = ("adapter.py", "generic.py", "easypost.py", "registry.py")
IO_STDLIB = frozenset({"socket", "ssl", "http", "urllib", "asyncio", "subprocess", "os",
                       "sqlite3", "threading", "time"})
ALLOWED_RATES = ("rates.domain", "rates.carriers.adapter", "rates.carriers.generic",
                 "rates.carriers.easypost")


def test_every_protocol_has_an_adapter_and_every_adapter_a_protocol():
    assert set(ADAPTERS) == set(PROTOCOLS)


def test_the_registry_is_read_only():
    with pytest.raises(TypeError):
        ADAPTERS["ups"] = ADAPTERS["generic"]


def impure_imports(source: str) -> list[str]:
    """Imports in `source` of anything but pure stdlib, the domain and the adapters."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.partition(".")[0]
            pure_stdlib = top in sys.stdlib_module_names and top not in IO_STDLIB
            ours = any(name == allowed or name.startswith(allowed + ".")
                       for allowed in ALLOWED_RATES)
            if not (pure_stdlib or ours or name == "__future__"):
                found.append(name)
    return found


@pytest.mark.parametrize("module", PURE_MODULES)
def test_adapters_do_no_io(module):
    assert impure_imports((CARRIERS / module).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", ["import requests", "from urllib.request import urlopen",
                                    "import socket", "from rates.carriers.session import x",
                                    "from rates.loading import load_setup"])
def test_the_purity_check_catches_io_imports(source):
    assert impure_imports(source) != []
