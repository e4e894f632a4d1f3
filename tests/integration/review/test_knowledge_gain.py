"""The knowledge check's learning gain on the surveys page: paired learners only, and no figure
at all while fewer learners than the small-number threshold are paired."""

import csv
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from elearn.auth.models import User
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


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


GAIN = "2.00 of 6 right at the start and 5.00 at the end: a learning gain of +3.00"


def test_the_summary_shows_the_gain_with_a_link_to_its_detail(app, client, auth, users, published):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4)])
    auth.sign_in(users["reviewer"])
    html = client.get("/review/").get_data(as_text=True)
    summary = html[html.index('id="summary-heading"') : html.index("</section>")]
    assert "5 learners did the knowledge check at the start and the end." in summary
    assert GAIN in summary
    assert 'href="/review/surveys#knowledge-gain"' in summary
    assert 'id="knowledge-gain"' in client.get("/review/surveys").get_data(as_text=True)


def test_the_summary_hides_the_gain_of_too_few_learners(app, client, auth, users, published):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6)])
    auth.sign_in(users["reviewer"])
    summary = _flat(client.get("/review/").get_data(as_text=True))
    assert "Too few learners have done the knowledge check" in summary
    assert "learning gain of" not in summary


def test_a_group_that_would_reveal_a_small_one_is_hidden_in_the_summary(
    app, client, auth, users, published
):
    # Five PPG members paired, and 3 other learners: everyone (8) minus PPG (5) would give
    # the other 3 away, so asked for PPG members the gain is not shown.
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4), (1, 2), (1, 2), (1, 2)])
    with app.test_request_context():
        for n in range(5):
            user = db.session.scalar(select(User).where(User.email == f"k{n}@example.org"))
            user.community_role = "ppg-member"
        db.session.commit()
    auth.sign_in(users["reviewer"])
    everyone = _flat(client.get("/review/").get_data(as_text=True))
    assert "8 learners did the knowledge check" in everyone
    ppg = _flat(client.get("/review/?role=ppg-member").get_data(as_text=True))
    assert "Too few learners have done the knowledge check" in ppg
    assert "learning gain of" not in ppg


def test_the_report_and_its_pdf_give_the_gain(app, client, auth, users, published):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4)])
    auth.sign_in(users["reviewer"])
    html = client.get("/review/report").get_data(as_text=True)
    text = _flat(html)
    assert text.count(GAIN) == 2  # the summary, and the surveys section with its table
    surveys = html[html.index('id="surveys"') :]
    assert 'id="knowledge-gain"' in surveys
    assert "Mean right answers in the knowledge check, paired learners" in surveys
    reader = PdfReader(io.BytesIO(client.get("/review/report.pdf").data))
    pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert pdf.count("Learning gain: the knowledge check") == 2
    assert GAIN in pdf
    assert "“I am not sure” counts as not right." in pdf
    assert "Mean right answers in the knowledge check, paired learners" in pdf


def test_the_survey_export_marks_knowledge_check_answers(app, client, auth, users, published):
    _learners(app, published, [(1, 5), (2, 6), (2, 4), (3, 6), (2, 4)])
    right = _knowledge(published)
    last = list(right)[-1]  # right only for those with 6 right
    auth.sign_in(users["reviewer"])
    response = client.get("/review/exports/survey-responses.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    marked = [r for r in rows if r["knowledge_check"]]
    assert {r["item"] for r in marked} == set(right)
    assert {r["survey"] for r in marked} == {"baseline", "end-of-course"}
    # Right answers at the start: 1 + 2 + 2 + 3 + 2 = 10 of 30; at the end 25 of 30.
    start = [r for r in marked if r["survey"] == "baseline"]
    end = [r for r in marked if r["survey"] == "end-of-course"]
    assert (len(start), sum(r["knowledge_check"] == "right" for r in start)) == (30, 10)
    assert (len(end), sum(r["knowledge_check"] == "right" for r in end)) == (30, 25)
    mark = {r["value"]: r["knowledge_check"] for r in marked if r["item"] == last}
    assert mark == {right[last]: "right", "not-sure": "not right"}
    assert all(r["learner"].startswith("Learner ") for r in rows)
    assert "@example.org" not in response.get_data(as_text=True)
