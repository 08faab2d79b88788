"""What several commands share: the --config option, ISO instants, reading a JSON file."""

from __future__ import annotations

import argparse
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from rates.app.instants import parse_instant
from rates.domain.errors import RatesError

DEFAULT_CONFIG = "config.example.yaml"


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path,
                        default=Path(os.environ.get("RATES_CONFIG", DEFAULT_CONFIG)),
                        help=f"configuration file (default: $RATES_CONFIG or {DEFAULT_CONFIG})")


def instant(text: str) -> datetime:
    """An argparse type: an ISO 8601 instant with its offset (`--at`)."""
    try:
        return parse_instant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RatesError(f"{path}: cannot read the {what}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RatesError(f"{path}: not valid JSON: {error}") from None
