"""A console session ends on the server: after "Sign out", a copy of the session cookie
taken while it was open (a stolen one) opens nothing, in a real browser against
`rates serve` with two workers."""

from playwright.sync_api import expect

from tests.support.browser import KEYS

ORDER_PAGE = "/support/orders/order-1001"


def test_after_sign_out_a_copy_of_the_session_cookie_opens_nothing(browser, serve):
    base = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests").base
    staff = browser.new_context()
    page = staff.new_page()
    page.goto(f"{base}/support/sign-in")
    page.get_by_label("Support API key").fill(KEYS["support"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".who-name")).to_have_text("demo-support")

    thief = browser.new_context()
    thief.add_cookies([c for c in staff.cookies() if c["name"] == "session"])
    stolen = thief.new_page()
    stolen.goto(f"{base}{ORDER_PAGE}")  # no such order: the page says so, signed in
    expect(stolen.locator(".who-name")).to_have_text("demo-support")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base}/support/sign-in")
    for _ in range(4):  # whichever of the two workers answers
        stolen.goto(f"{base}{ORDER_PAGE}")
        expect(stolen).to_have_url(f"{base}/support/sign-in?next={ORDER_PAGE}")
        expect(stolen.locator(".who-name")).to_have_count(0)
    staff.close()
    thief.close()
