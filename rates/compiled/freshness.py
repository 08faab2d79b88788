"""The domain's optional compiled build (mypyc), used only when it was built from the
sources as they are now.

`make install` compiles `rates/domain` with mypyc (tools/compile_domain.py) into
`build/mypyc/` beside the package, never into it: Python imports an extension module
before the `.py` of the same name, so a build kept in the source tree would run an edited
module as it was when compiled. The build records what it was built from (this
interpreter's extension suffix and every domain source, by path and content); at start-up
`rates/__init__.py` hashes the sources again, and only when the two agree is the build's
folder put before the sources on the package's path. Anything else (no build, a stale one,
another Python, `RATES_PURE_PYTHON` set) runs the domain as pure Python, which is the same
code: the build changes how fast the domain runs, never what it answers.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from collections.abc import Mapping, MutableSequence
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
BUILD = PACKAGE.parent / "build" / "mypyc"
"""Where the build is kept: `rates/domain` compiled, under `rates/domain` of its own."""

BUILT_FROM = "built-from"
"""The build's record of its sources' digest, written last: a build without one is
unfinished (or failed) and never used."""

COMPILED = "compiled (mypyc)"
PURE = "pure Python"
SKIP = "RATES_PURE_PYTHON"
"""Set (to anything but empty or 0): neither build nor use the compiled domain."""


def skipped(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(SKIP, "") not in ("", "0")


def sources_digest(package: Path = PACKAGE) -> str:
    """The digest of what a build is made from: this interpreter's extension suffix (a
    build for another Python cannot load) and every source of `package`'s domain."""
    digest = hashlib.sha256(str(sysconfig.get_config_var("EXT_SUFFIX")).encode())
    for path in sorted((package / "domain").rglob("*.py")):
        digest.update(b"\0%s\0%s" % (path.relative_to(package).as_posix().encode(),
                                     path.read_bytes()))
    return digest.hexdigest()


def activate(path: MutableSequence[str], package: Path = PACKAGE, build: Path = BUILD,
             environ: Mapping[str, str] = os.environ) -> str:
    """Put `build`'s compiled domain first on the package's `path` (its `__path__`) when it
    was built from `package`'s sources as they are now; says which domain runs, and why
    it is not the compiled one. Called once, before anything imports the domain."""
    if skipped(environ):
        return f"{PURE} ({SKIP} is set)"
    try:
        built_from = (build / BUILT_FROM).read_text(encoding="ascii")
    except OSError:
        return f"{PURE} (not compiled: `make install` compiles it)"
    if built_from != sources_digest(package):
        return f"{PURE} (the compiled build is not of these sources: `make install` rebuilds it)"
    path.insert(0, str(build / "rates"))
    sys.path.append(str(build))  # where the compiled modules' shared library is
    return COMPILED
