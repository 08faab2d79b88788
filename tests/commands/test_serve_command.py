"""`rates serve` says at start which shops have no secret here, then serves anyway, and
refuses to start without a webhook signing secret it can use (the server itself is
replaced: tests/e2e/test_serve.py runs the real one)."""

import pytest

import rates.web.serve
from rates.cli import main
from tests.support.webhooks import SECRET


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
        "warning: shopify store example-outfitters.myshopify.com: $RATES_SHOPIFY_SECRET is not "
        "set (or is empty) here: Shopify's callbacks and webhooks for "
        "example-outfitters.myshopify.com will answer 404 unknown_shop until it holds the "
        "app's shared secret"]


def test_a_shop_with_its_secret_serves_quietly(example, served, monkeypatch, capsys):
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", "shpss_test_secret")
    assert main(["serve", "--config", str(example)]) == 0
    assert [line for line in capsys.readouterr().err.splitlines()
            if not line.startswith("serving ")] == []


def with_webhooks(example) -> None:
    with example.open("a") as config:
        config.write("webhooks: {url: 'https://shop.example.com/hooks/rates', "
                     "secret_env: RATES_WEBHOOK_SECRET}\n")


def test_an_old_style_webhook_secret_stops_it_before_serving(example, served, monkeypatch,
                                                            capsys):
    with_webhooks(example)
    monkeypatch.setenv("RATES_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef")
    assert main(["serve", "--config", str(example)]) == 2
    assert served == []
    assert capsys.readouterr().err.splitlines()[-1] == (
        "  webhooks.secret_env: $RATES_WEBHOOK_SECRET does not start with whsec_; it must hold "
        "a Standard Webhooks secret, whsec_ and the base64 of 24 to 64 random bytes: mint one "
        "with `rates keys webhook-secret`")


def test_a_standard_webhooks_secret_serves(example, served, monkeypatch):
    with_webhooks(example)
    monkeypatch.setenv("RATES_WEBHOOK_SECRET", SECRET)
    assert main(["serve", "--config", str(example)]) == 0
    assert len(served) == 1
