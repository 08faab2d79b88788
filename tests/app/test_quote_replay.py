"""Support sees the trace a checkout's answer leaves out: `GET /v1/quotes/{id}?explain=1`
gives, byte for byte, the document `POST /v1/quotes?explain=1` gave when the quote was
made, however the rules, the stock or the server changed since. The stored quote is
replayed on the setup version that served it (kept in the store), with the stock it read."""

import json
import sqlite3
from dataclasses import replace

import pytest

from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.settings import ApiKey, Role, hash_key
from rates.store import QuoteRecord, open_store
from rates.web.app import create_app
from rates.web.metrics import Metrics
from tests.support.project import CARTS
from tests.support.web import KEYS, NOW, auth, clock

EXAMPLE_CARTS = sorted(CARTS.glob("*.json"))


def post(client, cart, query=""):
    response = client.post(f"/v1/quotes{query}", json=cart, headers=auth(Role.QUOTE))
    assert response.status_code == 201, response.get_json()
    return response


def explained(client, quote_id):
    response = client.get(f"/v1/quotes/{quote_id}?explain=1", headers=auth(Role.SUPPORT))
    assert response.status_code == 200
    return response


def lean(document):
    """An explained document as a checkout is answered: no trace, no withheld options, and
    each shipment as what it carries and when it arrives (whether the carrier guarantees
    it, the option says)."""
    kept = {key: value for key, value in document.items()
            if key not in {"withheld", "unoffered"}}
    kept["options"] = [
        {**{key: value for key, value in option.items() if key != "trace"},
         "shipments": [{"allocations": s["allocations"], "delivery": s["delivery"]}
                       for s in option["shipments"]]}
        for option in document["options"]]
    return kept


@pytest.mark.parametrize("path", EXAMPLE_CARTS, ids=lambda p: p.stem)
def test_the_stored_quote_explains_as_explain_did_when_it_was_made(client, path):
    cart = json.loads(path.read_text())
    answered = post(client, cart, "?explain=1")
    assert answered.get_json()["options"][0]["trace"]
    quote_id = answered.get_json()["id"]
    assert explained(client, quote_id).get_data() == answered.get_data()


@pytest.mark.parametrize("path", EXAMPLE_CARTS, ids=lambda p: p.stem)
def test_a_checkout_answer_is_the_explained_one_less_its_details(client, path):
    cart = json.loads(path.read_text())
    answer = post(client, cart).get_json()
    assert all("trace" not in option for option in answer["options"])
    assert "withheld" not in answer
    replayed = explained(client, answer["id"]).get_json()
    assert lean(replayed) == answer
    assert all(option["trace"] for option in replayed["options"])
    # The stored record is the answer as sent; without explain the lookup serves it.
    stored = client.get(f"/v1/quotes/{answer['id']}", headers=auth(Role.SUPPORT))
    assert stored.get_json() == answer


def test_new_rules_stock_and_a_restart_do_not_change_what_a_quote_explains(
        client, app, reloading, example, tmp_path):
    cart = json.loads((CARTS / "mixed.json").read_text())
    answered = post(client, cart, "?explain=1")
    quote_id = answered.get_json()["id"]

    # A rule that makes every option 1.00 dearer, and a restock that moves every lot.
    rules = example.parent / "rules" / "default.yaml"
    rules.write_text(rules.read_text().replace("rules:\n", """rules:
  - id: dearer
    description: a dollar more, to tell the rules apart
    adjust: "+1.00"
""", 1))
    assert reloading.reload().errors == ()
    for sku in cart["lines"]:
        stock = client.get(f"/v1/inventory/{sku['sku']}", headers=auth(Role.SUPPORT))
        if stock.status_code == 200:
            client.put(f"/v1/inventory/{sku['sku']}", json={"on_hand": 0},
                       headers=auth(Role.ADMIN))
    now_quoted = post(client, cart, "?explain=1").get_json()
    assert now_quoted["ruleset"] != answered.get_json()["ruleset"]
    assert now_quoted["options"] != answered.get_json()["options"]
    assert explained(client, quote_id).get_data() == answered.get_data()

    # A new process on the same database: the setup version comes from the store.
    store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    restarted = ReloadingSetup(example, clock)
    settings = replace(restarted.current.settings, keys=tuple(
        ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items()))
    fresh = create_app(settings, ShippingService(restarted, store, clock), Metrics.create())
    try:
        assert explained(fresh.test_client(), quote_id).get_data() == answered.get_data()
    finally:
        store.close()


def test_a_quote_stored_before_quotes_were_replayable_is_shown_as_stored(client, app):
    service = app.config["RATES_SERVICE"]
    document = {"id": "q_old", "options": [{"id": "together/ups/ground", "trace": [
        {"rule": "free-ground-over-150", "effect": "-10.95", "price": "0.00"}]}]}
    service.store.save_quote(QuoteRecord("q_old", NOW, "v-old", None, {"lines": []},
                                         document))
    assert explained(client, "q_old").get_json() == document


def test_an_unknown_quote_is_not_found_with_or_without_explain(client):
    for query in ("", "?explain=1"):
        response = client.get(f"/v1/quotes/q_nothing{query}", headers=auth(Role.SUPPORT))
        assert response.status_code == 404


def test_postgresql_keeps_what_replays_a_quote(reloading, postgres_url, example_setup):
    store = open_store(postgres_url, default_location="reno")
    try:
        store.seed_inventory(reloading.current.inventory, NOW)
        service = ShippingService(reloading, store, clock)
        cart = json.loads((CARTS / "backordered.json").read_text())
        served = service.served_quote(cart, explain=True)
        replayed = ShippingService(ReloadingSetup(reloading.config_path, clock), store,
                                   clock).explained_quote(served.document["id"])
        assert replayed == json.loads(served.text)
        assert store.get_setup(reloading.current.sources.id).files.keys() == \
            reloading.current.sources.files.keys()
    finally:
        store.close()


def test_each_setup_version_is_stored_as_it_loads_not_by_its_first_quote(app, reloading,
                                                                         example):
    store = app.config["RATES_SERVICE"].store
    first = reloading.current.sources
    assert store.get_setup(first.id).files == {
        name: raw.decode() for name, raw in first.files.items()}
    rules = example.parent / "rules" / "default.yaml"
    rules.write_text(rules.read_text() + "\n# edited\n")
    assert reloading.reload().errors == ()
    second = reloading.current.sources
    assert second.id != first.id
    assert store.get_setup(second.id) is not None


def test_explain_says_yes_or_no_or_is_refused_by_name(client):
    cart = json.loads((CARTS / "in_stock.json").read_text())
    for said, traced in (("1", True), ("true", True), ("yes", True), ("0", False),
                         ("no", False)):
        document = post(client, cart, f"?explain={said}").get_json()
        assert ("trace" in document["options"][0]) is traced
    refused = client.post("/v1/quotes?explain=maybe", json=cart, headers=auth(Role.QUOTE))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        "explain": ["must be one of 1, true, yes, 0, false, no"]}
    quote_id = post(client, cart).get_json()["id"]
    looked_up = client.get(f"/v1/quotes/{quote_id}?explain=TRUE", headers=auth(Role.SUPPORT))
    assert looked_up.status_code == 422


@pytest.mark.parametrize("damage", ["gone", "no longer loads"])
def test_a_quote_whose_setup_version_cannot_be_loaded_says_so(client, reloading, example,
                                                               tmp_path, damage):
    quote_id = post(client, json.loads((CARTS / "mixed.json").read_text())).get_json()["id"]
    version = reloading.current.sources.id
    with sqlite3.connect(tmp_path / "rates.db") as connection:
        if damage == "gone":
            connection.execute("DELETE FROM setups WHERE id = ?", (version,))
        else:  # what a later release might refuse: here, a rules file cut short
            files = json.loads(connection.execute(
                "SELECT files FROM setups WHERE id = ?", (version,)).fetchone()[0])
            files["rules/default.yaml"] = "rules:\n  - id: [unclosed\n"
            connection.execute("UPDATE setups SET files = ? WHERE id = ?",
                               (json.dumps(files), version))
    # A new process serving edited rules: it has never loaded the quote's version.
    rules = example.parent / "rules" / "default.yaml"
    rules.write_text(rules.read_text() + "\n# edited\n")
    store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    service = ShippingService(ReloadingSetup(example, clock), store, clock)
    assert service.reloading.current.sources.id != version
    settings = replace(service.reloading.current.settings, keys=tuple(
        ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items()))
    fresh = create_app(settings, service, Metrics.create()).test_client()
    try:
        looked = fresh.get(f"/v1/quotes/{quote_id}?explain=1", headers=auth(Role.SUPPORT))
        assert looked.status_code == 409
        error = looked.get_json()["error"]
        assert error["code"] == "setup_unavailable"
        assert version in error["message"] and "quote the cart again" in error["message"]
        ordered = fresh.post("/v1/orders", json={
            "order_id": "o-1", "quote_id": quote_id, "option_id": "together/ups/ground"},
            headers=auth(Role.QUOTE))
        assert ordered.status_code == 409
        assert ordered.get_json()["error"]["code"] == "setup_unavailable"
        # The answer as sent is still there.
        assert fresh.get(f"/v1/quotes/{quote_id}",
                         headers=auth(Role.SUPPORT)).status_code == 200
    finally:
        store.close()


@pytest.mark.parametrize("path", EXAMPLE_CARTS[:3], ids=lambda p: p.stem)
def test_a_reused_answer_explains_as_the_quote_it_repeats(client, path):
    """A cart asked again within its minute is answered with that minute's answer
    (`rates.app.recent_answers`); support's look at it replays it like any other."""
    cart = json.loads(path.read_text())
    first, _kept, again = (post(client, cart).get_json() for _ in range(3))
    assert {**again, "id": first["id"]} == first
    replayed = explained(client, again["id"]).get_json()
    assert {**replayed, "id": first["id"]} == explained(client, first["id"]).get_json()
    assert lean(replayed) == again
