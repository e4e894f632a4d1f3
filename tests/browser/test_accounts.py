"""Register with an invite, sign in and out, in Chromium, with axe on every page."""

import pytest

from elearn.auth.service import create_cohort_with_invite
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_register_sign_out_and_sign_in(live_app, live_server, page, axe_check):
    with live_app.app_context(), action():
        code = create_cohort_with_invite("Browser cohort").code

    page.goto(live_server + "/")
    axe_check(page)
    page.get_by_role("button", name="Create an account").click()
    axe_check(page)

    # A first try with a short password shows the error summary, which takes focus.
    page.get_by_label("Invite code").fill(code)
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Your name").fill("Amina")
    page.get_by_label("Create a password", exact=True).fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_label("Community organiser or volunteer").check()
    page.get_by_label("Yes, you can use my feedback").check()
    page.get_by_role("button", name="Create account").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("alert").is_visible()
    assert "Password must be 12 characters or more" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)

    page.get_by_label("Create a password", exact=True).fill("kettle orbit lantern")
    page.get_by_label("Confirm your password").fill("kettle orbit lantern")
    page.get_by_role("button", name="Create account").click()
    assert "Your account has been created" in page.content()
    axe_check(page)

    page.get_by_role("link", name="Sign out").click()
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.content()

    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Password", exact=True).fill("kettle orbit lantern")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("link", name="Sign out").is_visible()


def test_information_and_error_pages_pass_axe(live_server, page, axe_check):
    for path in ("/sign-in", "/accessibility-statement", "/privacy-notice", "/cookies", "/nope"):
        page.goto(live_server + path)
        axe_check(page)


def test_account_and_admin_pages_pass_axe(live_app, live_server, page, axe_check):
    with live_app.app_context(), action():
        make_user(email="admin@example.org", role="admin")
        create_cohort_with_invite("Cohort for the table")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in (
        "/admin/",
        "/admin/cohorts",
        "/admin/learning-records/",
        "/account",
        "/account/password",
    ):
        page.goto(live_server + path)
        axe_check(page)
    page.goto(live_server + "/admin/cohorts")
    page.get_by_role("button", name="Create cohort and invite code").click()
    assert "Enter a name for the cohort" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)


def test_pages_fit_a_small_phone_and_work_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    for path in ("/", "/register", "/sign-in", "/privacy-notice"):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{path} scrolls sideways at 320px ({overflow}px)"
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    assert "Enter a correct email address and password" in page.content()
    context.close()
