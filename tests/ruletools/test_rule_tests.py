"""`rates test`: the shipped rule tests pass, failures say exactly what differs, and a
malformed test file is refused before anything runs, naming the test.

Prices and dates below are worked out by hand, as in rules/default.test.yaml: the example
carts are ordered Mon 2026-11-23 09:30 Pacific, before Reno's 14:00 cutoff; UPS delivers
Mon-Fri and skips Thanksgiving (Thu Nov 26).
"""

from pathlib import Path

import pytest

from rates.cli import main
from tests.support.project import EXAMPLE_CONFIG


def rates_test(capsys, config, *files):
    status = main(["test", *map(str, files), "--config", str(config)])
    out, err = capsys.readouterr()
    return status, out, err


def write_tests(config: Path, text: str, name: str = "more.test.yaml") -> Path:
    path = config.parent / "rules" / name
    path.write_text(text)
    return path


def test_the_shipped_rule_tests_pass(capsys):
    status, out, err = rates_test(capsys, EXAMPLE_CONFIG)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "21 passed, 0 failed"
    assert all(line.startswith("PASS ") for line in lines[:-1])
    assert "PASS free ground over 150 when everything is in stock" in lines


def test_every_test_file_beside_the_rules_runs_by_default(capsys, example):
    write_tests(example, """
tests:
  - name: in stock
    cart: ../examples/carts/in_stock.json
    stock: in_stock
""")
    status, out, _ = rates_test(capsys, example)
    assert status == 0
    assert out.splitlines()[-2:] == ["PASS in stock", "22 passed, 0 failed"]


def test_an_inline_cart_may_write_a_whole_number_as_yaml_writes_a_float(capsys, example):
    # `quantity: 2.0` in YAML is a float, as 2.0 in JSON is: a whole number all the same.
    path = write_tests(example, """
tests:
  - name: two lanterns written as 2.0
    at: "2026-11-23T09:30:00-08:00"
    cart:
      currency: USD
      destination: {country: US, region: NV, postcode: "89501"}
      lines:
        - {sku: LANTERN, quantity: 2.0, unit_price: "19.50", grams: 400.0}
    stock: in_stock
""")
    status, out, err = rates_test(capsys, example, path)
    assert (status, err) == (0, "")
    assert out.splitlines() == ["PASS two lanterns written as 2.0", "1 passed, 0 failed"]


def test_a_wrong_expectation_fails_with_the_exact_difference(capsys, example):
    tests = write_tests(example, """
tests:
  - name: right
    cart: ../examples/carts/in_stock.json
    expect: [{option: together/ups/ground, price: "0.00"}]
  - name: wrong on purpose
    cart: ../examples/carts/in_stock.json
    expect:
      - option: together/ups/ground
        price: "10.95"                      # the rate before free-ground-over-150
        delivery: {earliest: "2026-11-24", latest: "2026-11-26"}   # forgot Thanksgiving
        label: UPS Ground
""")
    status, out, err = rates_test(capsys, example, tests)
    assert (status, err) == (1, "")
    assert out == (
        "PASS right\n"
        "FAIL wrong on purpose\n"
        "    together/ups/ground price: expected 10.95, got 0.00\n"
        "    together/ups/ground delivery: expected 2026-11-24..2026-11-26, "
        "got 2026-11-24..2026-11-27\n"
        "    together/ups/ground label: expected 'UPS Ground', "
        "got 'UPS Ground - ship everything together'\n"
        "1 passed, 1 failed\n")


def test_visibility_stock_and_messages_failures_read_plainly(capsys, example):
    tests = write_tests(example, """
tests:
  - name: mixed cart, wrong about everything
    cart: ../examples/carts/mixed.json
    stock: in_stock
    messages: [no_options]
    expect:
      - {option: together/ups/next_day_air}
      - {option: together/usps/priority, blocked_by: no-express-for-backorders}
      - {option: together/ups/ground, hidden_by: no-oversize-by-usps}
      - {option: as_available/ups/ground, absent: true}
      - {option: together/canada_post/expedited}
""")
    status, out, _ = rates_test(capsys, example, tests)
    assert status == 1
    assert out.splitlines()[1:] == [
        "    together/ups/next_day_air: expected offered, "
        "got blocked by no-express-for-backorders",
        "    together/usps/priority: expected blocked by no-express-for-backorders, "
        "got hidden by no-oversize-by-usps",
        "    together/ups/ground: expected hidden by no-oversize-by-usps, got offered",
        "    as_available/ups/ground: expected absent, got offered",
        "    together/canada_post/expedited: expected offered, "
        "got absent (Canada Post has no zone from reno to US-CA)",
        "    stock: expected in_stock, got mixed",
        "    messages: expected 'no_options', got [blocked] "
        "Express shipping is only available when every item is in stock",
        "0 passed, 1 failed",
    ]


def test_a_missing_option_lists_the_options_the_quote_has(capsys, example):
    tests = write_tests(example, """
tests:
  - name: no such carrier
    cart: ../examples/carts/in_stock.json
    expect: [{option: together/fedex/ground}]
""")
    _, out, _ = rates_test(capsys, example, tests)
    assert out.splitlines()[1] == (
        "    together/fedex/ground: expected offered, got absent; offered: "
        "together/ups/ground, together/usps/ground_advantage, together/usps/priority, "
        "together/ups/2nd_day_air, together/usps/priority_express, together/ups/next_day_air")


def test_a_test_file_tests_the_rules_in_its_own_directory(capsys, example):
    """The same expectation passes beside the holiday rules and fails beside the default
    ones: cart-1006 is 129.00 + 19.50 = 148.50, all on hand, so its ground is free from
    100 but not from 150 (UPS local, 1500 g, from 1 kg: 10.95)."""
    text = """
tests:
  - name: ground is free from 100 in the holidays
    cart: {cart}
    expect: [{{option: together/ups/ground, price: "0.00"}}]
"""
    holiday = example.parent / "examples" / "rules-holiday" / "holiday.test.yaml"
    holiday.write_text(text.format(cart="../carts/under_150.json"))
    usual = write_tests(example, text.format(cart="../examples/carts/under_150.json"))

    assert rates_test(capsys, example, holiday)[0] == 0
    status, out, _ = rates_test(capsys, example, usual)
    assert status == 1
    assert "    together/ups/ground price: expected 0.00, got 10.95\n" in out


def test_at_overrides_the_carts_ordered_at(capsys, example):
    """14:30 is past Reno's cutoff: handed over Tue 24 .. Wed 25; Wed 25 + 2 UPS days =
    Fri 27, Mon 30."""
    tests = write_tests(example, """
tests:
  - name: after the cutoff
    cart: ../examples/carts/in_stock.json
    at: 2026-11-23T14:30:00-08:00
    expect:
      - {option: together/ups/ground, delivery: {earliest: 2026-11-25, latest: 2026-11-30}}
""")
    assert rates_test(capsys, example, tests)[:2] == (0, "PASS after the cutoff\n"
                                                        "1 passed, 0 failed\n")


@pytest.mark.parametrize(("text", "problem"), [
    ("tests:\n  - name: typo\n    cart: ../examples/carts/mixed.json\n"
     "    expect: [{option: together/ups/ground, prise: '1.00'}]\n",
     "more.test.yaml:4:44: error: unknown key 'prise'; did you mean 'price'? "
     "(in test 'typo') [unknown-key]"),
    ("tests:\n  - name: no cart\n    stock: mixed\n",
     "more.test.yaml:2:5: error: required key 'cart' is missing (in test 'no cart') "
     "[missing-key]"),
    ("tests:\n  - name: bad date\n    cart: ../examples/carts/mixed.json\n"
     "    expect: [{option: together/ups/ground, "
     "delivery: {earliest: '2026-11-31', latest: '2026-12-01'}}]\n",
     "more.test.yaml:4:65: error: not a date: '2026-11-31' (write YYYY-MM-DD) "
     "(in test 'bad date') [bad-value]"),
    ("tests:\n  - name: no offset\n    cart: ../examples/carts/mixed.json\n"
     "    at: '2026-11-23T09:30:00'\n    stock: mixed\n",
     "more.test.yaml:4:9: error: '2026-11-23T09:30:00' has no time zone offset; "
     "write e.g. 2026-11-23T09:30:00-08:00 (in test 'no offset') [bad-value]"),
    ("tests:\n  - name: float price\n    cart: ../examples/carts/mixed.json\n"
     "    expect: [{option: together/ups/ground, price: 18.66}]\n",
     "more.test.yaml:4:51: error: write money as a quoted string: '18.66' "
     "(in test 'float price') [yaml-trap]"),
    ("tests:\n  - name: missing file\n    cart: ../examples/carts/nope.json\n"
     "    stock: mixed\n",
     "error: cannot read {root}/rules/../examples/carts/nope.json: No such file or "
     "directory (in test 'missing file') [missing-file]"),
    ("tests:\n  - name: when\n    cart: {currency: USD}\n    stock: mixed\n",
     "more.test.yaml:2:5: error: no instant to quote at: give `at`, or an `ordered_at` "
     "with its offset in the cart (else the dates would move with today) "
     "(in test 'when') [missing-key]"),
    ("tests:\n  - name: idle\n    cart: ../examples/carts/mixed.json\n",
     "more.test.yaml:2:5: error: the test expects nothing: give expect, stock or messages "
     "(in test 'idle') [bad-value]"),
    ("tests:\n  - name: gone\n    cart: ../examples/carts/mixed.json\n"
     "    expect: [{option: together/ups/ground, absent: true, price: '1.00'}]\n",
     "error: an absent option has no price (in test 'gone') [bad-value]"),
    ("tests:\n  - {name: twice, cart: ../examples/carts/mixed.json, stock: mixed}\n"
     "  - {name: twice, cart: ../examples/carts/mixed.json, stock: mixed}\n",
     "more.test.yaml:3:12: error: the name is already used by tests[0] "
     "(in test 'twice') [duplicate-id]"),
    ("tests: []\n", "more.test.yaml:1:8: error: must not be empty [bad-value]"),
], ids=["unknown-key", "missing-cart", "bad-date", "no-offset", "float-price",
        "missing-cart-file", "no-instant", "no-expectation", "absent-and-price",
        "same-name", "no-tests"])
def test_a_malformed_test_file_exits_2_naming_the_test(capsys, example, text, problem):
    tests = write_tests(example, text)
    status, out, err = rates_test(capsys, example, tests)
    assert (status, out) == (2, "")
    assert err.startswith("rates: malformed rule tests:\n  ")
    assert problem.format(root=example.parent) in err


def test_every_problem_of_every_file_is_reported_at_once(capsys, example):
    first = write_tests(example, "tests:\n  - {name: a, cart: ../examples/carts/mixed.json, "
                                "stok: mixed}\n", "first.test.yaml")
    second = write_tests(example, "tests: {}\n", "second.test.yaml")
    status, _, err = rates_test(capsys, example, first, second)
    assert status == 2
    assert err.splitlines()[1:] == [
        f"  {first}:2:5: error: the test expects nothing: give expect, stock or messages "
        "(in test 'a') [bad-value]",
        f"  {first}:2:51: error: unknown key 'stok'; did you mean 'stock'? (in test 'a') "
        "[unknown-key]",
        f"  {second}:1:8: error: expected a list [bad-value]",
    ]


def test_a_cart_the_engine_refuses_exits_2_naming_the_test(capsys, example):
    tests = write_tests(example, """
tests:
  - name: pounds
    cart:
      ordered_at: "2026-11-23T09:30:00-08:00"
      currency: GBP
      destination: {country: US, region: NV}
      lines: [{sku: LANTERN, quantity: 1, unit_price: "19.50"}]
    stock: in_stock
""")
    status, out, err = rates_test(capsys, example, tests)
    assert (status, out) == (2, "")
    assert (f"{tests}:5:7: error: the engine refused the cart: this shop quotes in USD, "
            "CAD, EUR or JPY, not GBP; currency: must be USD or a currency with an exchange "
            "rate in the config (`currencies:`): CAD, EUR, JPY (in test 'pounds') "
            "[bad-value]") in err


def test_broken_rules_beside_the_tests_are_a_configuration_error(capsys, example):
    rules = example.parent / "rules" / "default.yaml"
    rules.write_text(rules.read_text().replace('adjust: "-15%"', 'adjust: "-15 percent"'))
    status, out, err = rates_test(capsys, example)
    assert (status, out) == (2, "")
    assert err.startswith(f"rates: configuration error in {example}:")
    assert "not an amount or percent: '-15 percent'" in err


def test_no_test_files_beside_the_rules_exits_2(capsys, example):
    (example.parent / "rules" / "default.test.yaml").unlink()
    status, _, err = rates_test(capsys, example)
    assert status == 2
    assert err == f"rates: no rule tests (*.test.yaml) in {example.parent / 'rules'}\n"
