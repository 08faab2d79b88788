"""Debian's Chromium driven by Playwright (the `serve` fixture, in tests/conftest.py, runs
the server).

Playwright's own browser builds are never used (`playwright install` downloads them): the
tests drive the `chromium` on PATH (Debian's package). Without it they skip, or fail under
CI (the `system` fixture).
"""

from collections.abc import Callable, Iterator

import pytest

from tests.support.browser import CHROMIUM_ARGS
from tests.support.system_needs import CHROMIUM, Need


@pytest.fixture(scope="session")
def browser(system: Callable[[Need, str], None]) -> Iterator[object]:
    system(CHROMIUM, "browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM.find()),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()
