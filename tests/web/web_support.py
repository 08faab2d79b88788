"""Constants and helpers the web tests share (fixtures are in conftest.py)."""

from datetime import UTC, datetime
from pathlib import Path

from rates.settings import Role

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno, before the cutoff
KEYS = {role: f"rk_test_{role}_key_0123456789abcdef" for role in Role}
SHOP = "example-outfitters.myshopify.com"
SHOP_SECRET = "shpss_test_secret"


def clock() -> datetime:
    return NOW


def auth(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}
