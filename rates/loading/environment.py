"""What the config names in the environment, checked in the environment of this run.

A checkout platform's store keeps its secrets in the variables its entry names (Shopify's
`shops[i].secret_env`, BigCommerce's `bigcommerce[i].secret_env` and `api_token_env`), never
in the file. When one is unset or empty the service still starts, and answers 404
`unknown_shop` to every call for that store: the platform falls back to its backup rates (or
shows none) and nobody is told. `rates check` says so instead, as a warning rather than an
error: the files are right, only this run's environment lacks the secret, and checks often
run where it is rightly absent (CI, a merchant's laptop). `rates serve` says it again at
start, where it matters (`rates.commands.serve`). The at-risk webhook's signing secret
(`webhooks.secret_env`) is checked the same way; `rates serve` refuses to start without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rates.loading.checks import Check
from rates.loading.problems import Problem
from rates.loading.yamlio import YamlDoc
from rates.settings import PlatformStore, Settings, WebhookSettings
from rates.webhooks.config import secret_problem

SECTIONS = {"shopify": "shops", "bigcommerce": "bigcommerce", "saleor": "saleor"}
"""Each platform's section of the config file."""

NEEDS = {
    ("shopify", "secret_env"): ("Shopify's callbacks and webhooks", "the app's shared secret"),
    ("bigcommerce", "secret_env"): ("BigCommerce's rate requests and webhooks",
                                    "the credential entered as the carrier's connection "
                                    "option"),
    ("bigcommerce", "api_token_env"): ("BigCommerce's rate requests and webhooks",
                                       "the store's API account token (orders are read "
                                       "with it)"),
}
"""What answers 404 while a store's variable is unset, and what the variable must hold."""


def unset_secret_message(shop: PlatformStore, field: str) -> str:
    """Why `shop`'s calls will fail while the variable its `field` names is unset: said
    the same way by `check` and `serve`."""
    calls, holds = NEEDS[shop.platform, field]
    return (f"${getattr(shop, field)} is not set (or is empty) here: {calls} for "
            f"{shop.name} will answer 404 unknown_shop until it holds {holds}")


def missing_secrets(config: YamlDoc, settings: Settings,
                    environ: Mapping[str, str]) -> Iterator[Problem]:
    """A warning at the field of each store's variable that `environ` leaves unset."""
    for platform, section in SECTIONS.items():
        stores = [shop for shop in settings.stores if shop.platform == platform]
        for index, shop in enumerate(stores):
            for field in shop.unset(environ):
                yield config.problem(f"{section}[{index}].{field}",
                                     unset_secret_message(shop, field), Check.MISSING_SECRET)


def missing_webhook_secret(config: YamlDoc, webhook: WebhookSettings | None,
                           environ: Mapping[str, str]) -> Iterator[Problem]:
    """A warning at `webhooks.secret_env` when `environ` lacks a usable signing secret."""
    problem = None if webhook is None else secret_problem(webhook, environ)
    if problem is not None:
        yield config.problem("webhooks.secret_env", problem, Check.MISSING_SECRET)
