"""The compiled domain (rates/compiled/freshness.py) is used only when it was built from the sources
as they are: an edited source always runs as written.

The build here stands in for mypyc's: a copy of the domain whose `window` says it was
built. Which folder a module is imported from is all the check decides, whatever the
files in it are (tools/compile_domain.py makes the real one).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rates.compiled.freshness import BUILT_FROM, COMPILED, activate, sources_digest

RATES = Path(__file__).resolve().parents[1] / "rates"


def built(root: Path) -> Path:
    """A copy of `rates` in `root`, and a build of its domain in root/build/mypyc that
    records the sources' digest, as tools/compile_domain.py does."""
    shutil.copytree(RATES, root / "rates", ignore=shutil.ignore_patterns("__pycache__"))
    build = root / "build" / "mypyc"
    shutil.copytree(root / "rates" / "domain", build / "rates" / "domain")
    with (build / "rates" / "domain" / "window.py").open("a") as window:
        window.write("\nBUILT = True\n")
    (build / BUILT_FROM).write_text(sources_digest(root / "rates"), encoding="ascii")
    return build


def imported(root: Path, **environ: str) -> tuple[str, str]:
    """(rates.DOMAIN, the file `rates.domain.window` came from) in a fresh interpreter
    that finds `rates` in `root`."""
    env = {key: value for key, value in os.environ.items() if key != "RATES_PURE_PYTHON"}
    env.update(PYTHONPATH=str(root), **environ)
    done = subprocess.run(
        [sys.executable, "-c", "import rates, rates.domain.window as w\n"
                               "print(rates.DOMAIN); print(w.__file__)"],
        cwd=root, env=env, capture_output=True, text=True, check=True)
    domain, window = done.stdout.splitlines()
    return domain, str(Path(window).relative_to(root))


def test_an_edited_domain_source_is_not_shadowed_by_the_compiled_build(tmp_path):
    built(tmp_path)
    assert imported(tmp_path) == (COMPILED, "build/mypyc/rates/domain/window.py")

    window = tmp_path / "rates" / "domain" / "window.py"
    window.write_text(window.read_text() + "\nEDITED = True\n")
    domain, source = imported(tmp_path)
    assert domain == ("pure Python (the compiled build is not of these sources: "
                      "`make install` rebuilds it)")
    assert source == "rates/domain/window.py"


def test_a_new_domain_module_makes_the_build_stale(tmp_path):
    built(tmp_path)
    (tmp_path / "rates" / "domain" / "newly.py").write_text('"""Added after the build."""\n')
    assert imported(tmp_path)[1] == "rates/domain/window.py"


def test_rates_pure_python_keeps_a_fresh_build_unused(tmp_path):
    built(tmp_path)
    assert imported(tmp_path, RATES_PURE_PYTHON="1") == (
        "pure Python (RATES_PURE_PYTHON is set)", "rates/domain/window.py")
    assert imported(tmp_path, RATES_PURE_PYTHON="0")[0] == COMPILED


def test_a_build_without_its_record_is_unfinished_and_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    build = built(tmp_path)
    (build / BUILT_FROM).unlink()
    path = [str(tmp_path / "rates")]
    assert activate(path, tmp_path / "rates", build, environ={}) == (
        "pure Python (not compiled: `make install` compiles it)")
    assert path == [str(tmp_path / "rates")]


@pytest.mark.parametrize("edit", ["rename", "remove"])
def test_a_renamed_or_removed_source_makes_the_build_stale(tmp_path, monkeypatch, edit):
    monkeypatch.setattr(sys, "path", list(sys.path))
    build = built(tmp_path)
    money = tmp_path / "rates" / "domain" / "money.py"
    if edit == "rename":
        money.rename(money.with_name("cash.py"))
    else:
        money.unlink()
    path = [str(tmp_path / "rates")]
    assert activate(path, tmp_path / "rates", build, environ={}).startswith("pure Python")
    assert path == [str(tmp_path / "rates")]
