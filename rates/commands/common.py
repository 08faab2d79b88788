"""What several commands share: the --config option, ISO instants, the configured store as
of an instant, reading a JSON file."""

from __future__ import annotations

import argparse
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from rates.app.instants import parse_instant
from rates.app.reloading import ReloadingSetup
from rates.domain.errors import RatesError
from rates.store import Store, configured_url, open_store

DEFAULT_CONFIG = "config.example.yaml"


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path,
                        default=Path(os.environ.get("RATES_CONFIG", DEFAULT_CONFIG)),
                        help=f"configuration file (default: $RATES_CONFIG or {DEFAULT_CONFIG})")


def configured_store(config: Path, at: datetime) -> tuple[ReloadingSetup, Store]:
    """The setup of `config` as of `at`, and the store it names (a relative SQLite path is
    the config file's), as the service would open them. The caller closes the store."""
    reloading = ReloadingSetup(config, lambda: at)
    setup = reloading.current
    return reloading, open_store(configured_url(setup.settings.store_url, config),
                                 default_location=next(iter(setup.catalog.locations)))


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
