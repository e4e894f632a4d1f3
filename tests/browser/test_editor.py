"""An admin revises the course in Chromium, with axe-core on every editor page, while a learner
part-way through the module keeps their progress."""

import re

import pytest
from playwright.sync_api import expect

from elearn.content import provider
from elearn.content.store import publish
from elearn.journey import progression
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(live_app, live_server, page, shipped_course):
    """Ada, an admin, signed in; Lee, a learner, has done the first two pages of module 1."""
    with live_app.test_request_context(), action():
        publish(shipped_course, "browser test")
        make_user(role="admin", email="ada@example.org", display_name="Ada")
        lee = make_user(email="lee@example.org", display_name="Lee")
        course = provider.course()
        for page_id in ("m1-p1", "m1-p2"):
            progression.complete_page(course, lee.as_learner(), "m1", page_id)
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def _module_progress(browser, live_server) -> str:
    context = browser.new_context()
    learner = context.new_page()
    learner.goto(live_server + "/sign-in")
    learner.get_by_label("Email address").fill("lee@example.org")
    learner.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    learner.get_by_role("button", name="Sign in").click()
    learner.goto(live_server + "/learn/modules/m1")
    text = learner.locator("main").inner_text()
    context.close()
    return text


def test_an_admin_edits_previews_publishes_and_rolls_back(
    admin_page, live_server, axe_check, browser, shipped_course
):
    page = admin_page
    module = shipped_course.modules[0]
    pages_before = len(module.pages)
    question = shipped_course.quizzes["m1"].questions[0]

    page.goto(live_server + "/admin/")
    page.get_by_role("link", name="Course editor").click()
    expect(page.get_by_role("heading", name="Course editor", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Start a draft").click()
    expect(page.get_by_text("is open. It is not live until you publish it")).to_be_visible()
    axe_check(page)

    # The text of page 1.
    page.get_by_role("link", name=module.pages[0].title, exact=True).click()
    axe_check(page)
    page.get_by_label("Page text").fill("A page rewritten after the pilot.\n\nIt is shorter now.")
    page.get_by_role("button", name="Save to draft").click()
    expect(page.get_by_text("Page saved to the draft.")).to_be_visible()
    page.get_by_role("link", name="Preview this page as a learner sees it").click()
    expect(page.get_by_text("Preview \u2014 not live")).to_be_visible()
    expect(page.get_by_text("A page rewritten after the pilot.")).to_be_visible()
    axe_check(page)

    # A quiz question's explanation; then the quiz preview, answered.
    page.goto(live_server + "/admin/content/draft/modules/m1/quiz")
    axe_check(page)
    page.get_by_role("link", name=question.id, exact=True).click()
    axe_check(page)
    page.get_by_label("Explanation").fill("A clearer explanation, written after the pilot.")
    page.get_by_role("button", name="Save to draft").click()
    expect(page.get_by_text("Question saved to the draft.")).to_be_visible()
    page.get_by_role("link", name="Preview and try the quiz").click()
    axe_check(page)
    page.get_by_role("button", name="Mark my answers").click()
    axe_check(page)

    # Every other editor form, checked with axe.
    for path in (
        "/admin/content/draft/course",
        "/admin/content/draft/modules/m1",
        "/admin/content/draft/modules/m1/pages/new",
        "/admin/content/draft/modules/m1/quiz/new-question",
        "/admin/content/draft/glossary",
        "/admin/content/draft/surveys/baseline",
        "/admin/content/draft/handouts/grace-quick-reference",
        "/admin/content/draft/preview/handouts/grace-quick-reference",
        "/admin/content/draft/preview/modules/m1/pages/m1-p7",
    ):
        page.goto(live_server + path)
        axe_check(page)

    # A form error is shown in the error summary.
    page.goto(live_server + "/admin/content/draft/modules/m1/pages/new")
    page.get_by_role("button", name="Add page to draft").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)

    # Who it affects, then publish.
    page.goto(live_server + "/admin/content/")
    page.get_by_role("link", name="Check who it affects and publish").click()
    expect(page.get_by_text("Fewer than 5 learners part-way through this module")).to_be_visible()
    axe_check(page)
    page.get_by_label("What changed, and why").fill("Shorter page 1, clearer question 1")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Revision history", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Shorter page 1, clearer question 1")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Show the changes").click()
    expect(
        page.get_by_role("heading", name="Changes from revision 1 to revision 2")
    ).to_be_visible()
    expect(page.get_by_text("A page rewritten after the pilot.")).to_be_visible()
    axe_check(page)
    page.go_back()
    assert f"You have done 2 of {pages_before} pages" in _module_progress(browser, live_server)

    # Roll back to the first revision.
    page.get_by_role("link", name=re.compile("Go back to this")).first.click()
    axe_check(page)
    page.get_by_label("Why are you going back to this revision?").fill("Checking rollback")
    page.get_by_role("button", name="Publish a copy of this revision").click()
    expect(page.get_by_text("a copy of 1.")).to_be_visible()
    axe_check(page)
    page.goto(live_server + "/admin/content/upload")
    page.get_by_role("button", name="Upload as a draft").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)
    assert f"You have done 2 of {pages_before} pages" in _module_progress(browser, live_server)
