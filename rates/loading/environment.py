"""What the config names in the environment, checked in the environment of this run.

A shop's shared secret lives in the variable its entry names (`shops[i].secret_env`), never
in the file. When that variable is unset or empty the service still starts, and answers
404 `unknown_shop` to every callback of the shop: Shopify falls back to its backup rates
and nobody is told. `rates check` says so instead, as a warning rather than an error: the
files are right, only this run's environment lacks the secret, and checks often run where
it is rightly absent (CI, a merchant's laptop). `rates serve` says it again at start, where
it matters (`rates.commands.serve`). The at-risk webhook's signing secret
(`webhooks.secret_env`) is checked the same way; `rates serve` refuses to start without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from rates.loading.checks import Check
from rates.loading.problems import Problem
from rates.loading.yamlio import YamlDoc
from rates.settings import Shop, WebhookSettings
from rates.webhooks.config import secret_problem


def unset_secret_message(shop: Shop) -> str:
    """Why `shop`'s callbacks will fail: said the same way by `check` and `serve`."""
    return (f"${shop.secret_env} is not set (or is empty) here: Shopify's callbacks for "
            f"{shop.domain} will answer 404 unknown_shop until it holds the app's shared "
            "secret")


def missing_secrets(config: YamlDoc, shops: Sequence[Shop],
                    environ: Mapping[str, str]) -> Iterator[Problem]:
    """A warning at `shops[i].secret_env` for each shop whose secret `environ` lacks."""
    for index, shop in enumerate(shops):
        if shop.secret(environ) is None:
            yield config.problem(f"shops[{index}].secret_env", unset_secret_message(shop),
                                 Check.MISSING_SECRET)


def missing_webhook_secret(config: YamlDoc, webhook: WebhookSettings | None,
                           environ: Mapping[str, str]) -> Iterator[Problem]:
    """A warning at `webhooks.secret_env` when `environ` lacks a usable signing secret."""
    problem = None if webhook is None else secret_problem(webhook, environ)
    if problem is not None:
        yield config.problem("webhooks.secret_env", problem, Check.MISSING_SECRET)
