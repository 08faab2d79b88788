"""The `store:` section's retention: defaults, given values, and a retention shorter than
a quote can be accepted refused at the key that makes it so."""

from __future__ import annotations

from rates.settings import RetentionSettings
from tests.support.loading import CONFIG, Write, load, problems


def test_no_store_section_keeps_quotes_30_days_and_prunes_every_minute(write: Write) -> None:
    assert load(write()).settings.retention == RetentionSettings(30.0, 60.0)


def test_the_retention_and_the_interval_can_be_given(write: Write) -> None:
    config = CONFIG + ("store: {url: 'sqlite:///x.db', quote_retention_days: 7,\n"
                       "        prune_interval_seconds: 300}\n")
    settings = load(write(config=config)).settings
    assert settings.retention == RetentionSettings(7.0, 300.0)
    assert settings.store_url == "sqlite:///x.db"


def test_a_retention_shorter_than_a_quote_can_be_accepted_is_refused_at_it(
        write: Write) -> None:
    # CONFIG has 8 lines: `store:` is line 9, `orders:` line 10; the retention's value
    # starts after "store: {" (8), "url: 'sqlite:///x.db', " (23), "quote_retention_days: " (22).
    config = CONFIG + ("store: {url: 'sqlite:///x.db', quote_retention_days: 1.5}\n"
                       "orders: {quote_valid_hours: 48}\n")
    assert problems(write(config=config)) == [
        "config.yaml:9:54: error: must be at least 2 (orders.quote_valid_hours is 48 "
        "hours): a quote is kept while it can be accepted [bad-value]"]


def test_a_quote_valid_longer_than_the_default_retention_is_refused_at_its_hours(
        write: Write) -> None:
    config = CONFIG + "orders: {quote_valid_hours: 800}\n"
    assert problems(write(config=config)) == [
        "config.yaml:9:29: error: must be at most 720 (store.quote_retention_days is 30 "
        "days): a quote is kept while it can be accepted [bad-value]"]


def test_a_retention_of_exactly_the_validity_and_bad_values(write: Write) -> None:
    valid = CONFIG + ("store: {url: 'sqlite:///x.db', quote_retention_days: 2}\n"
                      "orders: {quote_valid_hours: 48}\n")
    assert load(write(config=valid)).settings.retention.quote_retention_days == 2.0
    config = CONFIG + ("store: {url: 'sqlite:///x.db', quote_retention_days: 0,\n"
                       "        prune_interval_seconds: 0.5}\n")
    assert problems(write(config=config)) == [
        "config.yaml:9:54: error: must be more than 0 [bad-value]",
        "config.yaml:10:33: error: must be at least 1 seconds [bad-value]"]
