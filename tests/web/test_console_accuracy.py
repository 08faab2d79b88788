"""The console's Promise accuracy page on the real app: the figures of the deliveries in
tests/app/test_accuracy.py, its two charts served as SVG images under their own policy,
and a `since` written wrong said on the page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rates.app.accuracy import Accuracy
from rates.domain.accuracy import ShipmentKey, accuracy_report
from rates.settings import Role
from rates.web.console import page as render_page
from tests.app.test_accuracy import deliveries
from tests.domain.test_accuracy import SHIPMENTS, dec
from tests.support.web import KEYS, NOW, sign_in
from tests.web.test_console import text


@pytest.fixture
def console(client):
    deliveries(client)
    sign_in(client, KEYS[Role.SUPPORT])
    return client


def test_the_page_gives_the_headline_figures_and_the_tables(console):
    response = console.get("/support/accuracy?since=2026-11-25")

    page = text(response)
    assert response.status_code == 200
    assert 'value="2026-11-25"' in response.get_data(as_text=True)
    # 3 deliveries: order-1's two (-2, +1), order-2's (-1); 2 records left out.
    assert ("Since Wed Nov 25, 2026 Delivered 3 shipments Inside the promised window 67 % "
            "2 of 3; 0 early, 1 late Median 1 day early") in page
    assert "9 in 10 arrived by 1 day late" in page
    assert "2 delivery records left out" in page
    assert "ups/ground 2 50 % (1) 0 1 2 days early 1 day late" in page
    assert "usps/priority 1 100 % (1) 0 0 1 day early 1 day early" in page
    assert "in_stock_first 2 50 % (1)" in page
    assert "Mon Nov 23, 2026 2 100 % (2) 4.0 2.5" in page
    assert "Mon Dec 14, 2026 1 0 % (0) 25.0 26.0" in page
    assert "Summit Tents 1 0 % (0) 0 1 1 day late 1 day late" in page  # order-1 #2
    html = response.get_data(as_text=True)
    assert re.search(r'<img src="/support/accuracy/weekly.svg\?since=2026-11-25"\s+alt="Line '
                     r'chart by week of delivery', html)
    assert re.search(r'<img src="/support/accuracy/suppliers.svg\?since=2026-11-25"\s+alt="Bar '
                     r'chart: the share of each supplier', html)
    assert html.count("<table") == html.count("<caption>") == 4


def test_the_console_links_to_the_page(console):
    page = console.get("/support").get_data(as_text=True)

    assert '<a href="/support/accuracy">Promise accuracy</a>' in page


def test_by_default_the_page_counts_the_last_90_days(console):
    page = text(console.get("/support/accuracy"))

    assert "Since Tue Aug 25, 2026 Delivered 4 shipments" in page


@pytest.mark.parametrize("chart", ["weekly", "suppliers"])
def test_each_chart_is_an_svg_image_with_a_policy_for_an_image(console, chart):
    response = console.get(f"/support/accuracy/{chart}.svg?since=2026-11-25")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"')
    assert b"<script" not in response.data
    # The page keeps its own policy.
    page = console.get("/support/accuracy")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'; ")


def test_the_weekly_chart_draws_each_week_and_its_words_stay_text(console):
    svg = console.get("/support/accuracy/weekly.svg?since=2026-11-25").get_data(as_text=True)

    assert ">Nov 23<" in svg and ">Dec 14<" in svg  # the weeks' Mondays, as text
    assert ">promised (order to latest date)<" in svg and ">mean days<" in svg


@pytest.mark.parametrize("path", ["/support/accuracy", "/support/accuracy/weekly.svg",
                                  "/support/accuracy/suppliers.svg"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/support/sign-in?next=")


@pytest.mark.parametrize("since", ["2026-13-01", "25/11/2026", "2026-W48-3"])
def test_a_since_written_wrong_is_said_on_the_page_with_the_form(console, since):
    response = console.get(f"/support/accuracy?since={since}")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (f"Since: &#39;{since}&#39; is not a date written YYYY-MM-DD, e.g. 2026-09-01"
            in page)
    assert 'aria-invalid="true"' in page and f'value="{since}"' in page
    assert "<img" not in page


def test_a_chart_with_a_since_written_wrong_is_a_400(console):
    assert console.get("/support/accuracy/weekly.svg?since=soon").status_code == 400


def test_what_later_latest_dates_would_have_done_is_a_headline_figure(app):
    # The five shipments of tests/domain/test_accuracy.py, two of them widened: 3 of 5
    # would have been inside, 4 days added over 5 shipments.
    widened = [(ShipmentKey("o1", 2), dec(12)), (ShipmentKey("o4", 1), dec(17))]
    found = Accuracy(date(2026, 11, 27), NOW, accuracy_report(SHIPMENTS, widened), 0, 0.9)

    with app.test_request_context("/support/accuracy"):
        page = text(app.response_class(render_page("accuracy", since="2026-11-27",
                                                   problem=None, found=found)))

    assert ("Weighed to 90 % by today's history 60 % 3 of 5 inside, windows 0.8 days longer on "
            "average") in page
    assert "Acme 2 0 % (0) 1 1 3 days early 2 days late" in page


def test_shipments_without_a_supplier_leave_the_supplier_chart_out(app):
    on_hand = [SHIPMENTS[0], SHIPMENTS[4]]  # all on hand: no supplier named
    found = Accuracy(date(2026, 11, 27), NOW, accuracy_report(on_hand), 0)

    with app.test_request_context("/support/accuracy"):
        html = render_page("accuracy", since="2026-11-27", problem=None, found=found)

    assert "No delivered shipment had a backordered unit with a named supplier." in html
    assert "suppliers.svg" not in html and "weekly.svg" in html


def test_with_nothing_delivered_since_the_date_the_page_says_so(console):
    page = text(console.get("/support/accuracy?since=2027-06-01"))

    assert ("No shipment was recorded as delivered since Tue Jun 1, 2027. Deliveries are "
            "recorded through the API") in page
