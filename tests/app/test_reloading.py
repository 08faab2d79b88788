"""Safe reloads: a broken rules file never replaces the live rules, and every quote is
priced by one complete ruleset even while the files change under load."""

import json
import re
import threading
import time

import pytest

from rates.app.reloading import ReloadingSetup
from rates.domain.errors import ConfigError
from rates.settings import Role
from tests.support.project import CARTS
from tests.support.web import auth, clock

MIXED = json.loads((CARTS / "mixed.json").read_text())
PATIENCE = 'adjust: "-15%"'


def rules_file(example):
    return example.parent / "rules" / "default.yaml"


def edit(example, old, new):
    path = rules_file(example)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def together_ground(client):
    document = client.post("/v1/quotes", json=MIXED, headers=auth(Role.QUOTE)).get_json()
    price = next(o["price"]["amount"] for o in document["options"]
                 if o["id"] == "together/ups/ground")
    return document["ruleset"], price


def reload(client):
    return client.post("/v1/rules/reload", headers=auth(Role.ADMIN))


def test_rules_status_names_the_live_version(client):
    status = client.get("/v1/rules", headers=auth(Role.SUPPORT)).get_json()
    assert status["version"].startswith("sha256:")
    assert status["errors"] == []
    assert status["rules"] > 0


def test_a_broken_file_is_rejected_and_the_last_good_rules_keep_serving(client, example):
    version, price = together_ground(client)
    edit(example, PATIENCE, 'adjust: "-15 percent"')
    response = reload(client)
    assert response.status_code == 422
    status = response.get_json()
    assert status["version"] == version
    assert any(re.fullmatch(r"rules/default\.yaml:\d+:13: error: not an amount or percent: "
                            r"'-15 percent' .* \[bad-value\]", e)
               for e in status["errors"]), status["errors"]
    assert together_ground(client) == (version, price)
    assert client.get("/v1/rules", headers=auth(Role.SUPPORT)).get_json()["errors"]


def test_a_file_that_is_not_utf_8_is_rejected_and_the_last_good_rules_keep_serving(
        client, example):
    version, price = together_ground(client)
    path = rules_file(example)
    raw = path.read_bytes()
    line = raw[:raw.index(PATIENCE.encode())].count(b"\n") + 1
    # A Latin-1 "é" after `    adjust: "-15%"  # caf`: 25 characters, so at column 26.
    path.write_bytes(raw.replace(PATIENCE.encode(), PATIENCE.encode() + b"  # caf\xe9"))
    response = reload(client)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        f"rules/default.yaml:{line}:26: error: not UTF-8 (byte 0xe9: invalid continuation "
        "byte): save the file as UTF-8 [encoding]"]
    assert together_ground(client) == (version, price)


def test_a_fixed_file_is_swapped_in_and_quotes_name_the_new_version(client, example):
    version, price = together_ground(client)
    edit(example, PATIENCE, 'adjust: "-50%"')
    response = reload(client)
    assert response.status_code == 200 and response.get_json()["errors"] == []
    new_version, new_price = together_ground(client)
    assert new_version != version
    # UPS Ground, 14.5 kg in zone local: 21.95. The discount is rounded, half away from
    # zero (in the shopper's favour): 15% = 3.2925 -> 3.29, so 18.66; 50% = 10.975 -> 10.98,
    # so 10.97.
    assert (price, new_price) == ("18.66", "10.97")


def test_reload_needs_the_admin_role(client):
    assert reload(client).status_code == 200
    response = client.post("/v1/rules/reload", headers=auth(Role.SUPPORT))
    assert response.status_code == 403


def test_the_watcher_notices_a_changed_file(reloading, example):
    before = reloading.status.version
    assert reloading.reload_if_changed() is False
    edit(example, PATIENCE, 'adjust: "-20%"')
    assert reloading.reload_if_changed() is True
    assert reloading.status.version != before
    assert reloading.current.ruleset.version == reloading.status.version


def test_the_watcher_thread_reloads_by_itself(reloading, example):
    before = reloading.status.version
    reloading.watch(0.05)
    try:
        edit(example, PATIENCE, 'adjust: "-20%"')
        deadline = time.monotonic() + 10
        while reloading.status.version == before and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        reloading.stop()
    assert reloading.status.version != before


def test_every_quote_uses_one_complete_ruleset_while_files_change(app, example):
    """Four threads quote while the main thread rewrites the rules: a valid version, a
    broken one, the original, again and again, reloading after each write. Every answer
    must be a 201 whose price is the one its named ruleset gives."""
    client = app.test_client()
    original, original_price = together_ground(client)
    edit(example, PATIENCE, 'adjust: "-50%"')
    assert reload(client).status_code == 200
    halved, halved_price = together_ground(client)
    expected = {original: original_price, halved: halved_price}

    results, failures, stop = [], [], threading.Event()

    def shopper():
        local = app.test_client()
        while not stop.is_set():
            response = local.post("/v1/quotes", json=MIXED, headers=auth(Role.QUOTE))
            if response.status_code != 201:
                failures.append(response.status_code)
                continue
            document = response.get_json()
            results.append((document["ruleset"], next(
                o["price"]["amount"] for o in document["options"]
                if o["id"] == "together/ups/ground")))

    threads = [threading.Thread(target=shopper) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            edit(example, 'adjust: "-50%"', 'adjust: "-50 %%"')   # broken
            reload(client)
            edit(example, 'adjust: "-50 %%"', PATIENCE)           # original
            reload(client)
            edit(example, PATIENCE, 'adjust: "-50%"')             # halved
            reload(client)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert len(results) >= 20
    assert {version for version, _ in results} <= set(expected)
    assert all(expected[version] == price for version, price in results)


def test_reloads_are_counted_in_metrics_whoever_starts_them(client, reloading, example):
    edit(example, PATIENCE, 'adjust: "-15 percent"')
    reloading.reload_if_changed()               # the watcher's path: rejected
    edit(example, 'adjust: "-15 percent"', PATIENCE)
    reload(client)                              # the API's path: ok
    text = client.get("/metrics", headers=auth(Role.ADMIN)).get_data(as_text=True)
    assert 'rates_rules_reloads_total{result="rejected"} 1.0' in text
    assert 'rates_rules_reloads_total{result="ok"} 1.0' in text


def test_a_setup_started_on_broken_files_serves_its_fallback_until_they_are_fixed(
        reloading, example):
    good = reloading.current
    edit(example, 'adjust: "-15%"', 'adjust: ["-15%"')

    with pytest.raises(ConfigError):
        ReloadingSetup(example, clock)
    started = ReloadingSetup(example, clock, fallback=good)

    assert started.current is good
    assert started.status.version == good.ruleset.version and started.status.errors
    assert not started.reload_if_changed()  # nothing changed since: no retry
    edit(example, 'adjust: ["-15%"', 'adjust: "-15%"')
    assert started.reload_if_changed()
    assert started.status.errors == () and started.current is not good
