"""A learner works through pages in Chromium; every learner page passes axe."""

import pytest
from playwright.sync_api import expect

from elearn.content import provider
from elearn.content.store import publish
from elearn.journey import progression
from elearn.quiz import service as quizzes
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import loaded_html

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_learner(live_app, live_server, page, shipped_course):
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(email="pat@example.org", display_name="Pat")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_learner_journey_and_resume(signed_in_learner, live_server, axe_check):
    page = signed_in_learner
    expect(page.get_by_role("heading", name="Your course", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Start the course").click()
    assert "Page 1 of 8" in loaded_html(page)
    axe_check(page)
    page.get_by_role("button", name="Next: ").click()  # Next marks the page done
    assert "Page 2 of 8" in loaded_html(page)
    page.get_by_role("button", name="Next: ").focus()  # and from the keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**/m1-p3")
    third = page.url
    page.goto(live_server + "/learn/")
    assert "In progress" in loaded_html(page)
    page.get_by_role("button", name="Continue").click()
    assert page.url == third
    page.goto(live_server + "/learn/modules/m1")
    assert "You have done 2 of 8 pages." in loaded_html(page)
    axe_check(page)


def test_every_kind_of_content_page_passes_axe(
    signed_in_learner, live_server, axe_check, shipped_course
):
    page = signed_in_learner
    paths = ["/learn/glossary", "/learn/sources", "/learn/handouts"]
    paths += [f"/learn/modules/{m.id}/print" for m in shipped_course.modules]
    paths += [f"/learn/handouts/{h.id}" for h in shipped_course.handouts]
    paths += [
        f"/learn/modules/{m.id}/pages/{p.id}" for m in shipped_course.modules for p in m.pages
    ]
    for path in paths:
        page.goto(live_server + path)
        axe_check(page)


def test_myth_expander_opens_with_the_keyboard(signed_in_learner, live_server):
    page = signed_in_learner
    page.goto(live_server + "/learn/modules/m1/pages/m1-p2")
    summary = page.locator("summary.nhsuk-details__summary").first
    details = page.locator("details.nhsuk-details").first
    assert details.get_attribute("open") is None
    summary.focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None


def test_learner_pages_on_a_small_phone_without_javascript(
    browser, live_app, live_server, shipped_course
):
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(email="amina@example.org")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/learn/modules/m1/pages/m1-p1")
    page.get_by_role("button", name="Next: ").click()
    assert "Page 2 of 8" in loaded_html(page)
    page.goto(live_server + "/learn/modules/m1/pages/m1-p3")
    sample = page.locator("details.app-sample-answer")
    assert sample.get_attribute("open") is None
    page.get_by_text("Compare with a sample answer").click()
    assert sample.get_attribute("open") is not None
    page.goto(live_server + "/learn/modules/m1/pages/m1-p7")
    page.get_by_label("You can log in on the NHS website").check()
    page.get_by_role("button", name="Check my answer").click()
    assert "#decision-m1-d1-library" in page.url
    expect(page.get_by_role("heading", name="A good reply")).to_be_visible()
    context.close()


def test_no_page_scrolls_sideways_at_320px(browser, live_app, live_server, shipped_course):
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(email="amina@example.org")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    paths = ["/learn/", "/learn/glossary", "/learn/sources", "/learn/surveys", "/learn/handouts"]
    paths += [f"/learn/handouts/{h.id}" for h in shipped_course.handouts]
    for module in shipped_course.modules:
        paths += [f"/learn/modules/{module.id}", f"/learn/modules/{module.id}/print"]
        paths += [f"/learn/modules/{module.id}/pages/{p.id}" for p in module.pages]
    paths.append("/learn/modules/m1/pages/m1-p7?decision=m1-d1-library&choice=a")
    wide = []
    for path in paths:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{path} ({width}px)")
    assert wide == [], "these pages scroll sideways at 320px"
    context.close()


def test_a_decision_point_before_and_after_an_answer_passes_axe(
    signed_in_learner, live_server, axe_check
):
    page = signed_in_learner
    page.goto(live_server + "/learn/modules/m1/pages/m1-p8")
    axe_check(page)
    page.get_by_label("Say nothing.").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Think again")).to_be_visible()
    page.get_by_text("Feedback on every reply").click()
    expect(page.get_by_text("(the best reply)")).to_be_visible()
    axe_check(page)
    page.goto(live_server + "/learn/modules/m1/pages/m1-p8")
    page.get_by_role("button", name="Check my answer").click()
    assert "There is a problem" in loaded_html(page)
    axe_check(page)


def test_certificate_passes_axe(live_app, live_server, page, axe_check, shipped_course):
    with live_app.test_request_context(), action():
        publish(shipped_course, "browser test")
        user = make_user(email="kieran@example.org", display_name="Kieran")
        course, revision = provider.course(), provider.revision_id()
        for module in course.modules:
            for content_page in module.pages:
                progression.complete_page(course, user.as_learner(), module.id, content_page.id)
            attempt = quizzes.start_attempt(course, revision, user.id, module.id)
            view = quizzes.load_attempt(course, user.id, attempt.id)
            for question in view.questions:
                quizzes.save_answer(view, question, [o.id for o in question.options if o.correct])
            assert progression.submit_quiz(course, user.as_learner(), view).passed
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("kieran@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="View and print your certificate").click()
    assert "Certificate of completion" in loaded_html(page)
    axe_check(page)
