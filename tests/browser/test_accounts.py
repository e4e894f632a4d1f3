"""Register with an invite, sign in and out, in Chromium, with axe on every page."""

import re
from datetime import UTC, datetime

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.auth.models import User
from elearn.auth.service import create_cohort_with_invite
from elearn.extensions import db
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import loaded_html

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
    expect(page.get_by_role("alert")).to_be_visible()
    assert "Password must be 12 characters or more" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)

    page.get_by_label("Create a password", exact=True).fill("kettle orbit lantern")
    page.get_by_label("Confirm your password").fill("kettle orbit lantern")
    page.get_by_role("button", name="Create account").click()
    assert "Your account has been created" in loaded_html(page)
    axe_check(page)

    page.get_by_role("link", name="Sign out").click()
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in loaded_html(page)

    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Password", exact=True).fill("kettle orbit lantern")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()


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
    assert "Enter a correct email address and password" in loaded_html(page)
    context.close()


def _sign_in(page, live_server, email, password=DEFAULT_PASSWORD):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_manages_an_account_and_sees_it_in_the_audit_log(
    live_app, live_server, page, browser, axe_check
):
    with live_app.app_context(), action():
        make_user(email="admin@example.org", role="admin", display_name="Ada Admin")
        make_user(email="grace@example.org", display_name="Grace Learner")
        create_cohort_with_invite("Cohort for the table")
    _sign_in(page, live_server, "admin@example.org")
    page.goto(live_server + "/admin/")
    page.get_by_role("link", name="Accounts").click()
    axe_check(page)
    page.get_by_label("Name or email address").fill("grace")
    page.get_by_role("button", name="Search").click()
    assert "Ada Admin" not in page.inner_text("main")
    page.get_by_role("link", name="Grace Learner").click()
    axe_check(page)

    page.get_by_role("button", name="Turn off account").click()
    assert "Account turned off" in loaded_html(page)
    axe_check(page)

    # The admin makes a one-time reset link; Grace uses it in her own browser.
    page.get_by_role("button", name="Turn account back on").click()
    page.get_by_role("button", name="Make a password reset link").click()
    axe_check(page)
    link = re.search(r"http://127\.0\.0\.1(/reset-password/[\w-]+)", page.inner_text("main"))
    assert link
    grace = browser.new_context().new_page()
    grace.console_errors = []
    grace.goto(live_server + link.group(1))
    axe_check(grace)
    grace.get_by_label("New password", exact=True).fill("short")
    grace.get_by_label("Confirm new password").fill("short")
    grace.get_by_role("button", name="Set new password").click()
    assert "Password must be 12 characters or more" in grace.inner_text(".nhsuk-error-summary")
    axe_check(grace)
    grace.get_by_label("New password", exact=True).fill("marble tunnel orchard")
    grace.get_by_label("Confirm new password").fill("marble tunnel orchard")
    grace.get_by_role("button", name="Set new password").click()
    assert "Your password has been changed" in grace.content()
    grace.goto(live_server + link.group(1))
    assert "This link has expired or has already been used" in grace.content()
    axe_check(grace)
    _sign_in(grace, live_server, "grace@example.org", "marble tunnel orchard")
    expect(grace.get_by_role("link", name="Sign out")).to_be_visible()
    grace.context.close()

    page.goto(live_server + "/admin/audit-log")
    axe_check(page)
    text = page.inner_text("main")
    assert "Account turned off" in text and "Reset link made by an admin" in text
    page.get_by_label("What happened").select_option("deactivated")
    page.get_by_role("button", name="Filter").click()
    assert "Account turned off" in page.inner_text("tbody")
    assert "Signed in" not in page.inner_text("tbody")
    axe_check(page)

    page.goto(live_server + "/admin/cohorts")
    axe_check(page)
    page.get_by_role("button", name=re.compile("Withdraw")).click()
    assert "Withdrawn" in page.inner_text("main")


def test_forgot_password_pages(live_server, page, axe_check):
    page.goto(live_server + "/sign-in")
    page.get_by_role("link", name="Reset your password").click()
    axe_check(page)
    page.get_by_role("button", name="Send me a reset link").click()
    assert "Enter your email address" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send me a reset link").click()
    assert "Check your email" in loaded_html(page)
    axe_check(page)


def test_two_factor_set_up_and_sign_in(live_app, live_server, page, axe_check):
    with live_app.app_context(), action():
        make_user(email="amina@example.org", display_name="Amina")
    _sign_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/account")
    axe_check(page)
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    axe_check(page)
    expect(page.locator("figure svg")).to_be_visible()
    with live_app.app_context():
        secret = db.session.scalar(
            select(User.totp_secret).where(User.email == "amina@example.org")
        )
    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert "Enter the 6-digit code" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert "Save your recovery codes" in loaded_html(page)
    axe_check(page)
    page.get_by_role("link", name="I have saved my codes").click()

    page.goto(live_server + "/sign-out")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, "amina@example.org")
    assert "Enter your code" in loaded_html(page)
    axe_check(page)
    # The code used at set-up is spent; the app's next code is accepted (clock drift).
    page.get_by_label("Code from your authenticator app").fill(
        totp.at(datetime.now(UTC), counter_offset=1)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    assert "Enter your code" not in page.content()
