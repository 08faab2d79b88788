"""`rates shopify register` against a stand-in Admin API on 127.0.0.1 (tests/support/
shopify_admin.py): what it sends, what a second run does, how refusals and a refused token
are reported, and that the token is never printed."""

import pytest

from rates.cli import main
from tests.support.shopify_admin import TOKEN, shopify_admin

SHOP = "example-outfitters.myshopify.com"
BASE = "http://127.0.0.1:9/rates-base"
CALLBACK = f"{BASE}/shopify/{SHOP}/rates"
HOOKS = f"{BASE}/shopify/{SHOP}/webhooks"
TOPICS = ["ORDERS_CREATE", "ORDERS_CANCELLED", "ORDERS_FULFILLED", "FULFILLMENTS_CREATE",
          "FULFILLMENTS_UPDATE", "PRODUCTS_CREATE", "PRODUCTS_UPDATE"]


@pytest.fixture
def admin(monkeypatch):
    monkeypatch.setenv("RATES_SHOPIFY_ADMIN_TOKEN", TOKEN)
    with shopify_admin() as shop:
        yield shop


@pytest.fixture
def register(admin, example, capsys):
    """register(*extra) -> (status, stdout, stderr) of one run on the example's shop."""

    def run(*extra, url=BASE + "/"):
        status = main(["shopify", "register", SHOP, "--url", url, "--config", str(example),
                       "--admin-url", admin.base, "--allow-http", *extra])
        out, err = capsys.readouterr()
        assert TOKEN not in out + err
        return status, out, err

    return run


def test_a_first_run_creates_the_carrier_service_and_each_subscription(admin, register):
    status, out, err = register()
    assert (status, err) == (0, "")
    assert admin.mutations == [
        ("CarrierServiceCreate", {"input": {"name": "Backorder Rates", "callbackUrl": CALLBACK,
                                            "active": True, "supportsServiceDiscovery": True}}),
        *[("WebhookSubscriptionCreate",
           {"topic": topic, "webhookSubscription": {"uri": HOOKS, "format": "JSON"}})
          for topic in TOPICS]]
    assert out.splitlines() == [
        f"carrier service 'Backorder Rates': created: Shopify calls {CALLBACK} "
        "(gid://shopify/DeliveryCarrierService/1001)",
        *[f"webhook {topic}: created: -> {HOOKS} (gid://shopify/WebhookSubscription/{1002 + i})"
          for i, topic in enumerate(TOPICS)]]
    assert {(r["path"], r["token"]) for r in admin.requests} == {
        ("/admin/api/2026-10/graphql.json", TOKEN)}


def test_a_second_run_finds_everything_and_changes_nothing(admin, register):
    register()
    sent = len(admin.mutations)
    status, out, _ = register()
    assert status == 0
    assert len(admin.mutations) == sent
    assert out.splitlines() == [
        "carrier service 'Backorder Rates': unchanged: already registered "
        f"(gid://shopify/DeliveryCarrierService/1001), Shopify calls {CALLBACK}",
        *[f"webhook {topic}: unchanged: already registered "
          f"(gid://shopify/WebhookSubscription/{1002 + i}) -> {HOOKS}"
          for i, topic in enumerate(TOPICS)]]
    # Both lists were read to their end: the stand-in pages them two at a time.
    listed = [r["body"]["variables"]["after"] for r in admin.requests[-5:]]
    assert listed == [None, None, "2", "4", "6"]


def test_a_moved_service_updates_its_carrier_service_and_adds_subscriptions(admin, register):
    admin.carrier_services.append({
        "id": "gid://shopify/DeliveryCarrierService/7", "name": "Backorder Rates",
        "callbackUrl": "https://old.example.com/rates", "active": False,
        "supportsServiceDiscovery": True})
    admin.subscriptions.append({"id": "gid://shopify/WebhookSubscription/8",
                                "topic": "ORDERS_CREATE", "uri": HOOKS, "format": "XML"})
    status, out, _ = register()
    assert status == 0
    assert admin.mutations[:2] == [
        ("CarrierServiceUpdate", {"input": {
            "id": "gid://shopify/DeliveryCarrierService/7", "name": "Backorder Rates",
            "callbackUrl": CALLBACK, "active": True, "supportsServiceDiscovery": True}}),
        ("WebhookSubscriptionUpdate", {"id": "gid://shopify/WebhookSubscription/8",
                                       "webhookSubscription": {"uri": HOOKS, "format": "JSON"}})]
    assert out.splitlines()[:2] == [
        "carrier service 'Backorder Rates': updated: gid://shopify/DeliveryCarrierService/7: "
        f"callback https://old.example.com/rates -> {CALLBACK}; inactive -> active",
        "webhook ORDERS_CREATE: updated: gid://shopify/WebhookSubscription/8: format XML -> JSON"]


def test_a_subscription_to_another_uri_is_named_and_left_alone(admin, register):
    admin.subscriptions.append({"id": "gid://shopify/WebhookSubscription/9",
                                "topic": "PRODUCTS_UPDATE", "uri": "https://other.example.com/h",
                                "format": "JSON"})
    status, out, _ = register()
    assert status == 0
    assert out.splitlines()[-1] == (
        f"webhook PRODUCTS_UPDATE: created: -> {HOOKS} (also delivered to "
        "https://other.example.com/h: left alone) (gid://shopify/WebhookSubscription/1008)")
    assert admin.subscriptions[0]["uri"] == "https://other.example.com/h"


def test_user_errors_are_reported_each_and_exit_1_after_the_other_steps(admin, register):
    admin.refuse["WebhookSubscriptionCreate"] = [
        {"field": ["webhookSubscription", "uri"], "message": "Address for this topic has "
                                                            "already been taken"},
        {"field": None, "message": "Something else"}]
    status, out, err = register()
    assert status == 1
    assert out.splitlines()[1:4] == [
        "webhook ORDERS_CREATE: failed: Shopify refused webhookSubscriptionCreate",
        "  webhookSubscription.uri: Address for this topic has already been taken",
        "  Something else"]
    assert out.count(": failed: ") == 7
    assert err == f"rates: {SHOP}: Shopify refused 7 steps (above)\n"


def test_a_carrier_service_refusal_shows_its_code(admin, register):
    admin.refuse["CarrierServiceCreate"] = [
        {"field": ["input", "callbackUrl"], "message": "Callback url is invalid",
         "code": "CARRIER_SERVICE_CREATE_FAILED"}]
    status, out, _ = register()
    assert status == 1
    assert out.splitlines()[:2] == [
        "carrier service 'Backorder Rates': failed: Shopify refused carrierServiceCreate",
        "  input.callbackUrl: Callback url is invalid [CARRIER_SERVICE_CREATE_FAILED]"]


def test_a_token_shopify_refuses_is_a_401_exit_1_before_any_change(admin, register,
                                                                  monkeypatch):
    monkeypatch.setenv("RATES_SHOPIFY_ADMIN_TOKEN", "shpat_not_this_shops_token")
    status, out, err = register()
    assert (status, out) == (1, "")
    assert err == (
        f"rates: {SHOP}: the Admin API answered HTTP 401: [API] Invalid API key or access "
        "token (unrecognized login or wrong password); is $RATES_SHOPIFY_ADMIN_TOKEN "
        f"{SHOP}'s current Admin API access token?\n")
    assert "shpat_not_this_shops_token" not in err
    assert admin.mutations == []


def test_an_unset_token_names_its_variable_and_exits_2(admin, register, monkeypatch):
    monkeypatch.setenv("RATES_SHOPIFY_ADMIN_TOKEN", "")
    status, _, err = register()
    assert status == 2
    assert err == ("rates: $RATES_SHOPIFY_ADMIN_TOKEN is not set (or is empty): set it to "
                   f"{SHOP}'s Admin API access token (the shop's entry names the variable in "
                   "admin_token_env)\n")
    assert admin.requests == []


def test_the_token_variable_is_the_one_the_shop_entry_names(admin, register, example,
                                                            monkeypatch):
    config = example.read_text().replace("secret_env: RATES_SHOPIFY_SECRET}",
                                         "secret_env: RATES_SHOPIFY_SECRET, "
                                         "admin_token_env: OUTFITTERS_ADMIN_TOKEN}")
    example.write_text(config)
    monkeypatch.setenv("OUTFITTERS_ADMIN_TOKEN", TOKEN)
    monkeypatch.delenv("RATES_SHOPIFY_ADMIN_TOKEN")
    assert register()[0] == 0


@pytest.mark.parametrize(("url", "reason"), [
    ("http://rates.example.com", "must be an absolute https:// URL such as "
                                 "https://rates.example.com, got 'http://rates.example.com'"),
    ("rates.example.com/x", "must be an absolute https:// URL such as "
                            "https://rates.example.com, got 'rates.example.com/x'"),
    ("/relative", "must be an absolute https:// URL such as https://rates.example.com, "
                  "got '/relative'"),
    ("https://rates.example.com/?a=1", "must have no user, query or fragment (routes are "
                                       "appended to it), got 'https://rates.example.com/?a=1'"),
])
def test_only_an_absolute_https_url_is_accepted(admin, example, capsys, url, reason):
    status = main(["shopify", "register", SHOP, "--url", url, "--config", str(example),
                   "--admin-url", admin.base])
    assert status == 2
    assert capsys.readouterr().err == f"rates: --url {reason}\n"
    assert admin.requests == []


def test_a_shop_missing_from_the_config_is_refused(admin, register, capsys, example):
    status = main(["shopify", "register", "someone-else.myshopify.com", "--url", BASE,
                   "--config", str(example), "--admin-url", admin.base, "--allow-http"])
    assert status == 2
    assert capsys.readouterr().err == (
        f"rates: someone-else.myshopify.com is not in the shops: of {example} (configured: "
        f"{SHOP}); add it with its secret_env first, or its callbacks would answer 404\n")
    assert admin.requests == []
