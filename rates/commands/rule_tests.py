"""`rates test [FILE...]`: run rule tests, one PASS/FAIL line each.

Exit status: 0 every test passed, 1 some failed, 2 a test file, cart or the config is
malformed (nothing runs until every file reads cleanly).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rates.commands.common import add_config
from rates.ruletools.rule_test_files import default_files, read_files
from rates.ruletools.rule_tests import run


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "test", help="run rule tests (*.test.yaml): sample carts and the options expected")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="rule test files; each tests the rules in its own directory "
                             "(default: the *.test.yaml files of the config's rules)")
    add_config(parser)
    parser.set_defaults(run=run_tests)


def run_tests(args: argparse.Namespace) -> int:
    files = read_files(args.files or default_files(args.config))
    outcomes = run(files, args.config)
    for outcome in outcomes:
        print(f"{'PASS' if outcome.passed else 'FAIL'} {outcome.test.name}")
        for difference in outcome.differences:
            print(f"    {difference}")
    failed = sum(1 for outcome in outcomes if not outcome.passed)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return 1 if failed else 0
