"""`rates check [PATHS...] [--config PATH] [--format text|json]`: every problem of a setup.

The whole setup is always loaded, since its files refer to each other; PATHS (files or
directories the setup reads) only narrow the report. Text is one problem per paragraph,

    rules/default.yaml:81:13: error: not an amount or percent: '-15 percent' [bad-value]
       81 |     adjust: "-15 percent"
          |             ^

then a summary ("2 errors, 1 warning in 3 files": the files reported on). JSON is a list
of {file, line, column, severity, check, message}, line and column null for a problem about
a whole file. Files are named relative to the working directory when they are inside it.

The environment is checked too: a shop whose `secret_env` variable is unset or empty here,
or a `webhooks.secret_env` that holds no Standard Webhooks secret, is a warning at its
entry [missing-secret] (rates/loading/environment.py says why a warning).

Exit status: 0 clean, 1 warnings only, 2 errors (or PATHS the setup does not read).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rates.app.engine import Engine
from rates.commands.common import add_config
from rates.domain.errors import RatesError
from rates.loading.checks import Severity
from rates.loading.problems import Problem


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "check", help="check the configuration, carrier and rules files; exit 0 clean, "
                      "1 warnings only, 2 errors")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="report only on these files or directories of the setup")
    add_config(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text with excerpts (default), or JSON for tools")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    inspection = Engine(args.config).inspect()
    chosen = _chosen(inspection.files, args.paths)
    root = args.config.parent
    problems = [replace(problem, file=_shown(root / problem.file))
                for problem in inspection.problems if (root / problem.file).resolve() in chosen]
    if args.format == "json":
        print(json.dumps([_record(problem) for problem in problems], indent=2))
    else:
        for problem in problems:
            print("\n".join(filter(None, [str(problem), problem.excerpt()])) + "\n")
        print(_summary(problems, len(chosen)))
    severities = {problem.severity for problem in problems}
    return 2 if Severity.ERROR in severities else 1 if severities else 0


def _chosen(read: Sequence[Path], paths: Sequence[Path]) -> set[Path]:
    """The files to report on: those read that are, or are inside, one of `paths`."""
    files = {path.resolve() for path in read}
    if not paths:
        return files
    chosen: set[Path] = set()
    for path in paths:
        target = path.resolve()
        mine = {file for file in files if file == target or target in file.parents}
        if not mine:
            raise RatesError(f"{path}: the setup does not read it (see --config)")
        chosen |= mine
    return chosen


def _shown(path: Path) -> str:
    """`path` relative to the working directory when inside it, else absolute."""
    resolved, here = path.resolve(), Path.cwd().resolve()
    return resolved.relative_to(here).as_posix() if resolved.is_relative_to(here) \
        else resolved.as_posix()


def _record(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line or None,
            "column": problem.column or None, "severity": str(problem.severity),
            "check": str(problem.check_id), "message": problem.message}


def _summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(problem.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    found = [_count(n, noun) for n, noun in ((errors, "error"), (warnings, "warning")) if n]
    return f"{', '.join(found) or 'no problems'} in {_count(files, 'file')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
