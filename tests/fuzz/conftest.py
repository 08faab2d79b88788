"""The web tests' app, reused: the fuzz and hostile-input tests attack the very app that
tests/web/conftest.py builds (the bundled example, a fixed clock, one key per role), not
a look-alike that could drift from it; `pg_app` is the same app on PostgreSQL.

tests/web is not a package, so its conftest is loaded here under a module name of its own
and its fixtures re-exported; `web_support` (its constants) is put on the path the way
pytest puts it there when tests/web itself is collected.
"""

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from rates.app.quoting import ShippingService
from rates.settings import ApiKey, hash_key
from rates.store import open_store
from rates.web.app import create_app

WEB = Path(__file__).resolve().parents[1] / "web"
if str(WEB) not in sys.path:
    sys.path.insert(0, str(WEB))

from web_support import KEYS, NOW, SHOP, SHOP_SECRET, clock  # noqa: E402 (needs the path)


def _load_web_fixtures():
    spec = importlib.util.spec_from_file_location("web_fixtures", WEB / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_web = _load_web_fixtures()
live = _web.live
metrics = _web.metrics
live_rates = _web.live_rates
app = _web.app
client = _web.client


@pytest.fixture
def pg_app(live, metrics, postgres_url):
    """The app with its store on PostgreSQL instead of SQLite: PostgreSQL is the store
    that refuses a NUL in text, so it is where a NUL that got through would show."""
    store = open_store(postgres_url, default_location="reno")
    store.seed_inventory(live.current.inventory, NOW)
    keys = tuple(ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items())
    settings = replace(live.current.settings, keys=keys)
    yield create_app(settings, ShippingService(live, store, clock), metrics,
                     shop_secrets={SHOP: SHOP_SECRET})
    store.close()
