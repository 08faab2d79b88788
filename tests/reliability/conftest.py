"""The reliability checks are scripts in benchmarks/ (crash.py, soak.py) that tests run in
small: these fixtures import them as they run, with their folder on sys.path."""

import importlib

import pytest

from tests.support.project import BENCHMARKS


@pytest.fixture
def benchmark_script(monkeypatch):
    """`benchmark_script(name)`: the module benchmarks/<name>.py. benchmarks/ is a folder
    of scripts, not a package: they import each other (`from support import ...`) as
    siblings, so the folder goes on sys.path for the test."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module
