"""`rates quote` end to end on the bundled example: real files, real calendars, no fakes.

Dates below are worked out by hand from the example's config (Reno: Mon-Fri, cutoff 14:00
Pacific, handling 0-1 days), carriers (UPS: Mon-Fri, six holidays incl. Thanksgiving;
USPS: delivers Mon-Sat) and rules (free ground over $150 when everything is in stock).

    November 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29      (Thu 26 = Thanksgiving Day)
                    30
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from rates.cli import main
from tests.support.project import CARTS, EXAMPLE_CONFIG, RATES

CONFIG = str(EXAMPLE_CONFIG)
GOLDEN = Path(__file__).parent / "golden"


def run(capsys, *args):
    status = main(["quote", *map(str, args), "--config", CONFIG])
    out, err = capsys.readouterr()
    return status, out, err


def document(capsys, cart, *extra):
    status, out, err = run(capsys, CARTS / cart, "--json", *extra)
    assert status == 0, err
    return json.loads(out)


def options(doc):
    return {option["id"]: option for option in doc["options"]}


def test_the_mixed_example_offers_all_three_plans_with_windows_and_prices(capsys):
    status, out, _ = run(capsys, CARTS / "mixed.json")
    assert status == 0
    plans = {line.split()[0] for line in out.splitlines()
             if line.split() and line.split()[0] in {"together", "in_stock_first", "as_available"}}
    assert plans == {"together", "in_stock_first", "as_available"}
    assert "USD" in out and "arrives" in out


def test_in_stock_ground_skips_thanksgiving_and_is_free_over_150(capsys):
    ground = options(document(capsys, "in_stock.json", "--explain"))["together/ups/ground"]
    # Ordered Mon 09:30 PST, before the cutoff: handed over Mon 23 (0 days) .. Tue 24 (1).
    # Transit 1-2 UPS days: Mon 23 + 1 = Tue 24; Tue 24 + 2 = Wed 25, (Thu 26 closed), Fri 27.
    assert ground["delivery"] == {"earliest": "2026-11-24", "latest": "2026-11-27",
                                  "confidence": None, "likely": None}
    # 2 x 400 g + 85 g + 1100 g = 1.985 kg: UPS Ground "local" band from 1 kg, 10.95;
    # subtotal 2 x 19.50 + 39.95 + 129.00 = 207.95 >= 150, all in stock: free.
    assert ground["price"] == {"amount": "0.00", "currency": "USD"}
    assert {"rule": "free-ground-over-150", "effect": "-10.95", "price": "0.00"} in ground["trace"]


def test_usps_delivers_on_saturday(capsys):
    usps = options(document(capsys, "in_stock.json"))["together/usps/ground_advantage"]
    # Transit 2-3 USPS days (Mon-Sat): Mon 23 + 2 = Wed 25; Tue 24 + 3 = Wed 25, Fri 27, Sat 28.
    assert usps["delivery"] == {"earliest": "2026-11-25", "latest": "2026-11-28",
                                "confidence": None, "likely": None}


def test_an_order_after_the_cutoff_starts_the_next_working_day(capsys):
    ground = options(document(capsys, "in_stock.json", "--at",
                              "2026-11-23T14:30:00-08:00"))["together/ups/ground"]
    # Starts Tue 24; handed over Tue 24 .. Wed 25; Tue 24 + 1 = Wed 25;
    # Wed 25 + 2 = Fri 27, Mon 30 (Thanksgiving and the weekend skipped).
    assert ground["delivery"] == {"earliest": "2026-11-25", "latest": "2026-11-30",
                                  "confidence": None, "likely": None}


def test_a_backordered_cart_gets_no_in_stock_first_plan(capsys):
    doc = document(capsys, "backordered.json")
    assert doc["stock"] == "backordered"
    assert {option["plan"] for option in doc["options"]} == {"together", "as_available"}
    together = options(doc)["together/ups/ground"]
    # CAMP-CHAIR due Wed Jan 20 .. Fri Feb 5 2027: received the next working day, Thu Jan 21
    # .. Mon Feb 8; handling 0-1: handed over Thu Jan 21 .. Tue Feb 9.
    assert together["shipments"][0]["ships"] == {"earliest": "2027-01-21",
                                                 "latest": "2027-02-09"}


def test_units_that_cannot_be_supplied_are_reported_and_not_shipped(capsys):
    doc = document(capsys, "partly_unavailable.json")
    lines = {line["sku"]: line for line in doc["lines"]}
    assert lines["TENT-4P"]["unavailable"] == 1
    assert lines["STOVE-2B"]["unavailable"] == 2
    assert {"code": "unavailable", "sku": "TENT-4P", "message":
            "1 of 6 TENT-4P cannot be supplied: 5 available, at most 4 can be backordered"
            } in doc["messages"]
    for option in doc["options"]:
        shipped = {}
        for shipment in option["shipments"]:
            for line in shipment["lines"]:
                shipped[line["sku"]] = shipped.get(line["sku"], 0) + line["quantity"]
        assert shipped == {"TENT-4P": 5, "STOVE-2B": 5, "LANTERN": 1}, option["id"]


def test_express_is_blocked_for_backorders_and_explain_says_by_which_rule(capsys):
    doc = document(capsys, "mixed.json", "--explain")
    assert not [o for o in doc["options"] if o["service"] == "next_day_air"]
    withheld = {o["id"]: o for o in doc["withheld"]}
    assert withheld["together/ups/next_day_air"]["blocked_by"] == "no-express-for-backorders"
    assert {"code": "blocked", "message":
            "Express shipping is only available when every item is in stock"} in doc["messages"]
    skipped = [step for step in withheld["together/ups/next_day_air"]["trace"]
               if step.get("rule") == "free-ground-over-150"]
    assert skipped == [{"rule": "free-ground-over-150",
                        "skipped": "stock is mixed, wanted [in_stock]"}]


def test_explain_prints_calendar_steps_with_the_holidays_skipped(capsys):
    status, out, _ = run(capsys, CARTS / "in_stock.json", "--explain")
    assert status == 0
    assert "skipped Thu Nov 26 (Thanksgiving Day)" in out
    assert "Withheld by rules" not in out  # nothing is withheld for an in-stock cart


def test_a_bad_cart_exits_2_naming_each_field(capsys, tmp_path):
    cart = tmp_path / "bad.json"
    cart.write_text(json.dumps({"currency": "USD", "destination": {"country": "us"},
                                "lines": [{"sku": "LANTERN", "quantity": 0,
                                           "unit_price": 19.5}]}))
    status, out, err = run(capsys, cart)
    assert status == 2 and out == ""
    assert "destination.country: must be an ISO 3166-1 alpha-2 code" in err
    assert "lines.0.quantity" in err
    assert 'lines.0.unit_price: must be a decimal string such as "12.95"' in err


def test_a_cart_that_is_not_json_exits_2(capsys, tmp_path):
    cart = tmp_path / "cart.json"
    cart.write_text("{not json")
    status, _, err = run(capsys, cart)
    assert status == 2 and "not valid JSON" in err


def test_a_missing_cart_file_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, tmp_path / "nope.json")
    assert status == 2 and "cannot read the cart" in err


def test_a_broken_configuration_exits_2_listing_the_problems(capsys, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("locations: []\nrules: rules/\ncarriers: carriers/\n")
    status = main(["quote", str(CARTS / "mixed.json"), "--config", str(config)])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith(f"rates: configuration error in {config}:")
    assert "no such directory: 'rules/'" in err


def test_the_quote_document_matches_the_reviewed_golden_copy(capsys):
    """The whole mixed-cart document, reviewed by hand once; any change shows as a diff.
    Regenerate with RATES_UPDATE_GOLDEN=1 after checking the new output is right."""
    doc = document(capsys, "mixed.json", "--explain")
    for volatile in ("id", "created_at", "ruleset"):
        doc.pop(volatile)
    golden = GOLDEN / "mixed.json"
    if os.environ.get("RATES_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(doc, indent=2) + "\n")
    assert doc == json.loads(golden.read_text())


def test_explain_shows_the_conversion_of_a_quote_in_cad(capsys, tmp_path):
    # The mixed cart with CAD prices; the example quotes CAD at 1.3650 per USD. Its UPS
    # Ground option together is USD 18.66 (the golden copy): 18.66 x 1.3650 = 25.4709.
    cart = json.loads((CARTS / "mixed.json").read_text())
    prices = {"TENT-2P": "203.39", "LANTERN": "26.62", "STOVE-2B": "122.78"}
    cart = {**cart, "currency": "CAD",
            "lines": [{**line, "unit_price": prices[line["sku"]]} for line in cart["lines"]]}
    (tmp_path / "cad.json").write_text(json.dumps(cart))
    status, out, err = run(capsys, tmp_path / "cad.json", "--explain")
    assert status == 0, err
    assert "CAD 25.47" in out
    assert "[1] USD 18.66 at 1.3650 = CAD 25.47" in out


@pytest.mark.skipif(not RATES.exists(),
                    reason="the console script is installed by `make install`")
def test_the_installed_console_script_runs():
    result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(RATES), "quote", str(CARTS / "canada.json"),
         "--config", CONFIG], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "Canada Post Xpresspost" in result.stdout
