"""`rates schema [--out DIR] [--check]`: write the JSON Schemas of the three YAML
families, or, with --check, exit 1 when the committed ones differ from what the loader's
schemas generate now (for CI: a loader change must come with its regenerated schemas)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rates.domain.errors import RatesError
from rates.loading.editor_schemas import generated

DEFAULT_OUT = Path("schemas")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "schema", help="write the JSON Schemas of the config, carrier and rules files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"where the schemas go (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the files in DIR are not current")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = generated()
    return check(args.out, files) if args.check else write(args.out, files)


def check(folder: Path, files: dict[str, str]) -> int:
    current = {name: _current(folder / name) for name in files}
    stale = [name for name, text in files.items() if current[name] != text]
    for name in stale:
        state = "is missing" if current[name] is None else "is out of date"
        print(f"{folder / name} {state}: run `rates schema --out {folder}`", file=sys.stderr)
    if stale:
        return 1
    print(f"{len(files)} schemas in {folder} are up to date")
    return 0


def write(folder: Path, files: dict[str, str]) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            print(f"wrote {folder / name}")
    except OSError as error:
        raise RatesError(f"cannot write the schemas to {folder}: {error.strerror}") from None
    return 0


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
