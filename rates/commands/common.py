"""What several commands share: the --config option and reading a JSON file."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from rates.domain.errors import RatesError

DEFAULT_CONFIG = "config.example.yaml"


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path,
                        default=Path(os.environ.get("RATES_CONFIG", DEFAULT_CONFIG)),
                        help=f"configuration file (default: $RATES_CONFIG or {DEFAULT_CONFIG})")


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RatesError(f"{path}: cannot read the {what}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RatesError(f"{path}: not valid JSON: {error}") from None
