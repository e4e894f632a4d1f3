"""Survey, page-feedback and report pages and their CSV exports, on the hand-worked fixture."""

import csv
import io
import re

import pytest

from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.review import presenters
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.review.helpers import FORMULA, SCRIPT, add_response, count_queries

PAGES = [
    "/review/",
    "/review/quizzes",
    "/review/surveys",
    "/review/page-feedback",
    "/review/report",
]


@pytest.fixture
def reviewer(client, users):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    return client


@pytest.fixture
def pseudonym(app):
    def name(user_id: int) -> str:
        with app.app_context():
            return presenters.pseudonym(user_id)

    return name


def _csv_rows(response) -> list[dict]:
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_surveys_page_shows_figures(app, reviewer, feedback_data, pseudonym):
    html = reviewer.get("/review/surveys").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html
    # End of course, statement 1: 6 answers, 2 + 2 agree or strongly agree. Every count is 2,
    # so the counts and the 67% share are all hidden.
    assert "67%" not in html
    # Paired learners for M1 LO5: 5, before 2.00, after 3.80, change +1.80.
    assert "M1 LO5:" in html
    for figure in ("5", "2.00", "3.80", r"\+1.80"):
        assert re.search(rf">\s*{figure}\s*<", html), figure
    assert "Showing 1 to 6 of 6 answers." in html  # five on module 1, D's at the end
    assert pseudonym(feedback_data["A"])[:14] in html  # shown short: "Learner " and 6 digits
    assert pseudonym(feedback_data["A"]) not in html
    assert "@example.org" not in html


def test_surveys_search_and_filters(app, reviewer, feedback_data):
    found = reviewer.get("/review/surveys?q=50%25").get_data(as_text=True)
    assert "Showing 1 to 1 of 1 answers." in found and "Loved the 50% quiz" in found
    by_module = reviewer.get("/review/surveys?module=course").get_data(as_text=True)
    assert "Too few learners in this group wrote answers" in by_module
    assert "Great course" not in by_module
    by_role = reviewer.get("/review/surveys?role=ppg-member").get_data(as_text=True)
    assert "Too few learners in this group wrote answers" in by_role
    assert "Too few learners answered both surveys" in by_role
    none = reviewer.get("/review/surveys?q=nothing-like-this").get_data(as_text=True)
    assert "No answers match." in none


def test_page_feedback_page(app, reviewer, feedback_data, pseudonym):
    html = reviewer.get("/review/page-feedback").get_data(as_text=True)
    assert "80%" not in html  # m1-p1: 4 of 5 said helpful would show the one "no"
    assert "Showing 1 to 5 of 5 comments." in html
    assert "SECRET-G" not in html
    assert pseudonym(feedback_data["G"])[:14] not in html
    small = reviewer.get("/review/page-feedback?role=ppg-member").get_data(as_text=True)
    assert "Too few learners in this group left comments" in small


@pytest.mark.parametrize("path", PAGES)
def test_typed_html_is_shown_as_text_and_non_consenting_never_appear(
    app, reviewer, feedback_data, pseudonym, path
):
    html = reviewer.get(path).get_data(as_text=True)
    assert SCRIPT not in html
    assert "SECRET-G" not in html and pseudonym(feedback_data["G"])[:14] not in html
    if path in ("/review/surveys", "/review/page-feedback"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_gathers_every_section(app, reviewer, feedback_data):
    html = reviewer.get("/review/report").get_data(as_text=True)
    for heading in ("Registered, started and completed", "Quizzes", "Surveys", "Page feedback",
                    "Confidence before and after the course"):  # fmt: skip
        assert f">{heading}</h" in html
    assert "app-no-print" in html
    assert html.count("<h3") > 5


def test_survey_responses_csv(app, reviewer, feedback_data, pseudonym):
    users = feedback_data
    rows = _csv_rows(reviewer.get("/review/exports/survey-responses.csv"))
    learners = {r["learner"] for r in rows}
    assert learners == {pseudonym(users[n]) for n in "ABCDEFH"}  # F: baseline only; G never
    assert not any("SECRET" in r["answer"] for r in rows)
    assert not any(r["learner"] == pseudonym(users["F"]) and r["survey"] == "end-of-course"
                   for r in rows)  # a draft  # fmt: skip
    a_row = next(
        r for r in rows
        if r["learner"] == pseudonym(users["A"]) and r["item"] == "confidence-m1-lo5"
        and r["survey"] == "baseline"
    )  # fmt: skip
    assert (a_row["value"], a_row["answer"]) == ("1", "Strongly disagree")
    # No cohort, community role or exact date: they could single a learner out.
    assert "community_role" not in a_row and "cohort" not in a_row
    assert re.fullmatch(r"\d{4}-\d{2}", a_row["submitted_month"])
    assert len(a_row["learner"]) == len("Learner ") + 16  # 64-bit pseudonym
    formula = next(r for r in rows if r["learner"] == pseudonym(users["B"])
                   and r["item"] == "what-worked")  # fmt: skip
    assert formula["value"] == formula["answer"] == "'" + FORMULA
    # baseline 6 + 4, end of course 6 + 4 + 1 (F's draft and G never), module 1 5 x 2, module 2 1
    assert len(rows) == 10 + 11 + 10 + 1
    text = reviewer.get("/review/exports/survey-responses.csv").get_data(as_text=True)
    assert "@example.org" not in text
    # Care staff: D, E, F and H answered, 4 learners: refused, with the reason.
    care = reviewer.get("/review/exports/survey-responses.csv?role=care-staff")
    assert care.mimetype == "text/html"
    assert "This download was not given" in care.get_data(as_text=True)


def test_page_feedback_csv(app, reviewer, feedback_data, pseudonym):
    users = feedback_data
    rows = _csv_rows(reviewer.get("/review/exports/page-feedback.csv"))
    assert len(rows) == 7  # A-E on m1-p1, A and B on m1-p2; never G
    assert {r["learner"] for r in rows} == {pseudonym(users[n]) for n in "ABCDE"}
    by_comment = {r["comment"] for r in rows}
    assert "'" + FORMULA in by_comment and SCRIPT in by_comment  # CSV is text, not HTML
    first = next(r for r in rows if r["learner"] == pseudonym(users["C"]))
    assert (first["page_id"], first["helpful"], first["module"]) == ("m1-p1", "no", "m1")


def test_queries_do_not_grow_with_learners(app, reviewer, feedback_data, fixture_data):
    reviewer.get("/review/")  # load the live course into this process's cache first
    paths = [*PAGES[2:], "/review/surveys?q=the&module=m1&page=2"]
    before = {p: count_queries(app, reviewer, p) for p in paths}
    with app.test_request_context():
        for n in range(20):
            user = make_user(email=f"more{n}@example.org", evaluation_consent=True,
                             community_role="care-staff")  # fmt: skip
            add_response(user.id, "baseline", {"confidence-m1-lo5": 2})
            add_response(user.id, "end-of-course", {"confidence-m1-lo5": 4, "most-useful": "all"})
            add_response(user.id, "after-m1", {"clarity": 3, "what-worked": f"the pages {n}"})
            db.session.add(PageFeedback(user_id=user.id, module_id="m1", page_id="m1-p3",
                                        helpful=True, comment=f"comment {n}", created_at=utcnow(),
                                        updated_at=utcnow()))  # fmt: skip
        db.session.commit()
    after = {p: count_queries(app, reviewer, p) for p in paths}
    assert after == before
    html = reviewer.get("/review/surveys?q=the+pages").get_data(as_text=True)
    assert "Showing 1 to 20 of 20 answers." in html
