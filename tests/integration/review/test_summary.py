"""The one-page summary against values worked out by hand (conftest.py, summary_data).

Twenty consenting learners. Learners 0-9 open every page of module 1, complete it and earn the
certificate; learners 10-19 open pages 1 and 2 only.

    completions: 10 of 20 earned the certificate (50%); module 1 completed by 10, others 0
    module 1 furthest page: page 8 10, page 2 10; reached p1 20, p2 20, p3-p8 10
        drop after page 2: 10 of the 20 who reached it (50%); no other page has a drop
    "was this page helpful?":
        m1-p1  5 yes, 5 no    50%   score 50
        m1-p2  5 yes, 10 no   33%   score max(67, drop 50) = 67
        m1-p4  10 yes         100%  score 0: not listed
        m1-p5  7 yes, 3 no    the 3 is hidden, so the 7 is too: no share, not listed
    pages most in need of attention: m1-p2 (67), then m1-p1 (50)

    quiz (first attempts): 0-9 RRR, 10-14 WRR, 15-19 WWR
        q1 10 of 20 right 50% (score 50), q2 15 of 20 75% (score 25), q3 20 of 20 (score 0)
        percent ranks 0.53, 0.26 and 0: nobody in the upper 27%, so no discrimination
    questions most in need of attention: q1 (50), then q2 (25)

    revisions: 2 ("Clearer page 3") retitles page m1-p3 and rewords q1 since revision 1.
"""

from elearn.content import provider
from elearn.review.changes import ChangeKind, changes
from elearn.review.service import latest_published
from tests.factories import DEFAULT_PASSWORD
from tests.integration.review.helpers import edited


def _text(html: str) -> str:
    return " ".join(html.split())


def test_summary_by_hand(app, client, users, summary_data):
    q1, q2, _ = summary_data
    with app.test_request_context():
        course = provider.course()
        numbers = {q.id: n for n, q in enumerate(course.quizzes["m1"].questions, start=1)}
        page1, page2 = course.modules[0].pages[0].title, course.modules[0].pages[1].title
        question1 = course.quizzes["m1"].questions[numbers[q1] - 1].text
        question2 = course.quizzes["m1"].questions[numbers[q2] - 1].text
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = _text(client.get("/review/").get_data(as_text=True))
    assert html.index("Summary") < html.index("Registered, started and completed")
    assert (
        "10 of 20 consenting learners have completed the course and earned the certificate "
        "(50%)." in html
    )
    assert "Completed each module: module 1 10, module 2 0, module 3 0, module 4 0." in html
    pages = html[html.index("Pages most in need of attention") :]
    first = pages.index(f"Module 1, page 2: {page2}</a>: 33% of 15 answers said it was helpful; "
                        "10 of the 20 learners who reached it went no further (50%).")  # fmt: skip
    second = pages.index(f"Module 1, page 1: {page1}</a>: 50% of 10 answers said it was helpful.")
    assert first < second
    assert 'href="/learn/modules/m1/pages/m1-p2"' in pages
    listed = pages[: pages.index("Questions most in need of attention")]
    assert "page 4" not in listed and "page 5" not in listed
    questions = html[html.index("Questions most in need of attention") :]
    one = questions.index(
        f"Module 1 quiz, question {numbers[q1]}: {question1}</a>: 50% of 20 first attempts were "
        "right."
    )
    two = questions.index(
        f"Module 1 quiz, question {numbers[q2]}: {question2}</a>: 75% of 20 first attempts were "
        "right."
    )
    assert one < two
    assert questions[: questions.index("What changed")].count("<li>") == 2
    changed = html[html.index("What changed since the previous content revision") :]
    assert "Revision 2, published" in changed and "“Clearer page 3”" in changed
    assert "Changes since revision 1" in changed
    assert (
        '<a href="/learn/modules/m1/pages/m1-p3">Page retitled: How data is recorded, step by '
        "step</a>" in changed
    )
    assert (
        '<a href="/review/quizzes#quiz-m1">Question reworded: Which of these is health and care '
        "data?</a>" in changed
    )


def test_revision_changes_by_hand(app, summary_data):
    q1, _, _ = summary_data
    with app.test_request_context():
        newer, older = latest_published(2)
        assert (newer.number, older.number, newer.note) == (2, 1, "Clearer page 3")
        from_store = provider.course()
        found = changes(from_store, from_store)
        assert found == []

    def edit(data):
        data["modules"][0]["pages"].pop(3)
        data["modules"][0]["pages"][0]["markdown"] += "\n\nOne more line."

    found = changes(from_store, edited(from_store, edit))
    removed = from_store.modules[0].pages[3]
    kinds = {(c.what, c.kind, c.item_id) for c in found}
    assert kinds == {
        ("page", ChangeKind.REWRITTEN, "m1-p1"),
        ("page", ChangeKind.REMOVED, removed.id),
    }


def test_summary_with_one_revision_and_no_learners(app, client, users, published):
    client.post("/sign-in", data={"email": users["reviewer"], "password": DEFAULT_PASSWORD})
    html = _text(client.get("/review/").get_data(as_text=True))
    assert "Too few learners in this group to show figures." in html
    assert "It is the first published revision." in html
    assert "No page has enough shown figures" in html
    assert "No question has enough shown first attempts to rank." in html
