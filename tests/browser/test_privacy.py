"""A learner's data rights in Chromium: certificate, print button, public check, your data,
deleting the account; every new page passes axe."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.content import provider
from elearn.content.store import publish
from elearn.extensions import db
from elearn.feedback import service as feedback
from elearn.journey import progression
from elearn.learn.models import Certificate
from elearn.quiz import service as quizzes
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import loaded_html

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, email):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def finished(live_app, shipped_course):
    """A learner who finished the course and left a comment; their verification code."""
    with live_app.test_request_context(), action():
        publish(shipped_course, "browser test")
        user = make_user(email="noor@example.org", display_name="Noor")
        course, revision = provider.course(), provider.revision_id()
        for module in course.modules:
            for content_page in module.pages:
                progression.complete_page(course, user.as_learner(), module.id, content_page.id)
            attempt = quizzes.start_attempt(course, revision, user.id, module.id)
            view = quizzes.load_attempt(course, user.id, attempt.id)
            for question in view.questions:
                quizzes.save_answer(view, question, [o.id for o in question.options if o.correct])
            assert progression.submit_quiz(course, user.as_learner(), view).passed
        feedback.give_page_feedback(course, user.as_learner(), "m1", "m1-p1", False, "Too long")
    with live_app.app_context():
        return db.session.scalar(
            select(Certificate.verification_code).where(Certificate.user_id == user.id)
        )


def test_certificate_print_button_and_public_check(page, live_server, axe_check, finished):
    _sign_in(page, live_server, "noor@example.org")
    page.goto(live_server + "/learn/certificate")
    assert f"Verification code: {finished}" in page.inner_text("main")
    print_button = page.get_by_role("button", name="Print this certificate")
    assert print_button.is_visible()  # shown once the script has run
    page.evaluate("window.print = () => { window.printed = true; }")
    print_button.click()
    assert page.evaluate("window.printed") is True
    axe_check(page)
    service_name = page.locator("main p.app-print-only")
    assert service_name.inner_text() == "Health Data Guides" and not service_name.is_visible()
    page.emulate_media(media="print")
    assert service_name.is_visible()  # the header is hidden in print; the name is not
    assert not page.locator("header").is_visible() and not print_button.is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate as a PDF").click()
    assert download.value.suggested_filename == "health-data-guides-certificate.pdf"

    checker = page.context.browser.new_context().new_page()
    checker.console_errors = []
    checker.goto(live_server + f"/certificates/{finished}")
    assert "This certificate is genuine" in checker.content()
    assert "Noor completed the Health Data Guides course" in checker.inner_text("main")
    axe_check(checker)
    checker.goto(live_server + "/certificates/ABCD-EFGH-JKLM")
    expect(checker.get_by_role("heading", name="This code is not valid")).to_be_visible()
    axe_check(checker)
    checker.context.close()


def test_certificate_not_ready_and_your_data_pass_axe(
    live_app, page, live_server, axe_check, finished
):
    with live_app.app_context(), action():
        make_user(email="sam@example.org", display_name="Sam")
    _sign_in(page, live_server, "sam@example.org")
    page.goto(live_server + "/learn/certificate")
    expect(page.get_by_role("heading", name="Your certificate is not ready yet")).to_be_visible()
    axe_check(page)
    page.goto(live_server + "/account/your-data")
    assert "You have not opened any pages yet." in loaded_html(page)
    axe_check(page)

    other = page.context.browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    other.console_errors = []
    _sign_in(other, live_server, "noor@example.org")
    other.goto(live_server + "/account")
    other.get_by_role("link", name="See and download everything we hold about you").click()
    expect(other.get_by_role("heading", name="Your learning records")).to_be_visible()
    assert "Too long" in other.inner_text("main")
    axe_check(other)
    with other.expect_download() as download:
        other.get_by_role("button", name="Download your data (JSON file)").click()
    assert download.value.suggested_filename == "your-health-data-guides-data.json"
    other.context.close()


def test_deleting_the_account_with_errors_then_for_real(page, live_server, axe_check, finished):
    _sign_in(page, live_server, "noor@example.org")
    page.goto(live_server + "/account")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Delete my account").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter your password to delete your account" in summary.inner_text()
    assert page.title().startswith("Error: ")
    axe_check(page)
    page.get_by_label("Enter your password to confirm").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    assert "Your account has been deleted." in loaded_html(page)
    axe_check(page)
    _sign_in(page, live_server, "noor@example.org")
    assert "Enter a correct email address and password" in loaded_html(page)


def test_admin_deletion_page_passes_axe(live_app, page, live_server, axe_check, finished):
    with live_app.app_context(), action():
        make_user(role="admin", email="ada@example.org")
    _sign_in(page, live_server, "ada@example.org")
    page.goto(live_server + "/admin/")
    page.get_by_role("link", name="Delete a learner's account").click()
    axe_check(page)
    page.get_by_role("button", name="Delete this account").click()
    assert "Enter the learner's email address" in page.locator(".nhsuk-error-summary").inner_text()
    axe_check(page)
    page.get_by_label("Email address of the learner who asked").fill("noor@example.org")
    page.get_by_label("I have checked that the request came from").check()
    page.get_by_role("button", name="Delete this account").click()
    assert "The account for noor@example.org has been deleted." in loaded_html(page)
    axe_check(page)


def test_privacy_notice_passes_axe(page, live_server, axe_check):
    page.goto(live_server + "/privacy-notice")
    expect(page.get_by_role("heading", name="Our lawful basis")).to_be_visible()
    axe_check(page)
