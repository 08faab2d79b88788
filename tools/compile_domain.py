"""Compile rates/domain with mypyc into build/mypyc/, where `rates` finds it when it is
fresh (rates/compiled/freshness.py says how; docs/architecture.md, "The compiled domain").

    .venv/bin/python tools/compile_domain.py     # from the repository root; `make install` runs it

It never fails the install: without mypyc, setuptools or a C compiler, or when mypyc
refuses a module, it prints one line saying the domain runs as pure Python and why (the
whole log is build/mypyc-work/compile.log) and exits 0; except under CI (`CI` set), which
must test the build that ships, and fails with the log's tail. A build of the sources as they are
is kept; `RATES_PURE_PYTHON=1` skips it.

`errors.py` stays pure Python, copied beside the compiled modules: compiled, an exception
class's `code` and `status` become defaults its subclasses lose, and no quote spends its
time raising errors. The compiled modules share one library, `rates_domain__mypyc`, at the
top of the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rates.compiled.freshness import (  # noqa: E402
    BUILD,
    BUILT_FROM,
    COMPILED,
    PURE,
    SKIP,
    skipped,
    sources_digest,
)

DOMAIN = ROOT / "rates" / "domain"
WORK = BUILD.parent / "mypyc-work"
LOG = WORK / "compile.log"
LEFT_PURE = ("errors.py",)


def build() -> None:
    """The compile itself, in a child process whose output goes to the log: mypyc and the
    C compiler both write to it, the compiler from processes of its own."""
    from setuptools import Distribution  # first: mypyc.build asks which builder is imported

    sources = [path for path in sorted(DOMAIN.rglob("*.py")) if path.name not in LEFT_PURE]
    from mypyc.build import mypycify
    extensions = mypycify([str(path.relative_to(ROOT)) for path in sources],
                          target_dir=str(WORK / "c"), group_name="rates_domain")
    command = Distribution({"ext_modules": extensions}).get_command_obj("build_ext")
    command.build_lib, command.build_temp = str(BUILD), str(WORK / "objects")
    command.ensure_finalized()
    command.run()
    for path in sorted(DOMAIN.rglob("*.py")):
        if path.name in LEFT_PURE:
            shutil.copy2(path, BUILD / path.relative_to(ROOT))


def reason(log: str) -> str:
    """Why a compile failed, in one line: the log's last error, else its last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no output"])[-1][:160]


def main() -> int:
    if skipped():
        print(f"domain: {PURE} ({SKIP} is set)")
        return 0
    digest = sources_digest()
    built_from = BUILD / BUILT_FROM
    if built_from.is_file() and built_from.read_text(encoding="ascii") == digest:
        built_from.touch()  # newer than the sources again, for make
        print(f"domain: {COMPILED}, up to date")
        return 0
    shutil.rmtree(BUILD, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    print("Compiling the domain with mypyc (about a minute; RATES_PURE_PYTHON=1 skips) ...",
          flush=True)
    started = time.monotonic()
    with LOG.open("w") as log:
        done = subprocess.run([sys.executable, __file__, "--build"],  # noqa: S603 (this file)
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        print(f"domain: {PURE}: the compile failed ({reason(LOG.read_text())}); "
              f"see {LOG.relative_to(ROOT)}")
        if os.environ.get("CI"):  # CI tests what ships: the compiled domain, and pure
            print(LOG.read_text()[-4000:])
            return 1
    elif sources_digest() != digest:
        print(f"domain: {PURE}: a domain source changed while compiling; `make install` "
              "compiles it again")
    else:
        built_from.write_text(digest, encoding="ascii")
        print(f"domain: {COMPILED} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--build"]:
        build()
    else:
        sys.exit(main())
