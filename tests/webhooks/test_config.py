"""The webhook secret comes from the environment, never the config file, and must be long
enough to resist guessing. (The `webhooks:` section itself is read by the config loader:
tests/loading/test_config_schema_webhooks.py.)"""

import pytest

from rates.domain.errors import ConfigError
from rates.settings import WebhookSettings
from rates.webhooks.config import webhook_secret

URL = "https://shop.example.com/hooks/rates"


def test_the_secret_is_read_from_the_named_variable():
    settings = WebhookSettings(URL, "HOOK_SECRET")
    assert webhook_secret(settings, {"HOOK_SECRET": "0123456789abcdef"}) == "0123456789abcdef"


@pytest.mark.parametrize(("environ", "state"), [
    ({}, "is not set"), ({"HOOK_SECRET": ""}, "is not set"),
    ({"HOOK_SECRET": "short"}, "holds fewer than 16 characters")])
def test_a_missing_or_short_secret_is_a_config_error(environ, state):
    with pytest.raises(ConfigError, match=rf"webhooks.secret_env: \$HOOK_SECRET {state}"):
        webhook_secret(WebhookSettings(URL, "HOOK_SECRET"), environ)
