"""`rates diff`: every change a rule edit makes to a corpus of carts, hand-checked.

The carts are ordered Mon 2026-11-23 09:30 Pacific. Percentages round half away from zero
to the cent. examples/rules-holiday differs from rules/ in three rules: free ground from
100.00 (not 150.00), 25% patience discount (not 15%, with a label saying so), no split fee.
"""

import json
from pathlib import Path

from rates.cli import main
from tests.support.project import CARTS, EXAMPLE_CONFIG, ROOT

HOLIDAY_LABEL = "(one box, when the last item is in: 25% off shipping)"
USUAL_LABEL = "(one box, when the last item is in)"


def diff(capsys, old, new, carts, *extra, config=EXAMPLE_CONFIG):
    status = main(["diff", str(old), str(new), "--carts", str(carts), "--config", str(config),
                   *extra])
    out, err = capsys.readouterr()
    return status, out, err


def holiday(capsys, *extra):
    return diff(capsys, ROOT / "rules", ROOT / "examples" / "rules-holiday",
                CARTS, *extra)


def label_change(option, service):
    return (f"  {option:<36}  label '{service} - ship everything together {USUAL_LABEL}' -> "
            f"'{service} - ship everything together {HOLIDAY_LABEL}'")


def test_the_holiday_rules_change_exactly_these_options(capsys):
    status, out, err = holiday(capsys)
    assert (status, err) == (1, "")
    assert out.split("\n") == [
        # cart-1003, 14500 g from Reno to CA, mixed, shipped together: UPS local from 10 kg.
        "mixed.json (cart-1003)",
        # Ground 21.95: -15% = -3.29 -> 18.66; -25% = -5.4875 -> -5.49 -> 16.46.
        "  together/ups/ground                   price 18.66 -> 16.46 (-2.20)",
        label_change("together/ups/ground", "UPS Ground"),
        # 2nd Day Air 67.95: -10.19 -> 57.76; -25% = -16.9875 -> -16.99 -> 50.96.
        "  together/ups/2nd_day_air              price 57.76 -> 50.96 (-6.80)",
        label_change("together/ups/2nd_day_air", "UPS 2nd Day Air"),
        "",
        # cart-1004: Reno 20900 g (local) and Newark 34000 g (national to WA).
        "partly_unavailable.json (cart-1004)",
        # Ground: 33.90 + 76.25 less 25% is 25.42 + 57.19 = 82.61: still clamped to 49.95.
        label_change("together/ups/ground", "UPS Ground"),
        # 2nd Day Air: Reno 109.95 + 1 kg x 2.95 = 112.90, Newark 184.95 + 14 x 2.95 =
        # 226.25. 15%: 16.94 and 33.94 off: 95.96 + 192.31 = 288.27.
        # 25%: 28.225 -> 28.23 and 56.5625 -> 56.56 off: 84.67 + 169.69 = 254.36.
        "  together/ups/2nd_day_air              price 288.27 -> 254.36 (-33.91)",
        label_change("together/ups/2nd_day_air", "UPS 2nd Day Air"),
        "",
        # cart-1007: a lantern on hand (400 g), a camp chair due Jan 20 - Feb 5 (2300 g);
        # 68.50, from Reno to OR (local for UPS and USPS).
        "small_split.json (cart-1007)",
        # Together, 2700 g, from 2 kg: 12.15 -> -15% 1.82 off: 10.33; -25% 3.04 off: 9.11.
        "  together/usps/ground_advantage        price 10.33 -> 9.11 (-1.22)",
        label_change("together/usps/ground_advantage", "USPS Ground Advantage"),
        # 12.45: 1.87 off: 10.58; 3.11 off: 9.34.
        "  together/ups/ground                   price 10.58 -> 9.34 (-1.24)",
        label_change("together/ups/ground", "UPS Ground"),
        # 16.45: 2.47 off: 13.98; 4.11 off: 12.34.
        "  together/usps/priority                price 13.98 -> 12.34 (-1.64)",
        label_change("together/usps/priority", "USPS Priority Mail"),
        # 31.95: 4.79 off: 27.16; 7.99 off: 23.96.
        "  together/ups/2nd_day_air              price 27.16 -> 23.96 (-3.20)",
        label_change("together/ups/2nd_day_air", "UPS 2nd Day Air"),
        # Split: lantern now + chair later; the 2.00 fee on the chair's parcel goes.
        # 5.45 + 12.15 + 2.00 = 19.60; 9.45 + 12.45 + 2.00 = 23.90;
        # 9.25 + 16.45 + 2.00 = 27.70; 21.95 + 31.95 + 2.00 = 55.90.
        "  in_stock_first/usps/ground_advantage  price 19.60 -> 17.60 (-2.00)",
        "  in_stock_first/ups/ground             price 23.90 -> 21.90 (-2.00)",
        "  in_stock_first/usps/priority          price 27.70 -> 25.70 (-2.00)",
        "  in_stock_first/ups/2nd_day_air        price 55.90 -> 53.90 (-2.00)",
        "",
        # cart-1006: 129.00 + 19.50 = 148.50, all on hand, 1500 g to NV: ground is now free.
        "under_150.json (cart-1006)",
        "  together/usps/ground_advantage        price 9.35 -> 0.00 (-9.35)",
        "  together/ups/ground                   price 10.95 -> 0.00 (-10.95)",
        "",
        # in_stock (207.95, free either way), backordered and canada: no rule differs.
        "8 cart(s) compared: 4 changed, 4 unchanged",
        "14 option(s) changed: 0 visibility, 13 price, 0 delivery, 8 label",
        # 2.20 + 6.80 + 33.91 + 1.22 + 1.24 + 1.64 + 3.20 + 4 x 2.00 + 9.35 + 10.95 = 78.51;
        # / 13 = 6.039.
        "price change: -78.51 USD in total, -6.04 USD on average over 13 price change(s)",
        "",
    ]


def test_json_lists_each_change_flat_then_a_summary(capsys):
    status, out, _ = holiday(capsys, "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert set(document) == {"changes", "summary"}
    usd = "USD"
    assert document["changes"][0] == {
        "cart": "mixed.json", "reference": "cart-1003", "option": "together/ups/ground",
        "kind": "price", "old": {"amount": "18.66", "currency": usd},
        "new": {"amount": "16.46", "currency": usd},
        "delta": {"amount": "-2.20", "currency": usd}}
    assert document["changes"][1] == {
        "cart": "mixed.json", "reference": "cart-1003", "option": "together/ups/ground",
        "kind": "label",
        "old": f"UPS Ground - ship everything together {USUAL_LABEL}",
        "new": f"UPS Ground - ship everything together {HOLIDAY_LABEL}"}
    assert len(document["changes"]) == 21
    assert document["summary"] == {
        "carts": 8, "carts_changed": 4, "carts_unchanged": 4, "options_changed": 14,
        "changes": {"visibility": 0, "price": 13, "delivery": 0, "label": 8},
        "price_delta": {"total": {"amount": "-78.51", "currency": usd},
                        "average": {"amount": "-6.04", "currency": usd}}}


def test_identical_rule_sets_exit_0_with_no_differences(capsys):
    status, out, err = diff(capsys, ROOT / "rules", ROOT / "rules" / "default.yaml",
                            CARTS)
    assert (status, out, err) == (0, "no differences in 8 cart(s)\n", "")


def test_identical_rule_sets_in_json(capsys):
    status, out, _ = diff(capsys, ROOT / "rules", ROOT / "rules", CARTS,
                          "--format", "json")
    assert status == 0
    assert json.loads(out) == {"changes": [], "summary": {
        "carts": 8, "carts_changed": 0, "carts_unchanged": 8, "options_changed": 0,
        "changes": {"visibility": 0, "price": 0, "delivery": 0, "label": 0},
        "price_delta": {"total": None, "average": None}}}


def rules_variant(config: Path, name: str, *edits: tuple[str, str]) -> Path:
    """A rules directory beside the config: rules/default.yaml with `edits` made."""
    text = (config.parent / "rules" / "default.yaml").read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = config.parent / name
    folder.mkdir()
    (folder / "default.yaml").write_text(text)
    return folder


THREE_RESTOCKS = {
    "reference": "cart-2001",
    "ordered_at": "2026-11-23T09:30:00-08:00",
    "currency": "USD",
    "destination": {"country": "US", "region": "NV", "postcode": "89501"},
    "lines": [
        {"sku": "BOTTLE", "quantity": 1, "unit_price": "10.00", "grams": 200, "stock": {
            "inbound": [{"quantity": 5, "earliest": "2026-12-01", "latest": "2026-12-03"}]}},
        {"sku": "CUP", "quantity": 1, "unit_price": "8.00", "grams": 200, "stock": {
            "inbound": [{"quantity": 5, "earliest": "2026-12-08", "latest": "2026-12-10"}]}},
        {"sku": "STOOL", "quantity": 1, "unit_price": "30.00", "grams": 1500, "stock": {
            "inbound": [{"quantity": 5, "earliest": "2027-01-19", "latest": "2027-01-22"}]}},
    ],
}


def test_merging_restocks_changes_prices_and_delivery_windows(capsys, example):
    """Three restocks due Dec 1-3, Dec 8-10, Jan 19-22, nothing on hand, 48.00 in goods.
    Merging restocks within 7 days (not 3) puts the first two in one parcel.

    Prices: every parcel is backordered and the cart is under 100, so each pays the 2.00
    split fee. USPS Ground Advantage (local): 200 g 5.45, 400 g 5.45, 1500 g 9.35;
    UPS Ground 9.45, 9.45, 10.95; Priority 9.25, 9.25, 13.20; 2nd Day Air 21.95, 21.95,
    26.95.

    Dates: the first parcel was due Tue Dec 1, received Wed Dec 2, handed over that day;
    merged, it waits for the cup: due Tue Dec 8, received and handed over Wed Dec 9.
    The last parcel: due Fri Jan 22, received Mon Jan 25, handed over by Tue Jan 26.
    """
    carts = example.parent / "corpus"
    carts.mkdir()
    (carts / "three_restocks.json").write_text(json.dumps(THREE_RESTOCKS))
    merged = rules_variant(example, "merged", ("merge_within_days: 3", "merge_within_days: 7"))

    status, out, err = diff(capsys, example.parent / "rules", merged, carts, config=example)
    assert (status, err) == (1, "")
    assert out == (
        "three_restocks.json (cart-2001)\n"
        # 3 x 2.00 + 5.45 + 5.45 + 9.35 = 26.25 -> 2 x 2.00 + 5.45 + 9.35 = 18.80.
        "  as_available/usps/ground_advantage  price 26.25 -> 18.80 (-7.45)\n"
        # 2-3 USPS days: Wed Dec 2 + 2 = Fri Dec 4 -> Wed Dec 9 + 2 = Fri Dec 11;
        # Tue Jan 26 + 3 = Fri Jan 29.
        "  as_available/usps/ground_advantage  delivery 2026-12-04..2027-01-29 -> "
        "2026-12-11..2027-01-29\n"
        # 6.00 + 9.45 + 9.45 + 10.95 = 35.85 -> 4.00 + 9.45 + 10.95 = 24.40.
        "  as_available/ups/ground             price 35.85 -> 24.40 (-11.45)\n"
        # 1-2 UPS days: Dec 2 + 1 = Thu Dec 3 -> Dec 9 + 1 = Thu Dec 10; Jan 26 + 2 = Jan 28.
        "  as_available/ups/ground             delivery 2026-12-03..2027-01-28 -> "
        "2026-12-10..2027-01-28\n"
        # 6.00 + 9.25 + 9.25 + 13.20 = 37.70 -> 4.00 + 9.25 + 13.20 = 26.45.
        "  as_available/usps/priority          price 37.70 -> 26.45 (-11.25)\n"
        "  as_available/usps/priority          delivery 2026-12-03..2027-01-28 -> "
        "2026-12-10..2027-01-28\n"
        # 6.00 + 21.95 + 21.95 + 26.95 = 76.85 -> 4.00 + 21.95 + 26.95 = 52.90.
        "  as_available/ups/2nd_day_air        price 76.85 -> 52.90 (-23.95)\n"
        # 2 days: Dec 2 + 2 = Fri Dec 4 -> Dec 9 + 2 = Fri Dec 11.
        "  as_available/ups/2nd_day_air        delivery 2026-12-04..2027-01-28 -> "
        "2026-12-11..2027-01-28\n"
        "\n"
        "1 cart(s) compared: 1 changed, 0 unchanged\n"
        "4 option(s) changed: 0 visibility, 4 price, 4 delivery, 0 label\n"
        # 7.45 + 11.45 + 11.25 + 23.95 = 54.10; / 4 = 13.525 -> 13.53.
        "price change: -54.10 USD in total, -13.53 USD on average over 4 price change(s)\n")


OVERSIZE_RULE = """  - id: no-oversize-by-usps
    description: USPS will not take our oversize parcels (tents)
    when:
      carrier: usps
      lines: {any: {tags: [oversize]}}
    hide: true
"""


def test_visibility_changes_say_which_rule(capsys, example):
    """Without the oversize rule and the as_available plan, on mixed.json: USPS is offered
    again (its express still blocked), and every as_available option goes."""
    carts = example.parent / "examples" / "carts"
    loose = rules_variant(example, "loose", (OVERSIZE_RULE, ""),
                          ("offer: [together, in_stock_first, as_available]",
                           "offer: [together, in_stock_first]"))

    status, out, _ = diff(capsys, example.parent / "rules", loose, carts, config=example)
    assert status == 1
    lines = out.splitlines()
    express = "hidden by no-oversize-by-usps and blocked by no-express-for-backorders"
    for line in [
        "  together/usps/ground_advantage        now offered (was hidden by no-oversize-by-usps)",
        "  together/usps/priority_express        now blocked by no-express-for-backorders "
        f"(was {express})",
        "  as_available/ups/ground               disappeared",
        "  as_available/ups/next_day_air         disappeared "
        "(was blocked by no-express-for-backorders)",
    ]:
        assert line in lines[lines.index("mixed.json (cart-1003)"):]

    status, out, _ = diff(capsys, loose, example.parent / "rules", carts, config=example)
    lines = out.splitlines()
    for line in [
        "  together/usps/ground_advantage        now hidden by no-oversize-by-usps (was offered)",
        "  as_available/ups/ground               appeared",
        "  as_available/ups/next_day_air         appeared, blocked by no-express-for-backorders",
    ]:
        assert line in lines[lines.index("mixed.json (cart-1003)"):]


def test_missing_rules_exit_2(capsys, example):
    status, out, err = diff(capsys, example.parent / "rules", example.parent / "nope",
                            example.parent / "examples" / "carts", config=example)
    assert (status, out) == (2, "")
    assert err == f"rates: {example.parent / 'nope'}: no such rules directory or file\n"


def test_a_folder_without_carts_exits_2(capsys, example, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, err = diff(capsys, example.parent / "rules", example.parent / "rules", empty,
                          config=example)
    assert (status, err) == (2, f"rates: no carts (*.json) in {empty}\n")


def test_a_cart_the_engine_refuses_exits_2_naming_it(capsys, example):
    carts = example.parent / "examples" / "carts"
    (carts / "pounds.json").write_text(json.dumps({**THREE_RESTOCKS, "currency": "GBP"}))
    status, out, err = diff(capsys, example.parent / "rules", example.parent / "rules", carts,
                            config=example)
    assert (status, out) == (2, "")
    assert err == ("rates: pounds.json: this shop quotes in USD, CAD, EUR or JPY, not GBP\n"
                   "  currency: must be USD or a currency with an exchange rate in the "
                   "config (`currencies:`): CAD, EUR, JPY\n")


def test_broken_new_rules_are_a_configuration_error(capsys, example):
    broken = rules_variant(example, "broken", ('adjust: "-15%"', 'adjust: "-15 percent"'))
    status, out, err = diff(capsys, example.parent / "rules", broken,
                            example.parent / "examples" / "carts", config=example)
    assert (status, out) == (2, "")
    assert err.startswith(f"rates: configuration error in {example}:")
    assert "broken/default.yaml" in err and "'-15 percent'" in err
