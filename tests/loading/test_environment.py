"""A shop whose secret variable is unset or empty: a warning at its entry, from
`inspect_setup` given the environment, and nothing from the files alone."""

from rates.loading.builder import inspect_setup
from tests.support.loading import CONFIG, TODAY

SHOPS = """\
shops:
  - domain: first-shop.myshopify.com
    secret_env: FIRST_SECRET
  - {domain: second-shop.myshopify.com, secret_env: SECOND_SECRET}
"""


def shown(path, environ):
    return [str(problem) for problem in inspect_setup(path, TODAY, environ=environ).problems]


def test_each_shop_without_its_secret_is_a_warning_at_its_secret_env(write):
    path = write(config=CONFIG + SHOPS)
    assert shown(path, {"FIRST_SECRET": "", "OTHER": "x"}) == [
        "config.yaml:11:17: warning: $FIRST_SECRET is not set (or is empty) here: Shopify's "
        "callbacks for first-shop.myshopify.com will answer 404 unknown_shop until it holds "
        "the app's shared secret [missing-secret]",
        "config.yaml:12:53: warning: $SECOND_SECRET is not set (or is empty) here: Shopify's "
        "callbacks for second-shop.myshopify.com will answer 404 unknown_shop until it holds "
        "the app's shared secret [missing-secret]"]


def test_shops_whose_secrets_are_set_are_clean(write):
    path = write(config=CONFIG + SHOPS)
    assert shown(path, {"FIRST_SECRET": "s1", "SECOND_SECRET": "s2"}) == []


def test_without_an_environment_only_the_files_are_checked(write):
    path = write(config=CONFIG + SHOPS)
    assert inspect_setup(path, TODAY).problems == ()


def test_a_broken_config_reports_its_errors_not_the_environment(write):
    path = write(config=CONFIG + SHOPS.replace("first-shop", "first_shop"))
    checks = {problem.check_id for problem in inspect_setup(path, TODAY, environ={}).problems}
    assert checks == {"bad-value"}


WEBHOOKS = """\
webhooks:
  url: https://hooks.example.com/at-risk
  secret_env: RISK_SECRET
"""
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # 24 bytes, padded base64


def test_a_webhook_secret_missing_or_of_the_old_kind_is_a_warning_at_its_secret_env(write):
    path = write(config=CONFIG + WEBHOOKS)
    told = "it must hold a Standard Webhooks secret, whsec_ and the base64 of 24 to 64 " \
           "random bytes: mint one with `rates keys webhook-secret` [missing-secret]"
    assert shown(path, {}) == [f"config.yaml:11:15: warning: $RISK_SECRET is not set; {told}"]
    [old_kind] = shown(path, {"RISK_SECRET": "a plain shared secret of old"})
    assert old_kind.startswith("config.yaml:11:15: warning: $RISK_SECRET ")
    assert old_kind.endswith(told) and "plain shared" not in old_kind


def test_a_standard_webhooks_secret_is_clean(write):
    path = write(config=CONFIG + WEBHOOKS)
    assert shown(path, {"RISK_SECRET": SECRET}) == []
