"""The register steps on the stand-in shop, in process (no HTTP): what is sent for what
exists; the command's tests (tests/commands/test_shopify_command.py) go over HTTP."""

import json

import pytest

from rates.platforms.shopify.admin import AdminApiError, answer_data
from rates.platforms.shopify.register import State, register
from tests.support.shopify_admin import PATH, TOKEN, FakeShop

BASE = "https://rates.example.com"
SHOP = "s.myshopify.com"


def sender(shop):
    def send(request):
        status, body = shop.answer(PATH, TOKEN, request.body())
        return answer_data(status, json.dumps(body))
    return send


def test_an_active_service_with_our_callback_is_left_as_it_is():
    shop = FakeShop(carrier_services=[{
        "id": "gid://shopify/DeliveryCarrierService/5", "name": "Backorder Rates",
        "callbackUrl": f"{BASE}/shopify/{SHOP}/rates", "active": True,
        "supportsServiceDiscovery": True}])
    first = next(register(sender(shop), SHOP, BASE))
    assert (first.state, shop.mutations) == (State.UNCHANGED, [])


def test_a_service_of_another_name_is_not_ours():
    shop = FakeShop(carrier_services=[{
        "id": "gid://shopify/DeliveryCarrierService/5", "name": "UPS",
        "callbackUrl": "https://ups.example.com", "active": True,
        "supportsServiceDiscovery": False}])
    first = next(register(sender(shop), SHOP, BASE, name="Our Rates"))
    assert first.state is State.CREATED
    assert [op for op, _ in shop.mutations] == ["CarrierServiceCreate"]
    assert shop.carrier_services[0]["callbackUrl"] == "https://ups.example.com"


def test_a_failing_api_stops_the_run_after_the_steps_done():
    shop = FakeShop()
    send = sender(shop)
    calls = []

    def failing(request):
        calls.append(request.root)
        if request.root == "webhookSubscriptions":
            raise AdminApiError("the Admin API answered HTTP 503", 503)
        return send(request)

    steps = register(failing, SHOP, BASE)
    assert next(steps).state is State.CREATED
    with pytest.raises(AdminApiError):
        next(steps)
    assert calls == ["carrierServices", "carrierServiceCreate", "webhookSubscriptions"]


def test_a_list_that_never_ends_is_stopped():
    shop = FakeShop(carrier_services=[{"id": f"gid://x/{i}", "name": f"n{i}",
                                       "callbackUrl": "", "active": True,
                                       "supportsServiceDiscovery": True}
                                      for i in range(200)], page_size=1)
    with pytest.raises(AdminApiError) as stopped:
        next(register(sender(shop), SHOP, BASE))
    assert stopped.value.message == "the Admin API listed more than 50 pages: stopped"
