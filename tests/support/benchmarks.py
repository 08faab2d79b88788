"""The scripts of benchmarks/, loaded as modules for the tests that check them."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.support.project import BENCHMARKS


def load_module(name: str) -> ModuleType:
    """A module of benchmarks/, which is a folder of scripts, not a package; as when one
    runs, its folder is on the path for the modules it imports from beside it."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.append(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module
