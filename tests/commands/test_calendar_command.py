"""`rates calendar` on the bundled example: real files, real holidays, hand-checked days.

    November 2026                        December 2026 / January 2027
    Mo Tu We Th Fr Sa Su                 Mo Tu We Th Fr Sa Su
                       1                     1  2  3  4  5  6
     2  3  4  5  6  7  8                  7  8  9 10 11 12 13
     9 10 11 12 13 14 15                 14 15 16 17 18 19 20
    16 17 18 19 20 21 22                 21 22 23 24 25 26 27
    23 24 25 26 27 28 29                 28 29 30 31  1  2  3
    30

Wed Nov 11 Veterans Day; Thu Nov 26 Thanksgiving Day, Fri Nov 27 Family Day (Nevada only);
Fri Dec 25 Christmas Day; Sat Dec 26 Boxing Day (Canada), observed Mon Dec 28 in Ontario;
Fri Jan 1 New Year's Day. The example config closes reno on Dec 24 and Dec 31 - Jan 1,
toronto on Dec 24 and Dec 31.
"""


from rates.cli import main
from tests.support.project import EXAMPLE_CONFIG

CONFIG = str(EXAMPLE_CONFIG)


def calendar(capsys, *args):
    status = main(["calendar", *args, "--config", CONFIG])
    out, err = capsys.readouterr()
    return status, out, err


def sections(out):
    """{heading: {date: rest of the line}} for each calendar printed."""
    found = {}
    for block in out.strip().split("\n\n"):
        heading, *rows = block.splitlines()
        found[heading] = {row[4:14]: row[16:] for row in rows}
    return found


def test_reno_thanksgiving_week_one_line_a_day(capsys):
    status, out, _ = calendar(capsys, "reno", "--from", "2026-11-23", "--days", "7")
    assert status == 0
    assert out == (
        "reno\n"
        "Mon 2026-11-23  open\n"
        "Tue 2026-11-24  open\n"
        "Wed 2026-11-25  open\n"
        "Thu 2026-11-26  closed  Thanksgiving Day\n"
        "Fri 2026-11-27  closed  Family Day\n"
        "Sat 2026-11-28  closed  Saturday\n"
        "Sun 2026-11-29  closed  Sunday\n")


def test_reno_closures_name_the_merchant_s_reason_before_the_holiday(capsys):
    _, out, _ = calendar(capsys, "reno", "--from", "2026-12-23", "--days", "11")
    days = sections(out)["reno"]
    assert days["2026-12-23"] == "open"
    assert days["2026-12-24"] == "closed  closed: Christmas Eve"
    assert days["2026-12-25"] == "closed  Christmas Day"
    assert days["2026-12-28"] == "open"
    assert days["2026-12-31"] == "closed  closed: Year-end inventory count"
    assert days["2027-01-01"] == "closed  closed: Year-end inventory count"  # not New Year's
    assert days["2027-01-02"] == "closed  Saturday"


def test_toronto_observes_boxing_day_on_the_monday(capsys):
    _, out, _ = calendar(capsys, "toronto", "--from", "2026-12-24", "--days", "8")
    days = sections(out)["toronto"]
    assert days["2026-12-24"] == "closed  closed: Christmas Eve"
    assert days["2026-12-26"] == "closed  Boxing Day"
    assert days["2026-12-28"] == "closed  Boxing Day (observed)"
    assert days["2026-12-29"] == "open"
    assert days["2026-12-31"] == "closed  closed: New Year's Eve"


def test_a_carrier_shows_pickup_where_it_collects_then_delivery(capsys):
    status, out, _ = calendar(capsys, "usps", "--from", "2026-11-23", "--days", "7")
    assert status == 0
    found = sections(out)
    # USPS zones all start at reno or newark: it never collects at toronto. Both are in the
    # US, so there is one delivery calendar, with the federal holidays only.
    assert list(found) == ["usps pickup at reno", "usps pickup at newark", "usps delivery US"]
    assert found["usps pickup at reno"]["2026-11-27"] == "closed  Family Day"  # reno shut
    assert found["usps pickup at newark"]["2026-11-27"] == "open"
    delivery = found["usps delivery US"]
    assert delivery["2026-11-26"] == "closed  Thanksgiving Day"
    assert delivery["2026-11-27"] == "open"
    assert delivery["2026-11-28"] == "open"  # USPS delivers on Saturdays
    assert delivery["2026-11-29"] == "closed  Sunday"


def test_each_carrier_keeps_only_the_holidays_it_observes(capsys):
    _, usps, _ = calendar(capsys, "usps", "--from", "2026-11-11", "--days", "1",
                          "--at", "reno", "--to", "US-NV")
    _, ups, _ = calendar(capsys, "ups", "--from", "2026-11-11", "--days", "1",
                         "--at", "reno", "--to", "US-NV")
    # Veterans Day: a federal holiday USPS keeps and UPS works through; reno keeps it too.
    assert sections(usps) == {"usps pickup at reno": {"2026-11-11": "closed  Veterans Day"},
                              "usps delivery US-NV": {"2026-11-11": "closed  Veterans Day"}}
    assert sections(ups) == {"ups pickup at reno": {"2026-11-11": "closed  Veterans Day"},
                             "ups delivery US-NV": {"2026-11-11": "open"}}


def test_delivery_defaults_to_each_pickup_location_s_country(capsys):
    _, out, _ = calendar(capsys, "ups", "--from", "2026-12-28", "--days", "1")
    assert list(sections(out)) == ["ups pickup at reno", "ups pickup at newark",
                                   "ups pickup at toronto", "ups delivery US",
                                   "ups delivery CA"]
    _, out, _ = calendar(capsys, "canada_post", "--from", "2026-12-28", "--days", "1",
                         "--to", "US-NY")
    found = sections(out)
    assert found["canada_post pickup at toronto"]["2026-12-28"] == \
        "closed  Boxing Day (observed)"
    assert found["canada_post delivery US-NY"]["2026-12-28"] == "open"


def test_an_unknown_name_exits_2_with_the_closest_one(capsys):
    status, out, err = calendar(capsys, "rno", "--from", "2026-11-23", "--days", "3")
    assert status == 2 and out == ""
    assert "no location or carrier called 'rno'; did you mean 'reno'?" in err


def test_at_must_be_a_location_the_carrier_collects_from(capsys):
    status, _, err = calendar(capsys, "ups", "--at", "torono", "--from", "2026-11-23",
                              "--days", "3")
    assert status == 2 and "no location called 'torono'; did you mean 'toronto'?" in err
    status, _, err = calendar(capsys, "usps", "--at", "toronto", "--from", "2026-11-23",
                              "--days", "3")
    assert status == 2 and "usps does not collect at toronto; it collects at reno, newark" in err


def test_to_must_be_a_place_with_known_holidays(capsys):
    status, _, err = calendar(capsys, "ups", "--to", "US-XX", "--from", "2026-11-23",
                              "--days", "3")
    assert status == 2 and "knows no subdivision 'XX' of US" in err


def test_at_and_to_are_for_carriers(capsys):
    status, _, err = calendar(capsys, "reno", "--to", "US", "--from", "2026-11-23",
                              "--days", "3")
    assert status == 2 and "--at and --to apply to a carrier" in err


def test_days_past_the_calendar_horizon_fail_whole_with_the_limit(capsys):
    # Built around 2026: Jan 1 2025 to Dec 31 2029, so 1135 days from Nov 23, 2026.
    status, out, err = calendar(capsys, "reno", "--from", "2026-11-23", "--days", "1136")
    assert status == 2 and out == ""
    assert "runs past the calendars, which end on 2029-12-31; ask for at most 1135 days" in err
    status, out, _ = calendar(capsys, "reno", "--from", "2026-11-23", "--days", "1135")
    assert status == 0 and out.splitlines()[-1] == "Mon 2029-12-31  open"
