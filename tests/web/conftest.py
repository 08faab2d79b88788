"""An app on a private copy of the bundled example, with a fixed clock and known keys."""

from dataclasses import replace

import pytest
from web_support import KEYS, NOW, SHOP, SHOP_SECRET, clock

from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.settings import ApiKey, hash_key
from rates.store import open_store
from rates.web.app import create_app
from rates.web.metrics import Metrics


@pytest.fixture
def live(example) -> ReloadingSetup:
    return ReloadingSetup(example, clock)


@pytest.fixture
def metrics():
    return Metrics.create()


@pytest.fixture
def live_rates():
    """How the app asks live carriers; none here (tests of live carriers override it)."""
    return None


@pytest.fixture
def app(live, tmp_path, metrics, live_rates):
    store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    store.seed_inventory(live.current.inventory, NOW)
    keys = tuple(ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items())
    settings = replace(live.current.settings, keys=keys)
    app = create_app(settings, ShippingService(live, store, clock, live_rates), metrics,
                     shop_secrets={SHOP: SHOP_SECRET})
    yield app
    store.close()


@pytest.fixture
def client(app):
    return app.test_client()
