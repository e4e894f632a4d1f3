"""Review presenters: pagination, summaries and the survey views, without a database."""

import pytest

from elearn.review import presenters, trends
from elearn.review.presenters import Across
from elearn.review.service import BeforeAfter, Filters, PageHelpful, Paired


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
    assert {s for s, _ in presenters.text_items(shipped_course, "course")} == {
        "end-of-course", "what-got-in-the-way", "follow-up"
    }  # fmt: skip
    assert len(presenters.text_items(shipped_course)) == 12


def test_paired_surveys_share_every_confidence_item(shipped_course):
    baseline, end, shared = presenters.paired_surveys(shipped_course)
    assert (baseline.id, end.id) == ("baseline", "end-of-course")
    confidence = [i for i in baseline.items if not i.knowledge]
    assert all(i.outcome for i in shared) and len(shared) == len(confidence)


def test_confidence_view_by_hand(app, shipped_course):
    with app.app_context():
        paired = {"confidence-m1-lo5": Paired("confidence-m1-lo5", 5, 2.0, 3.8),
                  "confidence-m2-lo2": Paired("confidence-m2-lo2", 4, 2.0, 4.0)}  # fmt: skip
        shown = presenters.confidence_shown(list(paired), Across(paired))
        view = presenters.confidence_view(shipped_course, paired, shown)
    assert view["summary"].startswith("1 of ")
    assert "Mean confidence rose for 1 of them." in view["summary"]
    first, second = view["rows"][:2]
    assert [c["text"] for c in first[1:]] == ["5", "2.00", "3.80", "+1.80"]
    assert [c["text"] for c in second[1:]] == ["not shown"] * 4
    assert view["chart"].startswith("data:image/svg+xml;base64,")


def survey_items(course, survey_id):
    survey = next(s for s in course.surveys if s.id == survey_id)
    return [i for i in survey.items if i.type == "likert"]


def test_likert_view_suppresses_small_items(app, shipped_course):
    counts = {
        ("after-m1", "clarity"): {"1": 1, "4": 3, "5": 2},
        ("after-m1", "relevance"): {"4": 3},
    }
    with app.app_context():
        shown = presenters.survey_shown(shipped_course, Across(counts))
        survey = next(s for s in presenters.survey_views(shipped_course, shown)
                      if s["id"] == "after-m1")  # fmt: skip
    rows = survey["likert"]["rows"]
    # clarity: n = 6; 1, 0, 0, 3, 2 with 1-4 hidden. "5 of 6 agree" (83%) would show that one
    # learner disagreed, so the share is hidden too.
    assert [c["text"] for c in rows[0][1:]] == ["6", "not shown", "0", "0", "not shown",
                                                "not shown", "not shown"]  # fmt: skip
    relevance = rows[[i.id for i in survey_items(shipped_course, "after-m1")].index("relevance")]
    assert [c["text"] for c in relevance[1:3]] == ["not shown", ""]
    assert survey["likert"]["chart"] is None  # no statement has every count shown
    assert "Too few learners" in survey["likert"]["summary"]
    assert survey["choices"][0]["enough"] is False


def test_page_feedback_view(app, shipped_course):
    first = shipped_course.modules[0].pages[0]
    with app.app_context():
        raw = {first.id: PageHelpful("m1", first.id, 5, 4)}
        views = presenters.page_feedback_views(
            shipped_course, presenters.helpful_shown(shipped_course, Across(raw))
        )
        ten = {first.id: PageHelpful("m1", first.id, 10, 5)}
        shown = presenters.helpful_shown(shipped_course, Across(ten))
        five_of_ten = presenters.page_feedback_views(shipped_course, shown)
    # "80% of 5 said helpful" would show the one "no": the share is hidden.
    assert [c["text"] for c in views[0]["rows"][0][1:]] == ["5", "not shown"]
    assert views[0]["chart"] is None
    assert [c["text"] for c in five_of_ten[0]["rows"][0][1:]] == ["10", "50%"]
    assert views[0]["rows"][1][2]["text"] == "not shown"
    assert views[1]["chart"] is None


def test_short_codes_grow_until_shown_codes_are_unique():
    codes = {1: "7F3A2C91D04B5E67", 2: "7F3A2C55D04B5E67", 3: "0011223344556677"}
    assert presenters.short_codes(codes) == {1: "7F3A2C91", 2: "7F3A2C55", 3: "00112233"}
    assert presenters.short_codes({1: "ABCDEF0123456789"}) == {1: "ABCDEF"}


def test_pseudonyms_are_64_bits_and_shown_short(app):
    with app.app_context():
        assert len(presenters.learner_code(7)) == 16  # 64 bits of HMAC-SHA256
        assert presenters.learner_code(7) != presenters.learner_code(8)
        short = presenters.short_pseudonyms(range(1, 2001))
    assert len(set(short.values())) == 2000
    assert all(name.startswith("Learner ") for name in short.values())


def test_before_and_after_hide_small_counts_alone_and_by_difference():
    """Page p: before 3 yes and 7 no, after 6 yes and 0 no (9 yes and 7 no in all). The 3 is
    hidden; were the 6 after shown, 9 - 6 would give it back, so all four counts inside the
    table are hidden; the 6 after is then alone beside a 0, so the answers after go too, and the
    9 and 7 in all (the strict columns). Before (10) and all (16) stay."""
    raw = {"p": BeforeAfter(before=10, before_yes=3, after=6, after_yes=6)}
    cells = trends.around_cells(["p"])(raw)
    assert (cells[("all", "yes", "p")], cells[("all", "no", "p")]) == (9, 7)
    shown = trends.around_shown(["p"], Across(raw), 5)
    for part, answer in trends.INTERIOR:
        assert shown[(part, answer, "p")] is None
    assert (shown[("before", "p")], shown[("after", "p")], shown[("all", "p")]) == (10, None, 16)
    assert shown[("all", "yes", "p")] is None
    rows = trends.around_view([("p", "Page 1", None)], shown)
    assert [cell["text"] for cell in rows[0]] == ["Page 1", "not shown", "not shown", "not shown"]
    big = {"p": BeforeAfter(before=20, before_yes=10, after=10, after_yes=9)}
    shown = trends.around_shown(["p"], Across(big), 5)
    rows = trends.around_view([("p", "Page 1", None)], shown)
    # 9 yes and 1 no after: the 1 hides all four, even the 10 and 10 before.
    assert [cell["text"] for cell in rows[0]][1:] == ["not shown"] * 3
    fine = {"p": BeforeAfter(before=20, before_yes=10, after=10, after_yes=5)}
    rows = trends.around_view([("p", "Page 1", None)], trends.around_shown(["p"], Across(fine), 5))
    assert [cell["text"] for cell in rows[0]][1:] == ["50% of 20", "50% of 10", "+0 points"]


def test_before_and_after_hide_across_groups():
    """A group's one small count hides the four counts for everyone and every group."""
    groups = {
        Filters(community_role="ppg-member"): {"p": BeforeAfter(10, 5, 10, 5)},
        Filters(community_role="care-staff"): {"p": BeforeAfter(10, 7, 10, 3)},
    }
    everyone = {"p": BeforeAfter(20, 12, 20, 8)}
    raw = Across(everyone, groups, Filters(community_role="ppg-member"))
    shown = trends.around_shown(["p"], raw, 5)
    assert all(shown[(part, answer, "p")] is None for part, answer in trends.INTERIOR)
