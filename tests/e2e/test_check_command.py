"""`rates check` end to end on a copy of the bundled example: exit 0 clean, 1 warnings only,
2 errors; text with excerpts and a summary, or JSON; PATHS narrow the report."""

import json
import re

import pytest

from rates.cli import main
from tests.support.project import EXAMPLE_CONFIG

PATIENCE = '    adjust: "-15%"\n'
FREE_GROUND = "  - id: free-ground-over-150\n"
# A zone for Nevada after the zone for all the contiguous US: it never matches.
NEVADA = "  - id: nevada\n    to: [{country: US, regions: [NV]}]\n"


@pytest.fixture(autouse=True)
def shop_secret(monkeypatch):
    """The example shop's secret is set, as where the service runs; a test unsets it."""
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", "shpss_test_secret")


@pytest.fixture
def rules(example, monkeypatch):
    """The private copy of the example (`example`) as the working directory; returns its
    rules file."""
    monkeypatch.chdir(example.parent)
    return example.parent / "rules" / "default.yaml"


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def line_of(path, text):
    return path.read_text().splitlines().index(text.rstrip("\n")) + 1


def check(capsys, *args):
    status = main(["check", *map(str, args), "--config", "config.example.yaml"])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_bundled_example_checks_clean(capsys):
    status = main(["check", "--config", str(EXAMPLE_CONFIG)])
    out, _ = capsys.readouterr()
    assert status == 0
    assert re.fullmatch(r"no problems in \d+ files\n", out), out


def test_warnings_alone_exit_1(capsys, rules):
    edit(rules, "  - id: canada\n", NEVADA + "  - id: canada\n")
    status, out, _ = check(capsys)
    line = line_of(rules, "  - id: nevada")
    assert status == 1
    assert out.splitlines()[:3] == [
        f"rules/default.yaml:{line}:9: warning: zone 'nevada' never matches: zone "
        f"'contiguous-us' (line {line - 2}) already matches everything it names; zones match "
        "first to last, so list the narrower one first [shadowed-zone]",
        f"{line:>5} |   - id: nevada",
        "      |         ^"]
    assert out.splitlines()[-1] == "1 warning in 7 files"


def test_a_shop_without_its_secret_is_a_warning_at_its_entry(capsys, rules, monkeypatch):
    monkeypatch.delenv("RATES_SHOPIFY_SECRET")
    status, out, _ = check(capsys)
    config = rules.parent.parent / "config.example.yaml"
    entry = "  - {domain: example-outfitters.myshopify.com, secret_env: RATES_SHOPIFY_SECRET}"
    line = line_of(config, entry)
    assert status == 1
    assert out.splitlines() == [
        f"config.example.yaml:{line}:60: warning: $RATES_SHOPIFY_SECRET is not set (or is "
        "empty) here: Shopify's callbacks and webhooks for example-outfitters.myshopify.com "
        "will answer 404 unknown_shop until it holds the app's shared secret [missing-secret]",
        f"{line:>5} | {entry}",
        "      | " + " " * 59 + "^",
        "",
        "1 warning in 7 files"]


def test_errors_exit_2_with_every_problem_and_a_summary(capsys, rules):
    edit(rules, "  - id: canada\n", NEVADA + "  - id: canada\n")
    edit(rules, PATIENCE, '    adjust: "-15 percent"\n')
    status, out, _ = check(capsys)
    assert status == 2
    assert "[shadowed-zone]" in out
    line = line_of(rules, '    adjust: "-15 percent"')
    assert (f"rules/default.yaml:{line}:13: error: not an amount or percent: '-15 percent' "
            "(e.g. '+3.00', '-2.50', '+5%', '-15%') [bad-value]\n"
            f'{line:>5} |     adjust: "-15 percent"\n'
            "      |             ^\n") in out
    assert out.endswith("\n1 error, 1 warning in 7 files\n")


def test_a_file_that_is_not_utf_8_exits_2_at_its_first_bad_byte(capsys, rules):
    carrier = rules.parent.parent / "carriers" / "ups.yaml"
    carrier.write_bytes(carrier.read_bytes().replace(b"name: UPS", b"name: UPS Fran\xe7ais"))
    line = carrier.read_bytes().split(b"\n").index(b"name: UPS Fran\xe7ais") + 1
    status, out, _ = check(capsys)
    assert status == 2
    assert out == (
        f"carriers/ups.yaml:{line}:15: error: not UTF-8 (byte 0xe7: invalid continuation "
        "byte): save the file as UTF-8 [encoding]\n"
        f"{line:>5} | name: UPS Fran\ufffdais\n"
        "      |               ^\n"
        "\n"
        "1 error in 7 files\n")


def test_json_lists_each_problem_for_tools(capsys, rules):
    edit(rules, PATIENCE, '    adjust: "-15 percent"\n')
    (rules.parent.parent / "examples" / "inventory.yaml").unlink()
    status, out, _ = check(capsys, "--format", "json")
    line = line_of(rules, '    adjust: "-15 percent"')
    assert status == 2
    assert json.loads(out) == [
        {"file": "rules/default.yaml", "line": line, "column": 13, "severity": "error",
         "check": "bad-value",
         "message": "not an amount or percent: '-15 percent' (e.g. '+3.00', '-2.50', '+5%', "
                    "'-15%')"},
        {"file": "examples/inventory.yaml", "line": None, "column": None, "severity": "error",
         "check": "missing-file", "message": "cannot read: No such file or directory"}]


def test_clean_json_is_an_empty_list(capsys, rules):
    assert check(capsys, "--format", "json")[:2] == (0, "[]\n")


def test_paths_narrow_the_report_to_their_files(capsys, rules):
    edit(rules, PATIENCE, '    adjust: "-15 percent"\n')
    assert check(capsys, "carriers")[:2] == (0, "no problems in 3 files\n")
    status, out, _ = check(capsys, "rules/default.yaml", "config.example.yaml")
    assert status == 2
    assert out.endswith("\n1 error in 2 files\n")


def test_a_path_the_setup_does_not_read_exits_2(capsys, rules):
    (rules.parent / "draft.yaml").write_text("currency: USD\n")
    status, out, err = check(capsys, "draft.yaml")
    assert (status, out) == (2, "")
    assert err == "rates: draft.yaml: the setup does not read it (see --config)\n"


def test_files_outside_the_working_directory_are_named_in_full(capsys, rules, tmp_path,
                                                               monkeypatch):
    edit(rules, FREE_GROUND, FREE_GROUND.replace("free-ground", "free ground"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    status = main(["check", "--config", str(tmp_path / "config.example.yaml")])
    out, _ = capsys.readouterr()
    assert status == 2
    line = line_of(rules, "  - id: free ground-over-150")
    assert out.startswith(f"{rules.as_posix()}:{line}:9: error: 'free ground-over-150' "
                          "is not an id")
