"""Review pages: consenting learners only, pseudonymous, and a fixed number of queries."""

import csv
import io
import re

from elearn.content import provider
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.review.helpers import add_attempt, count_queries


def test_queries_do_not_grow_with_learners(app, client, users, fixture_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    client.get("/review/")  # load the live course into this process's cache first
    before = {p: count_queries(app, client, p) for p in ("/review/", "/review/quizzes")}

    (q1, q2, q3), ids = fixture_data
    with app.test_request_context():
        questions = [q for q in provider.course().quizzes["m1"].questions if q.id in (q1, q2, q3)]
        for n in range(15):
            user = make_user(email=f"extra{n}@example.org", evaluation_consent=True)
            add_attempt(user.id, 1, questions, ids, "RWR", provider.revision_id())
        db.session.commit()
    after = {p: count_queries(app, client, p) for p in before}
    assert after == before


def test_overview_shows_figures_and_hides_names(app, client, users, fixture_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = client.get("/review/").get_data(as_text=True)
    assert "6 consenting learners registered." in html
    assert "Module 1: 6 started, 5 completed." in html
    assert "median 30 minutes" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "@example.org" not in html  # no learner email anywhere
    filtered = client.get("/review/?role=ppg-member").get_data(as_text=True)
    assert "Too few learners in this group to show figures." in filtered
    quizzes = client.get("/review/quizzes").get_data(as_text=True)
    assert "6 learners took the module 1 quiz." in quizzes
    assert re.search(r">\s*50%\s*<", quizzes) and re.search(r">\s*1\.00\s*<", quizzes)


def test_quiz_items_csv(app, client, users, fixture_data):

    (q1, q2, q3), ids = fixture_data
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    response = client.get("/review/exports/quiz-items.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {
        r["question_id"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    }
    assert (rows[q1]["first_attempts"], rows[q1]["facility"], rows[q1]["discrimination"]) == (
        "6", "0.5", "1.0",
    )  # fmt: skip
    assert rows[q2]["discrimination"] == "0.67"
