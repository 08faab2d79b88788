"""rules/README.md keeps its promises: every YAML example in it loads, as part of a rules
file with the zones and services of rules/default.yaml (what the README says its examples
assume) on the example config's carriers, and several do to a quote what the text says.

The carts are the bundled ones, ordered Mon 2026-11-23 from reno:
- in_stock.json to NV: 1.985 kg, subtotal 207.95, everything on the shelf;
- mixed.json to CA: TENT-2P x3 (2 on hand), LANTERN x2, STOVE-2B x1 (backordered),
  subtotal 575.95, customer tag vip. `in_stock_first` splits it into 2 tents + 2 lanterns
  (7.2 kg) now and 1 tent + the stove (7.3 kg) later; `together` is one 14.5 kg parcel.
UPS Ground from reno to CA is its "local" zone: 15.95 from 5 kg, 21.95 from 10 kg.
"""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rates.app.cart_quotes import quote_cart
from rates.domain.quote.result import Quote
from rates.domain.rules.evaluation import RuleApplied
from rates.loading import Setup, load_setup
from rates.loading.rule_compiler import ACTIONS
from tests.support.project import CARTS, EXAMPLE_CONFIG, EXAMPLE_TODAY, ROOT

README = ROOT / "rules" / "README.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXAMPLES = [yaml.safe_load(text) for text in BLOCK.findall(README.read_text())]


def _name(example: dict) -> str:
    rules = example.get("rules") or [{}]
    return rules[0].get("id") or "+".join(example)


def rules_file(example: dict, folder: Path) -> Path:
    """`example` over the currency, zones and services of rules/default.yaml."""
    default = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text())
    merged = {key: default[key] for key in ("currency", "zones", "services")} | example
    path = folder / "readme-example.yaml"
    path.write_text(yaml.safe_dump(merged, sort_keys=False))
    return path


def quote(cart: str, setup: Setup, *, explain: bool = False) -> Quote:
    """The bundled `cart` quoted on `setup`: the example's, or the example with other rules.
    With `explain`, each option's trace names every rule that applied."""
    payload = json.loads((CARTS / cart).read_text())
    return quote_cart(setup, payload, now=datetime(2026, 11, 23, 17, 30, tzinfo=UTC),
                      explain=explain)


def quote_with(rule_id: str, cart: str, folder: Path, *, explain: bool = False) -> Quote:
    """`cart` quoted under the README example that defines `rule_id`."""
    rules = rules_file(with_rule(rule_id), folder)
    return quote(cart, load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY, rules=rules), explain=explain)


def with_rule(rule_id: str) -> dict:
    """The README example that defines `rule_id`."""
    [found] = [example for example in EXAMPLES
               if rule_id in [rule["id"] for rule in example.get("rules", [])]]
    return found


def options(result: Quote) -> dict:
    return {option.id: option for option in result.options}


def prices(option) -> list[Decimal]:
    return [shipment.price.amount for shipment in option.shipments]


def applied(option) -> list[str]:
    """The rules that applied to an option of an explained quote, in order."""
    return [entry.rule for entry in option.rules if isinstance(entry, RuleApplied)]


def test_the_readme_has_an_example_for_each_part_of_the_format():
    keys = {key for example in EXAMPLES for key in example}
    assert keys == {"currency", "zones", "services", "plans", "rules", "wording",
                    "wording_default"}
    actions = {action for example in EXAMPLES for rule in example.get("rules", [])
               for action in ACTIONS if action in rule}
    assert actions == set(ACTIONS)


@pytest.mark.parametrize("example", EXAMPLES, ids=[_name(e) for e in EXAMPLES])
def test_each_example_loads_without_problems(example, tmp_path):
    load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY, rules=rules_file(example, tmp_path))


def test_stop_keeps_free_ground_free_while_the_rest_pay_the_fuel_surcharge(tmp_path):
    found = options(quote_with("free-ground-over-75", "in_stock.json", tmp_path, explain=True))
    ground = found["together/ups/ground"]
    # 1.985 kg, NV from reno: 10.95 from the table; 207.95 >= 75 and all in stock: free,
    # and the stop keeps the 5% surcharge off it.
    assert prices(ground) == [Decimal("0.00")]
    assert applied(ground) == ["free-ground-over-75"]
    air = found["together/ups/2nd_day_air"]
    assert air.shipments[0].base_price.amount == Decimal("26.95")
    assert prices(air) == [Decimal("28.30")]  # 26.95 + 5% (1.3475, to the cent 1.35)


def test_a_per_item_fee_lands_on_the_shipment_that_waits(tmp_path):
    found = options(quote_with("backorder-handling-fee", "mixed.json", tmp_path))
    # 2 units wait (1 tent, 1 stove): + 2 x 1.50 on the later shipment only.
    assert prices(found["in_stock_first/ups/ground"]) == [Decimal("15.95"), Decimal("18.95")]
    # Together, the one parcel waits, with all 6 units: 21.95 + 6 x 1.50.
    assert prices(found["together/ups/ground"]) == [Decimal("30.95")]


def test_the_restocked_part_of_a_split_ships_free(tmp_path):
    found = options(quote_with("second-shipment-free-over-100", "mixed.json", tmp_path))
    assert prices(found["in_stock_first/ups/ground"]) == [Decimal("15.95"), Decimal("0.00")]
    assert prices(found["together/ups/ground"]) == [Decimal("21.95")]  # not a split plan


def test_block_withholds_express_with_a_message_and_hide_silently(tmp_path):
    result = quote_with("no-express-for-backorders", "mixed.json", tmp_path)
    services = {option.service.key for option in result.options}
    assert "ups/next_day_air" not in services
    assert not any(key.startswith("usps/") for key in services)  # the cart's customer is vip
    assert "ups/ground" in services
    assert [m.message for m in result.messages if m.code == "blocked"] == [
        "Express shipping is only available when every item is in stock"]


def test_the_label_template_fills_in_the_current_label(tmp_path):
    found = options(quote_with("one-box-label", "mixed.json", tmp_path))
    assert found["together/ups/ground"].label == \
        "UPS Ground - ship everything together (one box, when the last item is in)"
    assert found["in_stock_first/ups/ground"].label == \
        "UPS Ground - in-stock items now, the rest when restocked"


def test_a_percentage_discount_applies_to_the_price_so_far(tmp_path):
    found = options(quote_with("patience-discount", "mixed.json", tmp_path))
    # 21.95 - 15% = 18.6575, rounded to 18.66; only `together` waits for everything.
    assert prices(found["together/ups/ground"]) == [Decimal("18.66")]
    assert prices(found["in_stock_first/ups/ground"]) == [Decimal("15.95"), Decimal("15.95")]


def test_the_worked_example_of_the_order_of_evaluation(example_setup):
    option = options(quote("mixed.json", example_setup, explain=True))[
        "in_stock_first/ups/ground"]
    assert [s.base_price.amount for s in option.shipments] == [Decimal("15.95")] * 2
    assert prices(option) == [Decimal("15.95"), Decimal("0.00")]
    assert applied(option) == ["second-shipment-free-over-100", "ground-within-bounds"]
