"""Review pages: consenting learners only, pseudonymous, and a fixed number of queries."""

import csv
import io
import re

import pytest

from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn.models import PageProgress
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.review.helpers import add_attempt, count_queries


def test_queries_do_not_grow_with_learners(app, client, users, fixture_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    client.get("/review/")  # load the live course into this process's cache first
    paths = ("/review/", "/review/quizzes", "/review/drop-off", "/review/groups",
             "/review/over-time", "/review/page-feedback", "/review/report")  # fmt: skip
    before = {p: count_queries(app, client, p) for p in paths}

    (q1, q2, q3), ids = fixture_data
    with app.test_request_context():
        questions = [q for q in provider.course().quizzes["m1"].questions if q.id in (q1, q2, q3)]
        for n in range(15):
            user = make_user(email=f"extra{n}@example.org", evaluation_consent=True)
            add_attempt(user.id, 1, questions, ids, "RWR", provider.revision_id())
            for page in sorted({"m1-p1", "m1-p2", f"m1-p{n % 8 + 1}"}):
                db.session.add(
                    PageProgress(
                        user_id=user.id,
                        module_id="m1",
                        page_id=page,
                        first_viewed_at=utcnow(),
                        last_viewed_at=utcnow(),
                    )
                )
        db.session.commit()
    after = {p: count_queries(app, client, p) for p in before}
    assert after == before


def test_overview_shows_figures_and_hides_names(app, client, users, fixture_data):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = client.get("/review/").get_data(as_text=True)
    assert "6 consenting learners registered." in html
    # 6 started and 5 completed leaves 1 who started without completing: that 1 is hidden, and
    # so is the 5 (6 - 5 would give it back), and the median time of those 5 with it.
    assert "Module 1: started 6, completed not shown." in html
    assert "median 30 minutes" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "@example.org" not in html  # no learner email anywhere
    filtered = client.get("/review/?role=ppg-member").get_data(as_text=True)
    assert "Too few learners in this group to show figures." in filtered
    quizzes = client.get("/review/quizzes").get_data(as_text=True)
    assert "6 learners took the module 1 quiz." in quizzes
    # Every score band holds 1 or 2 learners: all hidden, and so is the facility (3 of 6 wrong).
    assert "How many scored in or above the pass band is not shown." in quizzes
    assert not re.search(r">\s*50%\s*<", quizzes)


def _quiz_rows(client) -> dict:
    response = client.get("/review/exports/quiz-items.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return {
        r["question_id"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    }


def test_quiz_items_csv(app, client, users, fixture_data):
    (q1, q2, q3), ids = fixture_data
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    rows = _quiz_rows(client)
    # q1: 3 right, 2 chose W and 1 chose V. The 2 and 1 are hidden, so the 3 right is too.
    assert (rows[q1]["first_attempts"], rows[q1]["facility"], rows[q1]["discrimination"]) == (
        "6", "not shown", "",
    )  # fmt: skip
    with app.test_request_context():
        questions = [q for q in provider.course().quizzes["m1"].questions if q.id in (q1, q2, q3)]
        for n, pattern in enumerate(["RRR"] * 10 + ["WWW"] * 4):
            user = make_user(email=f"more{n}@example.org", evaluation_consent=True)
            add_attempt(user.id, 1, questions, ids, pattern, provider.revision_id())
        db.session.commit()
    # q1 now: 13 right, 6 chose W, 1 chose V. The 1 is hidden, so the 6 is too (1 + 6 = 7);
    # 13 right of 20 is shown.
    rows = _quiz_rows(client)
    assert (rows[q1]["first_attempts"], rows[q1]["facility"]) == ("20", "0.65")
    assert rows[q1]["most_chosen_wrong_answer"] == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "cohort=999",
            "The cohort asked for is not known, so it was left out: these are the "
            "figures for every consenting learner.",
        ),
        ("cohort=abc", "The cohort asked for is not known"),
        ("role=nobody", "The community role asked for is not known, so it was left out"),
        ("cohort=%C2%B2&role=nobody", "The cohort and community role asked for are not known"),
        ("cohort=-1&role=ppg-member", "these figures are for the other filter."),
    ],
)
def test_unknown_filters_give_the_page_with_a_message(app, client, users, fixture_data, query,
                                                      message):  # fmt: skip
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    for path in ("/review/", "/review/drop-off", "/review/quizzes", "/review/report"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, path
        assert message in " ".join(response.get_data(as_text=True).split()), path
