"""Figures over time against values worked out by hand (conftest.py, timeline_data and
summary_data).

timeline_data: sixteen consenting learners; weeks start on Monday 2 November 2026.

    week         registrations  certificates  page answers (yes, no)
    w/c 2 Nov    8 (0-7)        0             10 (5, 5)
    w/c 9 Nov    6 (8-13)       5 (3-7)       6 (5, 1)
    w/c 16 Nov   2 (14-15)      6 (8-13)      0

Disclosure: the 2 registrations are hidden, and with them the next smallest week (6), so
16 - 8 = 8 gives nothing away. The 1 "no" is hidden and so is the 5 yes beside it; weeks by yes
and no add up two ways, so the yes column may not hold that one hidden 5 alone: the first
week's 5 yes is hidden, and then its 5 no. No helpful share is shown.

summary_data: revision 2 retitles page m1-p3 and rewords question q1. Before it, q1 had 20 first
attempts, 10 right (50%). Ten more learners then take revision 2's quiz, all right (100% of 10:
+50 points), and answer "was this page helpful?" on m1-p3: 5 yes, 5 no (no answers before).
"""

import re

import pytest

from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback
from elearn.review import service
from elearn.review.service import Filters
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.review.helpers import WEEK, add_attempt


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def _rows(html: str) -> list[list[str]]:
    """The week-by-week table's body rows, as cell texts (without the small-screen headings)."""
    table = html[html.index("Registrations, course completions and the helpful share") :]
    table = table[: table.index("</table>")]
    table = re.sub(r'<span class="nhsuk-table__heading"[^>]*>.*?</span>', "", table,
                   flags=re.S)  # fmt: skip
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def _sign_in(client, users):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})


def test_daily_counts_by_hand(app, timeline_data):
    with app.app_context():
        daily = service.daily(Filters())
    assert sum(daily.registered.values()) == 16 and sum(daily.certified.values()) == 11
    assert (sum(daily.answers.values()), sum(daily.helpful.values())) == (16, 10)
    assert min(daily.registered) == WEEK
    with app.app_context():
        second = service.daily(Filters(), WEEK.replace(day=9), WEEK.replace(day=15))
    assert (sum(second.registered.values()), sum(second.certified.values())) == (6, 5)
    assert (sum(second.answers.values()), sum(second.helpful.values())) == (6, 5)


def test_weekly_table_by_hand(app, client, users, timeline_data):
    _sign_in(client, users)
    response = client.get("/review/over-time")
    html = _text(response)
    assert (
        "3 weeks, from w/c 2 Nov 2026 to w/c 16 Nov 2026: 16 registrations and 11 course "
        "completions. Most registrations shown in one week: 8, w/c 2 Nov 2026." in html
    )
    assert _rows(response.get_data(as_text=True)) == [
        ["w/c 2 Nov 2026", "8", "0", "not shown"],
        ["w/c 9 Nov 2026", "not shown", "5", "not shown"],
        ["w/c 16 Nov 2026", "not shown", "6", "no answers"],
    ]
    one_week = _text(client.get("/review/over-time?from=2026-11-09&to=2026-11-15"))
    assert "1 week, from w/c 9 Nov 2026 to w/c 9 Nov 2026: 6 registrations and 5 course" in (
        one_week
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "A date was not in the form YYYY-MM-DD, so every date is shown."),
        ("to=yesterday", "A date was not in the form YYYY-MM-DD, so every date is shown."),
        ("from=2026-11-20&to=2026-11-01", "The start date was after the end date"),
    ],
)
def test_bad_dates_show_every_date_with_a_message(app, client, users, timeline_data, query,
                                                  message):  # fmt: skip
    _sign_in(client, users)
    html = _text(client.get(f"/review/over-time?{query}"))
    assert message in html
    assert "16 registrations" in html


def test_a_range_with_no_data_says_so(app, client, users, timeline_data):
    _sign_in(client, users)
    html = _text(client.get("/review/over-time?from=2027-01-01&to=2027-01-31"))
    assert (
        "There are no registrations, course completions or page answers from 1 January 2027 "
        "to 31 January 2027." in html
    )


def test_before_and_after_the_latest_revision_by_hand(app, client, users, summary_data):
    q1, _, _ = summary_data
    with app.test_request_context():
        course = provider.course()
        questions = [q for q in course.quizzes["m1"].questions if q.id in summary_data]
        questions.sort(key=lambda q: summary_data.index(q.id))
        ids = {q.id: {"R": next(o.id for o in q.options if o.correct)} for q in questions}
        for i in range(10):
            user = make_user(email=f"after{i}@example.org", evaluation_consent=True)
            add_attempt(user.id, 1, questions, ids, "RRR", provider.revision_id())
            db.session.add(PageFeedback(user_id=user.id, module_id="m1", page_id="m1-p3",
                                        helpful=i < 5, comment=None, created_at=utcnow(),
                                        updated_at=utcnow()))  # fmt: skip
        db.session.commit()
    _sign_in(client, users)
    html = _text(client.get("/review/over-time"))
    assert "Revision 2 was published on" in html and "(“Clearer page 3”)" in html
    page = html[html.index("Pages it changed") :]
    assert re.search(
        r"m1-p3\">Module 1, page 3: How data is recorded, step by step</a>.*?no answers.*?"
        r"50% of 10.*?not shown",
        page,
    )
    question = html[html.index("Questions it changed") :]
    assert re.search(
        r"Which of these is health and care data\?</a>.*?50% of 20.*?100% of 10.*?\+50 points",
        question,
    )
