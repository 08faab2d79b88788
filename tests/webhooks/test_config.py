"""The webhook secret comes from the environment, never the config file, and the service
starts only when it is a Standard Webhooks secret. (The `webhooks:` section itself is read
by the config loader: tests/loading/test_config_schema_webhooks.py; the secret's form:
test_secret.py.)"""

import pytest

from rates.domain.errors import ConfigError
from rates.settings import WebhookSettings
from rates.webhooks.config import webhook_secret
from tests.support.webhooks import KEY, SECRET

SETTINGS = WebhookSettings("https://shop.example.com/hooks/rates", "HOOK_SECRET")


def test_the_secret_is_read_from_the_named_variable_as_its_key():
    assert webhook_secret(SETTINGS, {"HOOK_SECRET": SECRET}) == KEY


@pytest.mark.parametrize(("environ", "state"), [
    ({}, "is not set"), ({"HOOK_SECRET": ""}, "is not set"),
    ({"HOOK_SECRET": "0123456789abcdef0123456789abcdef"}, "does not start with whsec_"),
    ({"HOOK_SECRET": "whsec_c2hvcnQ="}, "holds 5 bytes after whsec_, not 24 to 64")])
def test_a_missing_or_old_style_secret_is_a_config_error_saying_how_to_mint_one(environ, state):
    with pytest.raises(ConfigError) as refused:
        webhook_secret(SETTINGS, environ)
    assert refused.value.problems == [
        f"webhooks.secret_env: $HOOK_SECRET {state}; it must hold a Standard Webhooks secret, "
        "whsec_ and the base64 of 24 to 64 random bytes: mint one with "
        "`rates keys webhook-secret`"]
