"""Signing in to the support console: what the session holds and where it is kept, when
it ends, where `next` may lead, how forms are protected, and which cookie flags and
headers every console page carries."""

import hashlib
import logging
import posixpath
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import timedelta
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rates.settings import Role, hash_key
from rates.web.app import create_app
from rates.web.console_auth import safe_next
from tests.support.web import KEYS, NOW, auth, on_moving_clock, sign_in, token


def stored_session(app, client) -> dict:
    """The session as the cookie carries it, decoded with the app's own serializer."""
    cookie = client.get_cookie("session", path="/support")
    assert cookie is not None
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))


@pytest.mark.parametrize("path", ["/support", "/support/at-risk", "/support/search?q=x",
                                  "/support/quotes/q_x", "/support/orders/o-1"])
def test_a_visitor_without_a_session_is_sent_to_sign_in_keeping_the_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/support/sign-in?next=")
    form = client.get(response.location).get_data(as_text=True)
    assert f'name="next" value="{path.replace("&", "&amp;")}"' in form


def test_the_cookie_carries_only_a_random_session_id_and_the_store_only_its_digest(
        app, client, tmp_path):
    response = sign_in(client, KEYS[Role.SUPPORT], "/support/at-risk")
    assert response.status_code == 302 and response.location == "/support/at-risk"
    stored = stored_session(app, client)
    assert set(stored) == {"sid", "_permanent"} and len(stored["sid"]) >= 43
    assert KEYS[Role.SUPPORT] not in repr(stored) and "test-support" not in repr(stored)
    with closing(sqlite3.connect(tmp_path / "rates.db")) as database:
        rows = database.execute("SELECT id_sha256, key_name, role, key_sha256, started_at,"
                                " expires_at FROM console_sessions").fetchall()
    assert rows == [(hashlib.sha256(stored["sid"].encode()).hexdigest(), "test-support",
                     "support", hash_key(KEYS[Role.SUPPORT]), "2026-11-23T17:30:00+00:00",
                     "2026-11-24T01:30:00+00:00")]
    assert client.get("/support").status_code == 200


def test_an_admin_key_may_use_the_console_too(client):
    assert sign_in(client, KEYS[Role.ADMIN]).status_code == 302
    assert client.get("/support/at-risk").status_code == 200


@pytest.mark.parametrize("key", ["rk_wrong", "", KEYS[Role.QUOTE]])
def test_a_wrong_key_or_one_of_a_lesser_role_gets_the_same_refusal(client, key):
    response = sign_in(client, key)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "That key was not accepted. Check it and try again." in page
    assert 'aria-invalid="true"' in page and "quote" not in page.lower()
    assert client.get("/support").status_code == 302  # still not signed in


def session_cookie(client) -> str:
    cookie = client.get_cookie("session", path="/support")
    assert cookie is not None
    return cookie.value


def with_cookie(client, value: str):
    """`client` presenting `value` as its session cookie: a copy of a cookie, replayed."""
    client.set_cookie("session", value, path="/support")
    return client


def test_after_sign_out_a_copy_of_the_cookie_opens_nothing(app, client):
    sign_in(client, KEYS[Role.SUPPORT])
    stolen = session_cookie(client)
    thief = with_cookie(app.test_client(), stolen)
    assert thief.get("/support/orders/o-1").status_code == 404  # signed in: no such order
    page = client.get("/support").data
    client.post("/support/sign-out", data={"csrf_token": token(page)})
    refused = thief.get("/support/orders/o-1")
    assert refused.status_code == 302
    assert refused.location == "/support/sign-in?next=/support/orders/o-1"


def test_signing_in_again_ends_the_session_the_cookie_held(app, client):
    sign_in(client, KEYS[Role.SUPPORT])
    first = session_cookie(client)
    sign_in(client, KEYS[Role.ADMIN])
    assert session_cookie(client) != first
    assert with_cookie(app.test_client(), first).get("/support").status_code == 302
    assert client.get("/support").status_code == 200


def test_a_session_lasts_one_shift_from_sign_in_however_much_it_is_used(app, client):
    clock = on_moving_clock(app)
    sign_in(client, KEYS[Role.SUPPORT])
    for hours in range(8):  # used every hour of the shift
        clock.now = NOW + timedelta(hours=hours, minutes=59)
        assert client.get("/support").status_code == 200
    clock.now = NOW + timedelta(hours=8)
    assert client.get("/support").status_code == 302


def test_a_key_replaced_under_the_same_name_ends_the_session_for_good(app, client):
    sign_in(client, KEYS[Role.SUPPORT])
    settings = app.config["RATES_SETTINGS"]
    app.config["RATES_SETTINGS"] = replace(settings, keys=tuple(
        replace(k, sha256=hash_key("rk_the_new_support_key")) if k.name == "test-support"
        else k for k in settings.keys))
    assert client.get("/support").status_code == 302
    app.config["RATES_SETTINGS"] = settings  # the old key back: the session stays ended
    assert client.get("/support").status_code == 302


def test_signing_in_starts_a_fresh_session(app, client):
    client.get("/support/sign-in")
    with client.session_transaction("/support") as session:
        session["left_over"] = "from before"
        old_token = session["csrf_token"]
    sign_in(client, KEYS[Role.SUPPORT])
    stored = stored_session(app, client)
    assert "left_over" not in stored and stored.get("csrf_token") != old_token
    assert stored["_permanent"] is True


@pytest.mark.parametrize(("target", "kept"), [
    ("/support/orders/o-1?tab=steps", True), ("/support", True),
    ("//evil.example/support", False), ("https://evil.example/support", False),
    ("/\\evil.example", False), ("/v1/quotes", False), ("/supportive", False),
    ("javascript:alert(1)", False), ("/support/\r\nSet-Cookie:x", False), (None, False)])
def test_sign_in_follows_next_only_inside_the_console(target, kept):
    assert safe_next(target) == (target if kept else "/support")


@pytest.mark.parametrize(("target", "followed"), [
    ("/support/../v1/rules", "/support"),
    ("/support/%2e%2e/v1/rules", "/support"),
    ("/support/%2E%2e/%2e%2E/v1/rules", "/support"),
    ("/support/.%2e/v1/rules", "/support"),
    ("/support/orders/..%2f..%2fv1/rules", "/support"),
    ("/support/%5c..%5cv1", "/support"),
    ("/support/%0d%0aSet-Cookie:x", "/support"),
    ("////evil.example/support", "/support"),
    ("//[/support", "/support"), ("/support?x=//[", "/support?x=//%5B"),
    ("/support/./orders/../at-risk", "/support/at-risk"),
    ("/support//orders///o-1", "/support/orders/o-1"),
    ("/support/orders/o-1/..", "/support/orders"),
    ("/support/quotes/q_1%20x", "/support/quotes/q_1%20x"),
    ("/support/search?q=cart 8812", "/support/search?q=cart%208812"),
    ("/support/search?q=%C3%A9t%C3%A9", "/support/search?q=%C3%A9t%C3%A9"),
    ("/support/quotes/%252e%252e", "/support/quotes/%252e%252e"),  # one decoding, as served
])
def test_next_is_normalised_before_it_is_confined(target, followed):
    assert safe_next(target) == followed


def test_sign_in_does_not_follow_dot_segments_out_of_the_console(client):
    response = sign_in(client, KEYS[Role.SUPPORT], "/support/../v1/rules")
    assert response.location == "/support"


def test_a_next_that_is_no_url_leads_home_rather_than_to_an_error(client):
    form = client.get("/support/sign-in?next=//[")
    assert form.status_code == 200
    assert 'name="next" value="/support"' in form.get_data(as_text=True)


SEGMENTS = st.sampled_from(["", ".", "..", "%2e", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "..%2f",
                            "%2f..", "%5c..", "..\\", "support", "supportive", "v1", "rules",
                            "orders", "evil.example", "%00", "%0d%0a", "%25", "%252e%252e",
                            "@evil.example", ":", "é"]) | st.text(max_size=3)
NEXT = st.one_of(
    # A path of segments, half of them starting inside the console.
    st.tuples(st.just("/support/") | st.sampled_from(["/support", "/", "//", "///", "",
                                                      "https://", "/\\", "http:"]),
              st.lists(SEGMENTS, max_size=8).map("/".join),
              st.sampled_from(["", "?q=1", "?next=//evil.example", "#top", "?", "/"]))
    .map("".join),
    st.text(max_size=40))


@settings(max_examples=300, deadline=None)
@given(NEXT)
def test_whatever_next_is_the_redirect_lands_inside_the_console(target):
    """Read the way a browser on the sign-in page follows it, then as a server reads the
    path (decoded once, dot segments resolved): inside /support, on this site."""
    followed = safe_next(target)
    landed = urlsplit(urljoin("https://console.example/support/sign-in", followed))
    assert (landed.scheme, landed.netloc) == ("https", "console.example")
    path = posixpath.normpath("/" + unquote(landed.path).lstrip("/"))
    assert path == "/support" or path.startswith("/support/")
    assert safe_next(followed) == followed


def test_a_form_without_its_csrf_token_is_refused(client):
    refused = client.post("/support/sign-in", data={"key": KEYS[Role.SUPPORT]})
    assert refused.status_code == 400
    assert "Sign in again" in refused.get_data(as_text=True)
    sign_in(client, KEYS[Role.SUPPORT])
    assert client.post("/support/sign-out").status_code == 400
    assert client.post("/support/sign-out", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/support").status_code == 200  # still signed in


def test_the_api_takes_no_csrf_token(client):
    assert client.post("/v1/rules/reload", headers=auth(Role.ADMIN)).status_code == 200


def test_sign_out_ends_the_session(client):
    sign_in(client, KEYS[Role.SUPPORT])
    page = client.get("/support").data
    response = client.post("/support/sign-out", data={"csrf_token": token(page)})
    assert response.status_code == 302 and response.location == "/support/sign-in"
    assert client.get("/support").status_code == 302


def test_the_session_cookie_is_http_only_same_site_secure_and_lasts_a_shift(client):
    cookie = sign_in(client, KEYS[Role.SUPPORT]).headers["Set-Cookie"]
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert {"httponly", "secure", "expires"} <= set(flags)
    assert flags["samesite"] == "SameSite=Lax" and flags["path"] == "Path=/support"
    client.get("/support")  # the first page adds the session's CSRF token
    assert client.get("/support").headers.get("Set-Cookie") is None  # not renewed by use


def test_console_pages_carry_the_security_headers(client):
    headers = client.get("/support/sign-in").headers
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    stylesheet = client.get("/support/static/support.css")
    assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"
    assert "no-store" not in stylesheet.headers.get("Cache-Control", "")


def test_a_session_ends_when_its_key_is_removed(app, client):
    sign_in(client, KEYS[Role.SUPPORT])
    settings = app.config["RATES_SETTINGS"]
    app.config["RATES_SETTINGS"] = replace(
        settings, keys=tuple(k for k in settings.keys if k.name != "test-support"))
    assert client.get("/support").status_code == 302


def test_the_session_secret_comes_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("RATES_SESSION_SECRET", "from-the-environment")
    built = create_app(app.config["RATES_SETTINGS"], app.config["RATES_SERVICE"],
                       environ={})
    assert built.secret_key == "from-the-environment"


def test_without_a_secret_each_app_makes_its_own_and_warns(app, monkeypatch, caplog):
    monkeypatch.delenv("RATES_SESSION_SECRET", raising=False)
    settings, service = app.config["RATES_SETTINGS"], app.config["RATES_SERVICE"]
    with caplog.at_level(logging.WARNING):
        first = create_app(settings, service, environ={})
        second = create_app(settings, service, environ={})
    assert first.secret_key != second.secret_key and len(first.secret_key) >= 32
    assert "RATES_SESSION_SECRET is not set" in caplog.text


def test_cookies_may_be_sent_over_plain_http_when_configured(app):
    settings = app.config["RATES_SETTINGS"]
    plain = replace(settings, server=replace(settings.server, secure_cookies=False))
    built = create_app(plain, app.config["RATES_SERVICE"], environ={})
    assert built.config["SESSION_COOKIE_SECURE"] is False
