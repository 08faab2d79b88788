"""`pg_app`: the app the web tests use (tests/conftest.py: the bundled example, a fixed
clock, one key per role), on PostgreSQL instead of SQLite. The fuzz and hostile-input tests
attack that very app, not a look-alike that could drift from it."""

from dataclasses import replace

import pytest

from rates.app.quoting import ShippingService
from rates.settings import ApiKey, hash_key
from rates.store import open_store
from rates.web.app import create_app
from tests.support.web import KEYS, NOW, SHOP_SECRET, clock


@pytest.fixture
def pg_app(reloading, metrics, postgres_url):
    """The app with its store on PostgreSQL instead of SQLite: PostgreSQL is the store
    that refuses a NUL in text, so it is where a NUL that got through would show."""
    store = open_store(postgres_url, default_location="reno")
    store.seed_inventory(reloading.current.inventory, NOW)
    keys = tuple(ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items())
    settings = replace(reloading.current.settings, keys=keys)
    yield create_app(settings, ShippingService(reloading, store, clock), metrics,
                     environ={"RATES_SHOPIFY_SECRET": SHOP_SECRET})
    store.close()
