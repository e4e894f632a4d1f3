"""Answer and skip surveys and give page feedback in Chromium, with axe on every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.auth.models import User
from elearn.content import provider
from elearn.content.store import publish
from elearn.db import utcnow
from elearn.extensions import db
from elearn.journey import progression
from elearn.learn.models import PageProgress
from elearn.quiz import service as quizzes
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.factories import learner as learner_of
from tests.helpers import loaded_html

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, email):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def learner(live_app, live_server, page, shipped_course):
    """Kieran, signed in, who has passed the module 1 quiz."""
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        user_id = make_user(email="kieran@example.org", display_name="Kieran").id
    with live_app.test_request_context(), action():
        course = provider.course()
        attempt = quizzes.start_attempt(course, provider.revision_id(), user_id, "m1")
        view = quizzes.load_attempt(course, user_id, attempt.id)
        for question in view.questions:
            quizzes.save_answer(view, question, [o.id for o in question.options if o.correct])
        progression.submit_quiz(course, learner_of(user_id), view)
    _sign_in(page, live_server, "kieran@example.org")
    return page


def test_answer_check_change_and_send_a_survey(learner, live_server, axe_check, shipped_course):
    page = learner
    page.goto(live_server + "/learn/surveys")
    expect(page.get_by_role("heading", name="Feedback surveys", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Your feedback on module 1").click()
    expect(page.get_by_role("heading", name="Your feedback on module 1", level=1)).to_be_visible()
    axe_check(page)

    # Nothing chosen: the error summary names each required question.
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    summary = page.inner_text(".nhsuk-error-summary")
    assert "Select how long the module was" in summary
    assert "Select how much you agree that the module used words you understood" in summary
    axe_check(page)
    page.get_by_role("link", name="Select how long the module was").click()
    assert page.evaluate("document.activeElement.id") == "item-length"

    survey = next(s for s in shipped_course.surveys if s.id == "after-m1")
    for item in survey.items[:6]:  # the first page of questions
        if item.type == "likert":
            page.locator(f"#item-{item.id}-4").check()  # Agree
    page.get_by_label("About right").check()
    page.get_by_role("button", name="Continue").click()
    assert "page 2 of 2" in page.inner_text("main")
    axe_check(page)
    page.get_by_label("What worked well for you in this module? (optional)").fill(
        "The case studies <b>helped</b>."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("link", name="Back to the questions").click()
    assert "page 2 of 2" in page.inner_text("main")  # back goes to the previous step
    page.get_by_role("link", name="Back", exact=True).click()
    assert "page 1 of 2" in page.inner_text("main")
    page.goto(live_server + "/learn/surveys/after-m1/check")
    assert "The case studies <b>helped</b>." in page.inner_text("main")
    axe_check(page)

    page.get_by_role("link", name="Change your answer to: How long was the module?").click()
    page.get_by_label("Too long").check()
    page.get_by_role("button", name="Continue").click()
    assert "Too long" in page.inner_text(".nhsuk-summary-list")
    page.get_by_role("button", name="Send answers").click()
    assert "Thank you. We have your answers." in loaded_html(page)
    axe_check(page)

    page.goto(live_server + "/learn/surveys")
    assert "Thank you for your answers." in loaded_html(page)
    axe_check(page)


def test_skip_a_survey(learner, live_server, axe_check):
    page = learner
    page.goto(live_server + "/learn/surveys/baseline")
    axe_check(page)
    page.get_by_role("button", name="Skip this survey").click()
    expect(page.get_by_role("heading", name="Your course", level=1)).to_be_visible()
    assert "You skipped “Before you start”." in loaded_html(page)
    axe_check(page)
    page.goto(live_server + "/learn/surveys")
    assert "Skipped" in loaded_html(page)
    axe_check(page)


def test_give_and_change_page_feedback(learner, live_server, axe_check):
    page = learner
    page.goto(live_server + "/learn/modules/m1/pages/m1-p2")
    feedback = page.locator("#page-feedback")
    expect(feedback.get_by_role("heading", name="Was this page helpful?")).to_be_visible()
    feedback.get_by_role("button", name="Send feedback").click()
    assert page.title().startswith("Error: ")
    assert "Select yes if this page was helpful" in page.inner_text(".nhsuk-error-summary")
    axe_check(page)

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Tell us why (optional)").fill("Short and clear")
    page.get_by_role("button", name="Send feedback").click()
    assert page.url.endswith("/learn/modules/m1/pages/m1-p2#page-feedback")
    assert "You told us this page was helpful." in page.inner_text("#page-feedback")
    axe_check(page)

    feedback = page.locator("#page-feedback")
    feedback.get_by_label("No", exact=True).check()
    feedback.get_by_role("button", name="Send feedback").click()
    assert "You told us this page was not helpful." in page.inner_text("#page-feedback")
    assert page.locator("#page-feedback-comment").input_value() == "Short and clear"
    axe_check(page)


def test_page_feedback_without_javascript(browser, live_app, live_server, shipped_course):
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(email="pat@example.org")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, live_server, "pat@example.org")
    page.goto(live_server + "/learn/modules/m2/pages/m2-p1")
    feedback = page.locator("#page-feedback")
    feedback.get_by_label("No", exact=True).check()
    feedback.get_by_label("Tell us why (optional)").fill("I did not follow the second part")
    feedback.get_by_role("button", name="Send feedback").click()
    assert "You told us this page was not helpful." in page.inner_text("#page-feedback")
    context.close()


def test_a_closed_survey_says_so(learner, live_app, live_server, axe_check):
    page = learner
    with live_app.app_context(), action():
        user_id = db.session.scalar(select(User.id).where(User.email == "kieran@example.org"))
        long_ago = utcnow() - timedelta(days=50)  # quiet 14 days, then 28 days open: closed
        db.session.add(PageProgress(user_id=user_id, module_id="m2", page_id="m2-p1",
                                    first_viewed_at=long_ago, last_viewed_at=long_ago))  # fmt: skip
    page.goto(live_server + "/learn/surveys/what-got-in-the-way")
    expect(page.get_by_role("heading", name="This survey has closed", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to feedback surveys").click()
    assert "This survey closed on" in loaded_html(page)
    axe_check(page)
