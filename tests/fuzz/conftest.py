"""The web tests' app, reused: the fuzz and hostile-input tests attack the very app that
tests/web/conftest.py builds (the bundled example, a fixed clock, one key per role), not
a look-alike that could drift from it.

tests/web is not a package, so its conftest is loaded here under its own module name and
its fixtures re-exported; `web_support` (its constants) is put on the path the way pytest
puts it there when tests/web itself is collected.
"""

import importlib.util
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "web"
if str(WEB) not in sys.path:
    sys.path.insert(0, str(WEB))


def _load_web_fixtures():
    spec = importlib.util.spec_from_file_location("web_fixtures", WEB / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_web = _load_web_fixtures()
live = _web.live
metrics = _web.metrics
live_rates = _web.live_rates
app = _web.app
client = _web.client
