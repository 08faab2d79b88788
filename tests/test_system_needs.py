"""`make test` on a machine that lacks wrk or Chromium: each step that needs one skips with
the line that says how to install it, the lines come together at the end, and under CI the
same steps fail instead. Run as a newcomer's machine would: a PATH without the program."""

import os
import subprocess
import sys
from pathlib import Path

from tests.support.project import ROOT


def lacking(tmp_path: Path, *, ci: bool) -> dict[str, str]:
    """This environment with a PATH of one empty folder (so neither wrk nor chromium is
    found), the skipped-lines file in `tmp_path`, and CI set only when `ci`."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(PATH=str(empty), RATES_SKIPPED_FILE=str(tmp_path / "skipped"))
    return {**environment, "CI": "true"} if ci else environment


def run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)


def install_line(package: str) -> str:
    return f"{'' if os.geteuid() == 0 else 'sudo '}apt-get install {package}"


def test_a_benchmark_smoke_run_without_wrk_skips_with_the_command_that_installs_it(tmp_path):
    done = run(["benchmarks/http_load.py", "--smoke"], lacking(tmp_path, ci=False))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"skipped: benchmarks/http_load.py --smoke (no wrk): {install_line('wrk')}")


def test_under_ci_the_same_run_fails(tmp_path):
    done = run(["benchmarks/http_load.py", "--smoke"], lacking(tmp_path, ci=True))
    assert done.returncode == 1
    assert f"no wrk: {install_line('wrk')}" in done.stderr
    assert not (tmp_path / "skipped").exists()


def test_the_browser_tests_without_chromium_are_named_in_one_line(tmp_path):
    done = run(["-m", "pytest", "-p", "no:cacheprovider",
                "tests/browser/test_console_sessions.py"], lacking(tmp_path, ci=False))
    assert done.returncode == 0, done.stdout
    line = f"skipped: 1 browser test (no chromium): {install_line('chromium')}"
    assert line in done.stdout.splitlines()


def test_under_ci_a_browser_test_without_chromium_fails(tmp_path):
    done = run(["-m", "pytest", "-p", "no:cacheprovider",
                "tests/browser/test_console_sessions.py"], lacking(tmp_path, ci=True))
    assert done.returncode == 1
    assert "no chromium" in done.stdout


def test_the_end_of_make_test_gathers_every_skipped_step_by_what_it_lacked(tmp_path):
    environment = lacking(tmp_path, ci=False)
    for step in (["benchmarks/http_load.py", "--smoke"],
                 ["benchmarks/http_load.py", "--smoke", "--shopify"],
                 ["-m", "pytest", "-p", "no:cacheprovider",
                  "tests/browser/test_console_sessions.py"]):
        assert run(step, environment).returncode == 0
    done = run(["-m", "tests.support.system_needs", "report"], environment)
    assert done.returncode == 0
    assert done.stdout.strip().splitlines() == [
        "make test passed, without what this machine lacks:",
        "skipped: benchmarks/http_load.py --smoke, benchmarks/http_load.py --smoke --shopify"
        f" (no wrk): {install_line('wrk')}",
        f"skipped: 1 browser test (no chromium): {install_line('chromium')}",
    ]
    assert not (tmp_path / "skipped").exists()
