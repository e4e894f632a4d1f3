"""Review presenters: pagination, summaries and the survey views, without a database."""

import pytest

from elearn.review import presenters
from elearn.review.service import PageHelpful, Paired


def test_pagination_links_and_labels():
    url = "/review/surveys?page={}".format
    assert presenters.pagination(1, 50, 50, url) is None
    first = presenters.pagination(1, 120, 50, url)
    assert first == {"next": {"href": "/review/surveys?page=2", "labelText": "Page 2 of 3"}}
    last = presenters.pagination(3, 120, 50, url)
    assert last == {"previous": {"href": "/review/surveys?page=2", "labelText": "Page 2 of 3"}}


@pytest.mark.parametrize(
    ("page", "shown", "total", "text"),
    [(1, 50, 120, "Showing 1 to 50 of 120 answers."), (3, 20, 120,
     "Showing 101 to 120 of 120 answers."), (1, 0, 0, "No answers match."),
     (9, 0, 120, "There is no page 9: 120 answers match.")],
)  # fmt: skip
def test_results_summary(page, shown, total, text):
    assert presenters.results_summary(page, shown, total, 50, "answers") == text


def test_module_choices(shipped_course):
    values = [v for v, _ in presenters.module_choices(shipped_course)]
    assert values == ["", "course", "m1", "m2", "m3", "m4"]
    assert "course" not in dict(presenters.module_choices(shipped_course, whole_course=False))


def test_text_items_by_module(shipped_course):
    assert presenters.text_items(shipped_course, "m1") == [
        ("after-m1", "what-worked"), ("after-m1", "what-to-change"),
    ]  # fmt: skip
    assert {s for s, _ in presenters.text_items(shipped_course, "course")} == {"end-of-course"}
    assert len(presenters.text_items(shipped_course)) == 10


def test_paired_surveys_share_every_confidence_item(shipped_course):
    baseline, end, shared = presenters.paired_surveys(shipped_course)
    assert (baseline.id, end.id) == ("baseline", "end-of-course")
    assert all(i.outcome for i in shared) and len(shared) == len(baseline.items)


def test_confidence_view_by_hand(app, shipped_course):
    with app.app_context():
        view = presenters.confidence_view(
            shipped_course,
            {"confidence-m1-lo1": Paired("confidence-m1-lo1", 5, 2.0, 3.8),
             "confidence-m1-lo2": Paired("confidence-m1-lo2", None, None, None)},
        )  # fmt: skip
    assert view["summary"].startswith("1 of ")
    assert "Mean confidence rose for 1 of them." in view["summary"]
    first, second = view["rows"][:2]
    assert [c["text"] for c in first[1:]] == ["5", "2.00", "3.80", "+1.80"]
    assert [c["text"] for c in second[1:]] == ["fewer than 5", "not shown", "not shown",
                                               "not shown"]  # fmt: skip
    assert view["chart"].startswith("data:image/svg+xml;base64,")


def test_likert_view_suppresses_small_items(app, shipped_course):
    counts = {
        ("after-m1", "clarity"): {"1": 1, "4": 3, "5": 2},
        ("after-m1", "relevance"): {"4": 3},
    }
    with app.app_context():
        survey = next(s for s in presenters.survey_views(shipped_course, counts)
                      if s["id"] == "after-m1")  # fmt: skip
    rows = survey["likert"]["rows"]
    # clarity: n = 6; 1, 0, 0, 3, 2 with 1-4 hidden; 5 of 6 agree = 83%.
    assert [c["text"] for c in rows[0][1:]] == ["6", "fewer than 5", "0", "0", "fewer than 5",
                                                "fewer than 5", "83%"]  # fmt: skip
    assert [c["text"] for c in rows[1][1:3]] == ["fewer than 5", ""]
    assert "1 of 3 statements" in survey["likert"]["summary"]
    assert survey["choices"][0]["enough"] is False


def test_page_feedback_view(app, shipped_course):
    first = shipped_course.modules[0].pages[0]
    with app.app_context():
        views = presenters.page_feedback_views(
            shipped_course, {first.id: PageHelpful("m1", first.id, 5, 4)}
        )
    assert [c["text"] for c in views[0]["rows"][0][1:]] == ["5", "80%"]
    assert views[0]["rows"][1][2]["text"] == "not shown"
    assert views[1]["chart"] is None
