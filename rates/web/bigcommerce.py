"""BigCommerce's routes, for a store's Shipping Provider connection and its order webhooks
(docs/platforms.md):

- `POST /bigcommerce/{store_hash}/rate`: BigCommerce asks for quotes at checkout. The
  request carries the credential the merchant entered as the carrier's connection option
  (`rates_token`), compared in constant time with the store's; a wrong or missing one is
  401 and nothing is quoted or stored. The cart is translated by
  `rates.platforms.bigcommerce.rates` and quoted by the path every platform shares
  (`web/platforms.py`): a cart that cannot be quoted whole gets no quotes (or the store's
  fallback rate).
- `POST /bigcommerce/{store_hash}/check_connection_options`: the merchant connects the
  carrier; answered 200 with `valid` and, when not, why (BigCommerce shows it).
- `POST /bigcommerce/{store_hash}/webhooks`: `store/order/created` and
  `store/order/statusUpdated`, sent with the header `X-Rates-Webhook-Token` set to the
  same credential when the merchant created the webhook. The callback names only the
  order: its details are read through the v2 Orders API with the store's token
  (`rates.platforms.bigcommerce.api`), and an API that does not answer is a 503, so
  BigCommerce delivers the callback again later.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from rates.app.platform_events import Ignored, PlatformEvent
from rates.app.quoting import new_quote_id
from rates.domain.errors import RatesError
from rates.platforms.bigcommerce.api import OrdersApi, OrdersApiError
from rates.platforms.bigcommerce.orders import SCOPES, delivery_of, order_event
from rates.platforms.bigcommerce.rates import (
    CREDENTIAL_OPTION,
    authorized,
    cart_of,
    connection_answer,
    fallback_answer,
    no_quotes_answer,
    quotes_answer,
)
from rates.settings import BigCommerceStore, FallbackRate
from rates.web import platforms
from rates.web.auth import public
from rates.web.bodies import parse_json

bigcommerce = Blueprint("bigcommerce", __name__, url_prefix="/bigcommerce")
log = logging.getLogger("rates.bigcommerce")

PLATFORM = "bigcommerce"
WEBHOOK_HEADER = "X-Rates-Webhook-Token"


def _body() -> Any:
    return parse_json(request.get_data(cache=True))


def _credential(shop: BigCommerceStore) -> str:
    return shop.secret(platforms.environ()) or ""


def _carries_credential(shop: BigCommerceStore) -> tuple[str, str] | None:
    if authorized(_body(), _credential(shop)):
        return None
    field = f"connection_options.{CREDENTIAL_OPTION}"
    return field, f"{field} is not this store's rates token"


def _webhook_signed(shop: BigCommerceStore) -> tuple[str, str] | None:
    sent, expected = request.headers.get(WEBHOOK_HEADER, ""), _credential(shop)
    if expected and hmac.compare_digest(sent.encode(), expected.encode()):
        return None
    return WEBHOOK_HEADER, f"the {WEBHOOK_HEADER} header is not this store's rates token"


@bigcommerce.post("/<store_hash>/rate")
@public  # authenticated by the store's credential in the body instead of an API key
def rate(store_hash: str) -> Any:
    shop = platforms.verified(PLATFORM, BigCommerceStore, store_hash, _carries_credential)
    cart = cart_of(_body(), limits=platforms.limits())
    return platforms.answer(shop, cart, lambda served, voice: quotes_answer(
        served.quote, voice=voice, quote_id=served.document["id"]), _no_quotes)


def _no_quotes(fallback: FallbackRate | None, currency: str) -> dict[str, Any]:
    if fallback is None:
        return no_quotes_answer(new_quote_id())
    return fallback_answer(fallback, currency, quote_id=new_quote_id())


@bigcommerce.post("/<store_hash>/check_connection_options")
@public  # the merchant's credential is what is checked
def check_connection_options(store_hash: str) -> Any:
    shop = platforms.verified(PLATFORM, BigCommerceStore, store_hash, lambda _: None)
    return jsonify(connection_answer(_body(), credential=_credential(shop)))


@bigcommerce.post("/<store_hash>/webhooks")
@public  # authenticated by the store's credential in a header instead of an API key
def webhooks(store_hash: str) -> Any:
    try:
        shop = platforms.verified(PLATFORM, BigCommerceStore, store_hash, _webhook_signed)
    except RatesError:
        platforms.record(PLATFORM, store_hash, "", SCOPES, "", "refused")
        raise
    delivery = delivery_of(_body())
    return platforms.delivery(shop, delivery.delivery_id, delivery.scope, SCOPES,
                              lambda: _event(shop, delivery.scope, delivery.order_number))


def _event(shop: BigCommerceStore, scope: str, number: int) -> PlatformEvent:
    """The order's event, its details read through the Orders API: a 404 (the order is
    gone) is nothing to do; any other failure a 503, so BigCommerce retries."""
    api = OrdersApi(shop.store_hash, shop.api_token(platforms.environ()) or "",
                    api_base=shop.api_url)
    try:
        fetched = api.fetch(number)
        return order_event(scope, fetched.order, fetched.products, fetched.addresses,
                           store_hash=shop.store_hash, limits=platforms.limits(),
                           weight_unit=_weight_unit(shop, api),
                           shipping_quote=fetched.shipping_quote)
    except OrdersApiError as error:
        if error.status == 404:
            return Ignored(scope)
        log.warning("bigcommerce %s: order %s not read: %s", shop.store_hash, number, error)
        raise platforms.PlatformUnavailable(
            "BigCommerce's Orders API did not answer; deliver the webhook again later",
            {"order": [str(error)]}) from None
    finally:
        api.close()


def _weight_unit(shop: BigCommerceStore, api: OrdersApi) -> str:
    """The store's weight unit, read once per store and process (it is a store setting)."""
    units: dict[str, str] = current_app.config.setdefault("RATES_BIGCOMMERCE_UNITS", {})
    if shop.store_hash not in units:
        units[shop.store_hash] = api.weight_unit()
    return units[shop.store_hash]
