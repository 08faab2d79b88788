"""The benchmark scenario is what the benchmarks claim it is: deterministic, accepted by the
real loader, and a reference cart of the promised shape. No timings are asserted here;
`make test` runs each benchmark once in smoke mode for that."""

import json
from datetime import date

import pytest
import yaml

from rates.app.cart_quotes import quote_cart
from rates.cli import main
from rates.loading import load_setup
from tests.support.benchmarks import load_module

scenario = load_module("scenario")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return scenario.write_scenario(tmp_path_factory.mktemp("scenario"))


def files(folder):
    return {path.relative_to(folder): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_same_seed_writes_the_same_bytes(written, tmp_path):
    again = scenario.write_scenario(tmp_path / "again")
    assert files(again.folder) == files(written.folder)


@pytest.mark.parametrize("rules", scenario.RULE_SETS)
def test_rates_check_accepts_every_generated_setup(written, rules, capsys):
    assert main(["check", "--config", str(written.config_with(rules))]) in (0, 1)
    setup = load_setup(written.config_with(rules), today=scenario.ORDERED_AT.date())
    assert len(setup.ruleset.rules) == (rules if isinstance(rules, int) else 1000)
    assert len(setup.catalog.locations) == 3
    assert len(setup.catalog.carriers) == 4


def stock_of(written, name):
    """Per line of cart `name`: units on hand, and the days from the order to each end of
    each inbound lot's ETA range."""
    inventory = yaml.safe_load((written.folder / "inventory.yaml").read_text())
    ordered = scenario.ORDERED_AT.date()
    for line in written.cart(name)["lines"]:
        places = inventory[line["sku"]]["locations"]
        lots = [lot for place in places for lot in place.get("inbound", [])]
        yield (line["quantity"], sum(place.get("on_hand", 0) for place in places),
               [(date.fromisoformat(lot[end]) - ordered).days
                for lot in lots for end in ("earliest", "latest")])


def test_the_reference_cart_has_12_lines_on_hand_partly_and_backordered(written):
    lines = list(stock_of(written, "reference"))
    kinds = {"on hand" if on_hand >= quantity else "partly" if on_hand else "backordered"
             for quantity, on_hand, _ in lines}
    assert len(lines) == 12
    assert kinds == {"on hand", "partly", "backordered"}


@pytest.mark.parametrize("name, horizon", [("reference", 180), *(
    (f"horizon-{days}", days) for days in scenario.HORIZONS)])
def test_restocks_land_3_to_n_days_after_the_order(written, name, horizon):
    days_out = [days for _, _, lots in stock_of(written, name) for days in lots]
    assert (min(days_out), max(days_out)) == (3, horizon)


def test_every_cart_gets_options_on_the_reference_setup(written):
    setup = load_setup(written.config, today=scenario.ORDERED_AT.date())
    for path in sorted((written.folder / "carts").glob("*.json")):
        result = quote_cart(setup, json.loads(path.read_text()), now=scenario.ORDERED_AT)
        assert result.options, path.name


def test_the_floor_answers_json_of_exactly_the_size_asked():
    floor_app = load_module("floor_app")
    body = floor_app.constant_body(20_000)
    assert len(body) == 20_000 and json.loads(body)
    response = floor_app.create_floor_app(500).test_client().post(
        "/v1/quotes", json={"lines": []})
    assert response.status_code == 201 and len(response.get_data()) == 500


def test_rules_aimed_elsewhere_change_no_quote_of_the_10_rule_setup(written):
    def quotes(rules):
        setup = load_setup(written.config_with(rules), today=scenario.ORDERED_AT.date())
        return [[(o.id, o.price, o.label, o.rules) for o in quote_cart(
                    setup, json.loads(path.read_text()), now=scenario.ORDERED_AT).options]
                for path in sorted((written.folder / "carts").glob("*.json"))]

    assert quotes(scenario.ELSEWHERE) == quotes(10)
    assert quotes(scenario.POSTCODES) == quotes(10)


@pytest.mark.parametrize("rules", [60, 1000, scenario.ELSEWHERE, scenario.POSTCODES])
def test_the_fast_path_quotes_exactly_what_full_evaluation_does(written, rules):
    # The normal path filters rules through the index and drops withheld options before
    # pricing them; explain evaluates every rule on every option. The generated rules use
    # every condition and action kind, so this is the widest check that both agree.
    config = written.config if rules == 60 else written.config_with(rules)
    setup = load_setup(config, today=scenario.ORDERED_AT.date())

    def shown(quote):
        return ([(o.id, o.price, o.label, o.delivery, [s.price for s in o.shipments])
                 for o in quote.options], quote.messages)

    for path in sorted((written.folder / "carts").glob("*.json")):
        payload = json.loads(path.read_text())
        fast = quote_cart(setup, payload, now=scenario.ORDERED_AT)
        full = quote_cart(setup, payload, now=scenario.ORDERED_AT, explain=True)
        assert shown(fast) == shown(full), path.name


def totals(written):
    """Per SKU: units on hand and units inbound, over every location."""
    inventory = yaml.safe_load((written.folder / "inventory.yaml").read_text())
    return {sku: (sum(p.get("on_hand", 0) for p in stock["locations"]),
                  sum(lot["quantity"] for p in stock["locations"] for lot in p.get("inbound", [])))
            for sku, stock in inventory.items()}


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    return {n: scenario.write_scenario(tmp_path_factory.mktemp(f"locations-{n}"), locations=n)
            for n in (1, 3, 10)}


@pytest.mark.parametrize("n", [1, 3, 10])
def test_the_n_location_scenario_loads_and_quotes_with_the_same_stock_per_sku(
        written, spread, n):
    setup = load_setup(spread[n].config, today=scenario.ORDERED_AT.date())
    assert len(setup.catalog.locations) == n
    assert quote_cart(setup, spread[n].cart(), now=scenario.ORDERED_AT).options
    assert totals(spread[n]) == totals(spread[1]) == totals(written)


def test_ten_locations_hold_some_lines_in_one_place_and_some_in_several(spread):
    inventory = yaml.safe_load((spread[10].folder / "inventory.yaml").read_text())
    places = [len(inventory[line["sku"]]["locations"]) for line in spread[10].cart()["lines"]]
    assert min(places) == 1 and max(places) == 3
    held = {p["location"] for stock in inventory.values() for p in stock["locations"]}
    assert len(held) == 10


def test_every_carrier_collects_at_each_of_ten_locations(spread):
    setup = load_setup(spread[10].config, today=scenario.ORDERED_AT.date())
    for carrier in setup.catalog.carriers.values():
        assert all(carrier.collects_at(place) for place in setup.catalog.locations), carrier.id
