"""The public Python API (`rates.load`, `Engine`): what a merchant's own code or a notebook
gets is exactly what the `rates` command prints, so the two can never drift apart."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import rates
from rates.domain.errors import ConfigError, InvalidRequest
from tests.support.project import CARTS, ROOT
from tests.support.project import EXAMPLE_CONFIG as CONFIG

MIXED = CARTS / "mixed.json"
AT = "2026-11-23T09:30:00-08:00"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rates.cli", *args], cwd=cwd,  # noqa: S603
                          capture_output=True, text=True, check=False)


def without(document: dict, *keys: str) -> dict:
    return {key: value for key, value in document.items() if key not in keys}


def test_a_quote_is_the_document_that_rates_quote_json_prints():
    shown = cli("quote", str(MIXED), "--json", "--at", AT, "--config", str(CONFIG))
    assert shown.returncode == 0, shown.stderr
    document = rates.load(CONFIG).quote(json.loads(MIXED.read_text()),
                                        at=datetime.fromisoformat(AT))
    assert without(document, "id") == without(json.loads(shown.stdout), "id")
    assert document["id"].startswith("q_")
    # Hand-checked from the README's tour: together by UPS Ground, Dec 30 - Jan 11, $18.66.
    first = document["options"][0]
    assert (first["id"], first["price"], first["delivery"]) == (
        "together/ups/ground", {"amount": "18.66", "currency": "USD"},
        {"earliest": "2026-12-30", "latest": "2027-01-11", "confidence": None, "likely": None})


def test_explain_adds_the_trace_as_the_command_does():
    shown = cli("quote", str(MIXED), "--json", "--explain", "--at", AT, "--config", str(CONFIG))
    document = rates.load(CONFIG).quote(json.loads(MIXED.read_text()),
                                        at=datetime.fromisoformat(AT), explain=True)
    assert without(document, "id") == without(json.loads(shown.stdout), "id")


def test_without_at_the_engine_quotes_on_the_clock_it_was_given():
    monday = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    engine = rates.load(CONFIG, clock=lambda: monday)
    cart = without(json.loads(MIXED.read_text()), "ordered_at")
    document = engine.quote(cart)
    assert document["ordered_at"] == "2026-11-23T17:30:00+00:00"
    assert document == {**engine.quote(cart, at=monday), "id": document["id"]}


def test_a_bad_cart_names_each_bad_field():
    with pytest.raises(InvalidRequest) as refused:
        rates.load(CONFIG).quote({"destination": {"country": "US"}, "lines": [
            {"sku": "TENT-2P", "quantity": 0}]})
    assert "lines.0.quantity" in refused.value.fields


def test_load_refuses_a_broken_setup_listing_its_problems(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.read_text().replace("rules:", "rulez:", 1))
    with pytest.raises(ConfigError):
        rates.load(config)


def test_check_returns_the_problems_rates_check_prints(example):
    rules = example.parent / "rules" / "default.yaml"
    rules.write_text(rules.read_text().replace("{plan: together,", "{plan: togther,", 1))

    problems = rates.Engine(example).check()
    shown = cli("check", "--format", "json", "--config", example.name, cwd=example.parent)

    assert shown.returncode == 2
    printed = [(p["file"], p["line"], p["column"], p["message"]) for p in json.loads(shown.stdout)]
    assert [(p.file, p.line or None, p.column or None, p.message) for p in problems] == printed
    assert any("did you mean 'together'" in message for *_, message in printed)


def test_the_pure_domain_does_not_load_the_engine():
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import sys, rates.domain.money; "
         "print(sorted(m for m in ('yaml', 'marshmallow', 'babel', 'flask') if m in sys.modules))"],
        capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
