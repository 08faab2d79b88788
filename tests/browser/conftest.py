"""Debian's Chromium driven by Playwright (the `serve` fixture, in tests/conftest.py, runs
the server).

Playwright's own browser builds are never used (`playwright install` downloads them): the
tests drive /usr/bin/chromium. Without it they skip, unless CI is set, where a missing
browser must fail rather than pass quietly.
"""

import os
from collections.abc import Iterator

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()
