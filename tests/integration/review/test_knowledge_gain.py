"""The knowledge check's learning gain on the surveys page: paired learners only, and no figure
at all while fewer learners than the small-number threshold are paired."""

from elearn.extensions import db
from elearn.review import presenters, service
from elearn.review.service import Filters
from tests.factories import make_user
from tests.integration.review.helpers import add_response


def _knowledge(course) -> dict[str, str]:
    found = presenters.knowledge_items(course)
    assert found is not None
    return found[2]


def _answers(right: dict[str, str], how_many_right: int) -> dict[str, str]:
    return {
        item: (option if n < how_many_right else "not-sure")
        for n, (item, option) in enumerate(right.items())
    }


def _learners(app, course, pairs: list[tuple[int, int | None]]) -> None:
    """One learner per (right at the start, right at the end or None: never finished)."""
    right = _knowledge(course)
    with app.test_request_context():
        for n, (before, after) in enumerate(pairs):
            user = make_user(email=f"k{n}@example.org", evaluation_consent=True)
            add_response(user.id, "baseline", _answers(right, before))
            if after is not None:
                add_response(user.id, "end-of-course", _answers(right, after))
        db.session.commit()


def test_the_knowledge_items_are_shared_by_the_start_and_end_surveys(shipped_course):
    right = _knowledge(shipped_course)
    assert 6 <= len(right) <= 8
    assert all(option != "not-sure" for option in right.values())


def test_gain_counts_paired_learners_only(app, published):
    # Five paired learners: 1, 2, 2, 3, 2 right at the start; 5, 6, 4, 6, 4 at the end.
    # One more answered only at the start and is left out.
    pairs = [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4), (0, None)]
    _learners(app, published, pairs)
    right = _knowledge(published)
    with app.test_request_context():
        gain = service.knowledge_gain(Filters(), "baseline", "end-of-course", right)
    assert gain == service.KnowledgeGain(5, 2.0, 5.0, len(right))


def test_the_surveys_page_shows_the_gain_once_enough_learners_are_paired(
    app, client, auth, users, published
):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4)])
    auth.sign_in(users["reviewer"])
    html = client.get("/review/surveys").get_data(as_text=True)
    assert "Learning gain: the knowledge check" in html
    assert "5 learners did the knowledge check at the start and the end." in html
    assert "2.00 of 6 right at the start and 5.00 at the end: a learning gain of +3.00" in html


def test_too_few_paired_learners_show_no_figures(app, client, auth, users, published):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6)])
    auth.sign_in(users["reviewer"])
    html = client.get("/review/surveys").get_data(as_text=True)
    assert "Too few learners have done the knowledge check" in html
    assert "learning gain of" not in html and "+3" not in html
