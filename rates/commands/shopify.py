"""`rates shopify register SHOP --url URL [--name NAME] [--config PATH]`: set a shop up.

Creates, through Shopify's Admin GraphQL API, the carrier service whose callback is
URL/shopify/SHOP/rates and the webhook subscriptions to URL/shopify/SHOP/webhooks
(`rates.platforms.shopify.register`: re-runnable, it changes only what differs). SHOP must
be in the config's `shops:` (else every callback would answer 404), the config must load,
and URL must be an absolute https:// URL. The Admin API token is read from the variable
the shop's entry names in `admin_token_env` (default RATES_SHOPIFY_ADMIN_TOKEN) and is
never printed.

One line per step on stdout ("created", "updated", "unchanged" or "failed", and why).
Exit status: 0 every step done, 1 Shopify refused a step or the Admin API failed, 2 bad
input (URL, SHOP, config, unset token).

`--admin-url` and `--allow-http` exist for tests against a stand-in on this machine: the
first replaces https://SHOP as the Admin API's address, the second lets both URLs be
http://.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from functools import partial
from typing import Any

from rates.commands.common import add_config
from rates.domain.errors import RatesError
from rates.loading import load_setup
from rates.platforms.shopify import register as shopify_register
from rates.platforms.shopify.admin import AdminApiError, admin_endpoint, post_graphql, url_problem
from rates.settings import Shop


def register(commands: Any) -> None:
    shopify = commands.add_parser("shopify", help="set a Shopify shop up for this service")
    actions = shopify.add_subparsers(dest="shopify_command", required=True)
    setup = actions.add_parser(
        "register", help="create or update the shop's carrier service and webhook "
                         "subscriptions; exit 0 done, 1 refused, 2 bad input")
    setup.add_argument("shop", metavar="SHOP", help="the shop's my-shop.myshopify.com domain, "
                                                    "as in the config's shops:")
    setup.add_argument("--url", required=True,
                       help="this service's public https:// base URL, e.g. "
                            "https://rates.example.com")
    setup.add_argument("--name", default=shopify_register.SERVICE_NAME,
                       help=f"the carrier service's name (default: "
                            f"{shopify_register.SERVICE_NAME!r})")
    add_config(setup)
    setup.add_argument("--admin-url", help="tests: the Admin API's base URL instead of "
                                           "https://SHOP")
    setup.add_argument("--allow-http", action="store_true",
                       help="tests: accept http:// for --url and --admin-url")
    setup.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for option, url in (("--url", args.url), ("--admin-url", args.admin_url)):
        problem = url_problem(url, allow_http=args.allow_http) if url is not None else None
        if problem:
            raise RatesError(f"{option} {problem}")
    shop = _configured(args)
    token = shop.admin_token(os.environ)
    if token is None:
        raise RatesError(f"${shop.admin_token_env} is not set (or is empty): set it to "
                         f"{shop.domain}'s Admin API access token (the shop's entry names the "
                         "variable in admin_token_env)")
    send = partial(post_graphql, admin_endpoint(shop.domain, args.admin_url), token)
    failures = 0
    try:
        for outcome in shopify_register.register(send, shop.domain, args.url, args.name):
            print("\n".join(outcome.lines()), flush=True)
            failures += outcome.state is shopify_register.State.FAILED
    except AdminApiError as error:
        print(f"rates: {shop.domain}: {error.message}{_hint(error, shop)}", file=sys.stderr)
        return 1
    if failures:
        print(f"rates: {shop.domain}: Shopify refused {failures} "
              f"step{'' if failures == 1 else 's'} (above)", file=sys.stderr)
    return 1 if failures else 0


def _configured(args: argparse.Namespace) -> Shop:
    """The shop's entry in the config, which must load: registering a shop the service
    cannot answer would only move the failure to the first checkout."""
    settings = load_setup(args.config, today=datetime.now(UTC).date()).settings
    for shop in settings.shops:
        if shop.domain == args.shop:
            return shop
    known = ", ".join(shop.domain for shop in settings.shops) or "none"
    raise RatesError(f"{args.shop} is not in the shops: of {args.config} (configured: "
                     f"{known}); add it with its secret_env first, or its callbacks would "
                     "answer 404")


def _hint(error: AdminApiError, shop: Shop) -> str:
    if error.status == 401:
        return (f"; is ${shop.admin_token_env} {shop.domain}'s current Admin API access "
                "token?")
    if error.status == 403:
        return ("; the app needs the write_shipping, read_orders and read_products access "
                "scopes")
    return ""
