"""The `support:` section of the config: the console's time zone, its default, and a wrong
name at its line."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tests.support.loading import CONFIG, Write, load, problems


def test_the_console_writes_times_in_the_first_locations_zone_by_default(write: Write) -> None:
    assert load(write()).settings.support.timezone == ZoneInfo("America/Los_Angeles")


def test_the_merchant_may_name_another_zone(write: Write) -> None:
    config = CONFIG + "support: {timezone: America/New_York}\n"
    assert load(write(config=config)).settings.support.timezone == ZoneInfo("America/New_York")


def test_an_unknown_zone_is_reported_at_its_line(write: Write) -> None:
    # CONFIG has 8 lines; `support:` is line 9, its timezone line 10.
    config = CONFIG + "support:\n  timezone: America/Los_Angles\n"
    assert problems(write(config=config)) == [
        "config.yaml:10:13: error: unknown time zone 'America/Los_Angles'; did you mean "
        "'America/Los_Angeles'? [unknown-reference]"]
