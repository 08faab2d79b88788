"""With `explain`, a quote's document is what it was before the quote core was reshaped for
speed (per-setup tables, cached rule shortlists, options withheld before pricing): byte
for byte, on every cart of the benchmark scenario (its 60- and 1000-rule setups) and of
the bundled example. The golden files were written by the code before that change; the
speed work must be invisible in every option, price, date, label and trace step.

The 1000-rule documents (160 KB gzipped each, most of it skipped rules) are kept as
SHA-256 digests; the others whole, so a difference can be read.

Regenerate with RATES_UPDATE_GOLDEN=1 only for a change that means to alter a document,
after reading the difference (`zcat` the old file and compare)."""

import gzip
import hashlib
import json
import os
from datetime import UTC, datetime

import pytest

from rates.app.cart_quotes import quote_cart, voice
from rates.loading import load_setup
from rates.wire.jsontext import dumps
from rates.wire.response import Detail, quote_document
from tests.benchmarks.test_benchmark_scenario import scenario
from tests.support.project import EXAMPLE_CONFIG, EXAMPLE_TODAY, ROOT

GOLDEN = ROOT / "tests" / "e2e" / "golden" / "explain"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
SCENARIO_RULES = (60, 1000)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return scenario.write_scenario(tmp_path_factory.mktemp("scenario"))


def _compare_digests(name: str, texts: dict[str, bytes]) -> None:
    path = GOLDEN / f"{name}.sha256.json"
    digests = {cart: hashlib.sha256(text).hexdigest() for cart, text in texts.items()}
    if os.environ.get("RATES_UPDATE_GOLDEN"):
        path.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    assert digests == json.loads(path.read_text())


def _compare(name: str, text: bytes) -> None:
    path = GOLDEN / f"{name}.json.gz"
    if os.environ.get("RATES_UPDATE_GOLDEN"):
        path.write_bytes(gzip.compress(text, mtime=0))
    expected = gzip.decompress(path.read_bytes())
    if text != expected:
        # Say where they part, not 100 KB of JSON.
        at = next(i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b) \
            if len(text) == len(expected) or text[:len(expected)] != expected else len(expected)
        raise AssertionError(f"{name}: differs at byte {at}: "
                             f"{text[max(0, at - 200):at + 200]!r}\n  was "
                             f"{expected[max(0, at - 200):at + 200]!r}")


def _explained(setup, payload, explain=True) -> bytes:
    """The document with every option's trace: a checkout quote's (`explain` False) too,
    whose trace lists the rules applied, so that its steps are compared as well."""
    result = quote_cart(setup, payload, now=NOW, explain=explain)
    return dumps(quote_document(result, "q_golden", voice(setup, payload),
                                        detail=Detail.EXPLAIN))


@pytest.mark.parametrize("rules", SCENARIO_RULES)
def test_every_scenario_cart_quotes_as_before_without_explain(written, rules):
    """The quote a checkout gets (applied rules only, withheld options dropped unpriced):
    the same options, and the same steps for them, as before."""
    setup = load_setup(written.config_with(rules), today=NOW.date())
    carts = sorted(p.stem for p in (written.folder / "carts").glob("*.json"))
    _compare_digests(f"scenario-{rules}-checkout",
                     {cart: _explained(setup, written.cart(cart), explain=False)
                      for cart in carts})


def test_every_example_cart_quotes_as_before_without_explain():
    setup = load_setup(EXAMPLE_CONFIG, today=EXAMPLE_TODAY)
    _compare_digests("example-checkout", {
        path.stem: _explained(setup, json.loads(path.read_text()), explain=False)
        for path in sorted((ROOT / "examples" / "carts").glob("*.json"))})


@pytest.mark.parametrize("rules", SCENARIO_RULES)
def test_every_scenario_cart_explains_as_before(written, rules):
    setup = load_setup(written.config_with(rules), today=NOW.date())
    carts = sorted(p.stem for p in (written.folder / "carts").glob("*.json"))
    assert len(carts) == 8  # reference, horizons and line counts
    texts = {cart: _explained(setup, written.cart(cart)) for cart in carts}
    if rules == 1000:
        _compare_digests(f"scenario-{rules}", texts)
        return
    for cart, text in texts.items():
        _compare(f"scenario-{rules}-{cart}", text)


def test_every_example_cart_explains_as_before():
    setup = load_setup(EXAMPLE_CONFIG, today=EXAMPLE_TODAY)
    carts = sorted((ROOT / "examples" / "carts").glob("*.json"))
    assert len(carts) == 8
    for path in carts:
        _compare(f"example-{path.stem}", _explained(setup, json.loads(path.read_text())))
