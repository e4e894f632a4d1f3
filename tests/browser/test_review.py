"""A reviewer visits every review page in Chromium, with axe on each; typed HTML stays text."""

import re

import pytest
from playwright.sync_api import expect

from elearn.content import provider
from elearn.content.store import publish
from elearn.demo import generate_learners
from elearn.feedback import service as feedback
from elearn.unit_of_work import action
from tests.factories import DEFAULT_PASSWORD, make_invite, make_user

pytestmark = pytest.mark.browser

SCRIPT = '<script>alert("review")</script>'
PAGES = {
    "/review/": "Pilot review",
    "/review/drop-off": "Pilot review: drop-off within modules",
    "/review/groups": "Pilot review: groups side by side",
    "/review/groups?by=cohort": "Pilot review: groups side by side",
    "/review/over-time": "Pilot review: over time",
    "/review/over-time?from=2001-01-01&to=2001-01-31": "Pilot review: over time",
    "/review/quizzes": "Pilot review: quizzes",
    "/review/surveys": "Pilot review: surveys",
    "/review/surveys?q=script&module=m1": "Pilot review: surveys",
    "/review/page-feedback": "Pilot review: page feedback",
    "/review/report": "Pilot report",
    "/review/exports": "Export log",
    "/review/?role=care-staff&cohort=1": "Pilot review",
    "/review/page-feedback?role=ppg-member": "Pilot review: page feedback",
}


@pytest.fixture
def reviewer(live_app, live_server, page, shipped_course):
    """Rosa, a reviewer, signed in, with 40 demo learners' activity and a hostile comment."""
    with live_app.app_context(), action():
        publish(shipped_course, "browser test")
        make_user(role="reviewer", email="rosa@example.org", display_name="Rosa")
        make_invite(name="Empty cohort")
    with live_app.test_request_context():
        generate_learners(40, seed=3)
    with live_app.test_request_context(), action():
        course = provider.course()
        for n in range(5):
            user = make_user(email=f"typed{n}@example.org", evaluation_consent=True)
            feedback.give_page_feedback(course, user.as_learner(), "m1", "m1-p1", False, SCRIPT)
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_every_review_page_is_accessible(reviewer, live_server, axe_check):
    page = reviewer
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path, heading in PAGES.items():
        page.goto(live_server + path)
        expect(page.get_by_role("heading", name=heading, level=1), path).to_be_visible()
        axe_check(page)
    page.goto(live_server + "/review/page-feedback")
    expect(page.get_by_role("cell", name=SCRIPT).first).to_be_visible()
    page.get_by_role("link", name="Surveys").click()
    page.get_by_label("Search for words").fill("pages")
    page.get_by_role("button", name="Search").click()
    assert "q=pages" in page.url
    axe_check(page)
    # A download for a group with no learners is refused with the reason, and logged.
    page.goto(live_server + "/review/")
    page.get_by_label("Cohort").select_option(label="Empty cohort")
    page.get_by_role("button", name="Apply filters").click()
    page.goto(live_server + "/review/surveys?" + page.url.split("?", 1)[1])
    page.get_by_role("link", name="Download survey answers (CSV)").click()
    expect(page.get_by_role("heading", name="This download was not given", level=1)).to_be_visible()
    axe_check(page)
    page.goto(live_server + "/review/exports")
    expect(page.get_by_role("cell", name="Refused: group too small")).to_be_visible()
    expect(page.get_by_role("cell", name="Cohort: Empty cohort")).to_be_visible()
    axe_check(page)
    assert dialogs == []


def test_summary_drop_off_chart_and_report(reviewer, live_server, axe_check):
    """The summary opens the overview; the drop-off chart has its summary and table and fits a
    320 px screen; the report's contents lead to its sections and it downloads as a PDF."""
    page = reviewer
    page.goto(live_server + "/review/")
    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_be_visible()
    for heading in ("Completions and certificates", "Pages most in need of attention",
                    "Questions most in need of attention",
                    "What changed since the previous content revision"):  # fmt: skip
        expect(summary.get_by_role("heading", name=heading)).to_be_visible()
    expect(summary.get_by_text("consenting learners have completed the course")).to_be_visible()
    header = page.get_by_role("navigation", name="Menu")
    expect(header.get_by_role("link", name="Review")).to_be_visible()
    axe_check(page)

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/review/drop-off")
    chart = page.get_by_role("img", name="how many learners reached each page of module 2")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 320
    # The chart's text summary: the biggest drop, or why none is shown for these learners (the
    # hand-worked figures are in tests/integration/review/test_dropoff.py).
    summary = re.compile(
        r"(biggest drop in module 2 is after page|No drop within module 2"
        r"|Figures for module 2 are not shown)"
    )
    expect(page.get_by_text(summary)).to_be_visible()
    expect(
        page.get_by_role("table", name="Learners who reached each page, module 2")
    ).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(live_server + "/review/report")
    expect(page.get_by_text("Produced on")).to_be_visible()
    expect(page.get_by_text("Small-number threshold: 5.")).to_be_visible()
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Drop-off within modules").click()
    assert page.url.endswith("#drop-off")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    assert download.value.suggested_filename == "pilot-report.pdf"
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Download this report as a PDF").is_visible()
    expect(page.get_by_role("heading", name="Summary", level=2)).to_be_visible()
