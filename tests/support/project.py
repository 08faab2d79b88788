"""The project's own files the tests read: the repository root, the bundled example (the
`example` fixture copies it for a test to edit; `example_setup` is it loaded once), and
benchmarks/."""

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository: rates/, tests/, config.example.yaml and what it names, docs/, ..."""

EXAMPLE_CONFIG = ROOT / "config.example.yaml"
"""The bundled example; carriers/, rules/ and examples/ beside it hold what it names."""

CARTS = ROOT / "examples" / "carts"
"""The example carts, all ordered Mon 2026-11-23 09:30 Pacific."""

EXAMPLE_TODAY = date(2026, 11, 23)
"""The day the `example_setup` fixture loads the example on: the day its carts are ordered."""

SHOPIFY_RATE_REQUEST = ROOT / "tests" / "platforms" / "shopify" / "fixtures" / "rate_request.json"
"""The rate request Shopify documents for carrier services (see tests/wire/test_shopify.py)."""

SHOPIFY_ORDER = ROOT / "tests" / "platforms" / "shopify" / "fixtures" / "order_created.json"
"""The order Shopify documents as the orders/create webhook's sample payload, trimmed (see
tests/support/shopify.py)."""

SHOPIFY_FULFILLMENT = (ROOT / "tests" / "platforms" / "shopify" / "fixtures"
                       / "fulfillment_created.json")
"""The fulfillment Shopify documents as the fulfillments/create webhook's sample payload,
verbatim (see tests/support/shopify.py)."""

SHOPIFY_FULFILLMENT_EVENT = (ROOT / "tests" / "platforms" / "shopify" / "fixtures"
                             / "fulfillment_event_created.json")
"""The fulfillment event Shopify documents as the fulfillment_events/create webhook's
sample payload, verbatim (see tests/support/shopify.py)."""

PLURAL_RULES = ROOT / "tests" / "wire" / "fixtures" / "plural-rules.yaml"
"""A test-only rules file wording Polish and Russian items by every plural category they
use (see tests/wire/test_voice.py)."""

BENCHMARKS = ROOT / "benchmarks"
"""Scripts, not tests; tests/benchmarks, tests/reliability and test_yamlio_loaders.py import
a few of them."""

RATES = Path(sys.executable).with_name("rates")
"""The `rates` command installed beside this Python."""
