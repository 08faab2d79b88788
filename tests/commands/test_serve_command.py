"""`rates serve` says at start which shops have no secret here, then serves anyway (the
server itself is replaced: tests/e2e/test_serve.py runs the real one)."""

import pytest

import rates.web.serve
from rates.cli import main


@pytest.fixture
def served(monkeypatch):
    """What `rates serve` would have served: (config, server settings), once called."""
    calls = []
    monkeypatch.setattr(rates.web.serve, "serve",
                        lambda config, server, setup: calls.append((config, server)))
    return calls


def test_a_shop_without_its_secret_is_named_at_start(example, served, monkeypatch, capsys):
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", "")
    assert main(["serve", "--config", str(example)]) == 0
    assert len(served) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[1:] == [
        "warning: shop example-outfitters.myshopify.com: $RATES_SHOPIFY_SECRET is not set (or "
        "is empty) here: Shopify's callbacks for example-outfitters.myshopify.com will answer "
        "404 unknown_shop until it holds the app's shared secret"]


def test_a_shop_with_its_secret_serves_quietly(example, served, monkeypatch, capsys):
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", "shpss_test_secret")
    assert main(["serve", "--config", str(example)]) == 0
    assert [line for line in capsys.readouterr().err.splitlines()
            if not line.startswith("serving ")] == []
