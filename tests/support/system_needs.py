"""What `make test` needs from the machine besides Python, in one table: wrk (the HTTP
benchmarks' smoke runs), Chromium (tests/browser) and PostgreSQL's server binaries (the
store's tests on PostgreSQL).

A newcomer with only Python and make must still get a clean `make test`, told plainly
what it could not run; CI must run everything. So:

- `python3 -m tests.support.system_needs install` (the first step of `make test`, and
  .ci/run) installs whatever is missing with apt-get when it runs as root where apt-get
  exists, and otherwise installs nothing;
- a step that lacks a need skips what needs it with one line, `skipped: WHAT (no X): the
  command that installs X`, also kept in the file `$RATES_SKIPPED_FILE` names when set
  (`make test` sets it): the pytest fixtures (tests/conftest.py) and the benchmarks' smoke
  runs (benchmarks/support.py);
- `python3 -m tests.support.system_needs report`, the last step of `make test`, prints the
  kept lines together, one per missing need, and removes the file.

Under CI (the `CI` variable set, as .ci/run does) nothing skips: everything was installed
first, so a missing need is a broken machine and the step fails instead.

Standard library only: .ci/run runs it before the project's virtual environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SKIPPED_FILE = "RATES_SKIPPED_FILE"
POSTGRES_URL = "RATES_TEST_POSTGRES_URL"
"""A PostgreSQL server to test against instead of a throwaway one (tests/support/postgres.py)."""
DEBIAN_POSTGRESQL = Path("/usr/lib/postgresql")
"""Where Debian keeps each PostgreSQL version's server binaries, off PATH."""


def under_ci() -> bool:
    return bool(os.environ.get("CI"))


@dataclass(frozen=True, slots=True)
class Need:
    """A program from the system: `package` is Debian's name for it, `find` where it is
    (None when missing)."""

    name: str
    lacking: str
    package: str
    find: Callable[[], object | None]

    def present(self) -> bool:
        return self.find() is not None

    @property
    def install_command(self) -> str:
        return f"{'' if os.geteuid() == 0 else 'sudo '}apt-get install {self.package}"

    @property
    def reason(self) -> str:
        """Why a test is skipped: what is missing, and the command that installs it."""
        return f"{self.lacking}: {self.install_command}"

    def line(self, skipped: str) -> str:
        """The one line that says `skipped` was skipped for want of this."""
        return f"skipped: {skipped} ({self.lacking}): {self.install_command}"


def postgresql_binaries() -> Path | None:
    """The directory of `initdb` and `postgres`: pg_config's, else the newest of Debian's
    versioned directories; None if neither has them."""
    candidates = sorted(DEBIAN_POSTGRESQL.glob("[0-9]*/bin"), key=lambda bin_dir:
                        float(bin_dir.parent.name), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        answer = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,  # noqa: S603
                                check=False)
        candidates.insert(0, Path(answer.stdout.strip()))
    return next((bindir for bindir in candidates
                 if (bindir / "initdb").is_file() and (bindir / "postgres").is_file()), None)


def _postgresql() -> object | None:
    return os.environ.get(POSTGRES_URL) or postgresql_binaries()


WRK = Need("wrk", "no wrk", "wrk", lambda: shutil.which("wrk"))
CHROMIUM = Need("chromium", "no chromium", "chromium", lambda: shutil.which("chromium"))
POSTGRESQL = Need("postgresql", f"no PostgreSQL server binaries and no ${POSTGRES_URL}",
                  "postgresql", _postgresql)
NEEDS = (WRK, CHROMIUM, POSTGRESQL)


def keep(need: Need, skipped: str) -> None:
    """Note for `report` that `skipped` was skipped for want of `need`."""
    kept = os.environ.get(SKIPPED_FILE)
    if kept:
        with Path(kept).open("a", encoding="utf-8") as file:
            file.write(f"{need.name}\t{skipped}\n")


def skip_step(need: Need, step: str) -> None:
    """Ends a whole step (a script) that lacks `need`: one line and exit 0, or under CI
    exit 1 with the same line."""
    if under_ci():
        sys.exit(f"{step}: {need.reason}")
    print(need.line(step))
    keep(need, step)
    sys.exit(0)


def install() -> int:
    """Installs the missing needs with apt-get when root where apt-get exists; else leaves
    them to the steps that need them to report. Under CI a need still missing is an error."""
    missing = [need for need in NEEDS if not need.present()]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = [need.package for need in missing]
        print(f"make test needs {', '.join(packages)}: installing with apt-get ...",
              flush=True)
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", *packages]):
            done = subprocess.run(command, env=environment, capture_output=True,  # noqa: S603
                                  text=True, check=False)
            if done.returncode != 0:
                print(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}",
                      file=sys.stderr)
                break
        missing = [need for need in missing if not need.present()]
    if missing and under_ci():
        print("CI runs every step, but this machine lacks:",
              *(need.reason for need in missing), sep="\n  ", file=sys.stderr)
        return 1
    return 0


def report() -> int:
    """Prints the lines `keep` kept, one per need in the table's order, and removes them."""
    kept = Path(os.environ.get(SKIPPED_FILE) or "")
    if not kept.name or not kept.exists():
        return 0
    skipped: dict[str, list[str]] = {}
    for entry in kept.read_text(encoding="utf-8").splitlines():
        name, _, what = entry.partition("\t")
        skipped.setdefault(name, []).append(what)
    kept.unlink()
    lines = [need.line(", ".join(skipped[need.name])) for need in NEEDS if need.name in skipped]
    if lines:
        print("\nmake test passed, without what this machine lacks:", *lines, sep="\n")
    return 0


if __name__ == "__main__":
    commands = {"install": install, "report": report}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 -m tests.support.system_needs {{{'|'.join(commands)}}}")
    sys.exit(commands[sys.argv[1]]())
