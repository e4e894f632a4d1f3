"""Fail a quiz, learn from the feedback, then pass it, in Chromium, with axe on every quiz page."""

import pytest
from playwright.sync_api import expect

from elearn.content.store import publish
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import loaded_html

pytestmark = pytest.mark.browser


def _answer(page, question, right: bool):
    correct = [o for o in question.options if o.correct]
    wrong = [o for o in question.options if not o.correct]
    chosen = correct if right else wrong[:1]
    for option in chosen:
        page.get_by_label(option.text, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def test_fail_then_pass_a_quiz(live_app, live_server, page, axe_check, shipped_course):
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(email="grace@example.org", display_name="Grace")
    quiz = shipped_course.quizzes["m2"]
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    for right in (False, True):
        page.goto(live_server + "/learn/modules/m2/quiz")
        axe_check(page)
        page.get_by_role("button", name="Try again" if right else "Start quiz").click()
        # Submitting with nothing chosen shows the error summary.
        if not right:
            page.get_by_role("button", name="Save and continue").click()
            assert page.title().startswith("Error: ")
            assert "Select" in page.inner_text(".nhsuk-error-summary")
            axe_check(page)
        asked = quiz.draw or len(quiz.questions)
        for number in range(1, asked + 1):
            assert f"Question {number} of {asked}" in loaded_html(page)
            shown = page.inner_text("body")  # the quiz may draw and shuffle its questions
            question = next(q for q in quiz.questions if q.text in shown)
            if number == 1 or question.type == "scenario":
                axe_check(page)
            _answer(page, question, right)
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        axe_check(page)
        page.get_by_role("button", name="Submit answers").click()
        axe_check(page)
        if right:
            assert "You passed" in loaded_html(page)
        else:
            assert "You did not pass this time" in loaded_html(page)
            assert "Not right" in loaded_html(page)
            assert "The right answer:" not in page.content()

    page.goto(live_server + "/learn/modules/m2")
    assert "You have passed the quiz for this module." in loaded_html(page)
