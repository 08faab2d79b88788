"""Constants and helpers of the tests that drive the app (tests/web, tests/app, tests/fuzz):
the fixed clock (and one a test moves), one key per role, the Shopify shop, and signing in
to the console. The
app fixtures themselves (`reloading`, `metrics`, `live_rates`, `app`, `client`) are in
tests/conftest.py."""

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from rates.settings import Role

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno, before the cutoff
KEYS = {role: f"rk_test_{role}_key_0123456789abcdef" for role in Role}
SHOP = "example-outfitters.myshopify.com"
SHOP_SECRET = "shpss_test_secret"


def clock() -> datetime:
    return NOW


@dataclass
class MovingClock:
    """A clock the test moves (`clock.now += timedelta(...)`), starting at NOW."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


def on_moving_clock(app) -> MovingClock:
    """Put `app`'s service on a clock the test moves, and return that clock."""
    moving = MovingClock()
    app.config["RATES_SERVICE"] = replace(app.config["RATES_SERVICE"], clock=moving)
    return moving


def auth(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def token(page: bytes) -> str:
    """The CSRF token a console page's forms carry."""
    found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1).decode()


def sign_in(client, key: str, next_: str = "/support", *, address: str = "127.0.0.1"):
    """Sign in to the console as a browser at `address` would."""
    form = {"key": key, "next": next_,
            "csrf_token": token(client.get("/support/sign-in").data)}
    return client.post("/support/sign-in", data=form, environ_base={"REMOTE_ADDR": address})
