"""The `webhooks:` section of the config: where events go and how hard to try.

The loader (`rates.loading.config_schema.WebhooksSchema`) reads the section into
`WebhookSettings`, reporting problems at their file:line like the rest of the file; the
secret itself is read from the environment when the service starts (its form:
`rates.webhooks.secret`).
"""

from __future__ import annotations

from collections.abc import Mapping

from rates.domain.errors import ConfigError
from rates.settings import WebhookSettings
from rates.webhooks.secret import MAX_BYTES, MIN_BYTES, PREFIX, signing_key

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})


def webhook_secret(settings: WebhookSettings, environ: Mapping[str, str]) -> bytes:
    """The signing key held by the variable `settings.secret_env` in `environ`.

    ConfigError when it is unset or not a Standard Webhooks secret, a plain secret of the
    old `X-Rates-Signature` scheme included: the receiver verifies with new code anyway, so
    it takes a new secret too, rather than one whose meaning differs between libraries."""
    problem = secret_problem(settings, environ)
    if problem is not None:
        raise ConfigError([f"webhooks.secret_env: {problem}"])
    return signing_key(environ[settings.secret_env])


def secret_problem(settings: WebhookSettings, environ: Mapping[str, str]) -> str | None:
    """Why `environ` holds no usable signing secret for `settings`, or None: said the same
    way by `rates check` (a warning) and `rates serve` (which refuses to start)."""
    text = environ.get(settings.secret_env, "")
    try:
        signing_key(text)
    except ValueError as error:
        state = str(error) if text else "is not set"
        return (f"${settings.secret_env} {state}; it must hold a Standard Webhooks secret, "
                f"{PREFIX} and the base64 of {MIN_BYTES} to {MAX_BYTES} random bytes: mint "
                "one with `rates keys webhook-secret`")
    return None


def url_problem(url: object) -> str | None:
    """Why events cannot go to `url`, or None. Plain http only on this machine: an event
    names the customer's order, which must not cross a network in clear."""
    expected = "an https:// URL (http:// only to localhost)"
    if not isinstance(url, str):
        return f"must be {expected}, got {url!r}"
    # The parser `requests` sends with, imported only when a config names a webhook: it
    # brings ssl, http and email along, a tenth of every start-up otherwise.
    from urllib3.util import parse_url

    try:
        parsed = parse_url(url)
    except ValueError:
        return f"must be {expected}, got {url!r}"
    host = (parsed.host or "").lower()
    if not host or parsed.scheme not in ("http", "https") or any(c.isspace() for c in url):
        return f"must be {expected}, got {url!r}"
    if parsed.scheme == "http" and host not in _LOOPBACK:
        return f"must use https:// for a host other than localhost, got {url!r}"
    return None
