"""The `webhooks:` section of the config: defaults, and every problem at its line."""

from __future__ import annotations

import pytest

from rates.settings import WebhookSettings
from tests.support.loading import CONFIG, Write, load, problems

URL = "https://shop.example.com/hooks/rates"


def with_webhooks(section: str) -> str:
    return CONFIG + "webhooks:\n" + section


def test_no_section_means_no_webhooks(write: Write) -> None:
    assert load(write()).settings.webhook is None


def test_url_and_secret_env_are_enough(write: Write) -> None:
    config = with_webhooks(f"  url: {URL}\n  secret_env: RATES_WEBHOOK_SECRET\n")
    assert load(write(config=config)).settings.webhook == WebhookSettings(
        URL, "RATES_WEBHOOK_SECRET", timeout_seconds=5, max_attempts=8,
        first_retry_seconds=30, max_retry_seconds=3600, poll_seconds=5)


def test_every_setting_can_be_given(write: Write) -> None:
    config = with_webhooks(
        "  url: http://127.0.0.1:9000/hook\n  secret_env: HOOK_SECRET\n  timeout_seconds: 2\n"
        "  max_attempts: 3\n  first_retry_seconds: 10\n  max_retry_seconds: 60.5\n"
        "  poll_seconds: 0.5\n")
    assert load(write(config=config)).settings.webhook == WebhookSettings(
        "http://127.0.0.1:9000/hook", "HOOK_SECRET", 2.0, 3, 10.0, 60.5, 0.5)


def test_every_problem_is_reported_at_its_line(write: Write) -> None:
    # CONFIG has 8 lines; the section starts on line 9.
    config = with_webhooks(
        "  url: ftp://shop.example.com/x\n  secret_env: lower-case\n  timeout_seconds: 0\n"
        "  max_attempts: 2.5\n  retries: 3\n")
    assert problems(write(config=config)) == [
        "config.yaml:10:8: error: must be an https:// URL (http:// only to localhost), got "
        "'ftp://shop.example.com/x' [bad-value]",
        "config.yaml:11:15: error: must name an environment variable, e.g. "
        "RATES_WEBHOOK_SECRET [bad-value]",
        "config.yaml:12:20: error: must be from 0.1 to 60 seconds [bad-value]",
        "config.yaml:13:17: error: expected a whole number [bad-value]",
        "config.yaml:14:3: error: unknown key 'retries' [unknown-key]",
    ]


@pytest.mark.parametrize("url", ["http://localhost:8000/h", "http://127.0.0.1/h",
                                 "http://[::1]:9/h", "https://hooks.example.com"])
def test_plain_http_is_allowed_only_on_this_machine(write: Write, url: str) -> None:
    config = with_webhooks(f"  url: '{url}'\n  secret_env: S\n")
    webhook = load(write(config=config)).settings.webhook
    assert webhook is not None and webhook.url == url


@pytest.mark.parametrize(("url", "problem"), [
    ("http://shop.example.com/hooks", "must use https:// for a host other than localhost"),
    ("shop.example.com/hooks", "must be an https:// URL"),
    ("https:///hooks", "must be an https:// URL"),
    ("https://shop.example.com/a hook", "must be an https:// URL"),
])
def test_a_url_events_cannot_safely_go_to_is_refused(write: Write, url: str,
                                                     problem: str) -> None:
    (found,) = problems(write(config=with_webhooks(f"  url: '{url}'\n  secret_env: S\n")))
    assert found.startswith(f"config.yaml:10:8: error: {problem}")


def test_the_retry_cap_cannot_be_below_the_first_retry(write: Write) -> None:
    config = with_webhooks(f"  url: {URL}\n  secret_env: S\n  first_retry_seconds: 7200\n")
    (found,) = problems(write(config=config))
    assert "must be at least first_retry_seconds" in found
