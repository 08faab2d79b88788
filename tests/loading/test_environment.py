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
        "callbacks and webhooks for first-shop.myshopify.com will answer 404 unknown_shop "
        "until it holds the app's shared secret [missing-secret]",
        "config.yaml:12:53: warning: $SECOND_SECRET is not set (or is empty) here: Shopify's "
        "callbacks and webhooks for second-shop.myshopify.com will answer 404 unknown_shop "
        "until it holds the app's shared secret [missing-secret]"]


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


PLATFORMS = """\
bigcommerce:
  - {store_hash: abc123, secret_env: BC_RATES_TOKEN, api_token_env: BC_API_TOKEN}
saleor:
  - {domain: shop.saleor.cloud}
"""


def test_a_bigcommerce_store_is_warned_of_each_variable_it_lacks(write):
    path = write(config=CONFIG + PLATFORMS)
    assert shown(path, {"BC_RATES_TOKEN": "t"}) == [
        "config.yaml:10:69: warning: $BC_API_TOKEN is not set (or is empty) here: BigCommerce's "
        "rate requests and webhooks for abc123 will answer 404 unknown_shop until it holds the "
        "store's API account token (orders are read with it) [missing-secret]"]
    # A Saleor instance has no secret: its public keys are fetched from the instance.
    assert shown(path, {"BC_RATES_TOKEN": "t", "BC_API_TOKEN": "a"}) == []


def test_a_platform_entry_is_checked_field_by_field(write):
    path = write(config=CONFIG + """\
bigcommerce:
  - {store_hash: ABC-123, secret_env: bc token, api_token_env: BC_API_TOKEN}
saleor:
  - {domain: "https://shop.saleor.cloud/"}
""")
    assert shown(path, {}) == [
        "config.yaml:10:18: error: must be the store hash, e.g. abc123 (from the store's API "
        "path /stores/abc123/) [bad-value]",
        "config.yaml:10:39: error: must name an environment variable, e.g. "
        "BIGCOMMERCE_RATES_TOKEN [bad-value]",
        "config.yaml:12:14: error: must be the instance's domain as its Saleor-Domain header "
        "names it, e.g. shop.saleor.cloud [bad-value]"]
