"""Survey and page-feedback statistics, worked out by hand on a small fixture (conftest.py).

Learners A-F and H agreed to the evaluation; G did not. A, B and C are GP Patient Participation
Group members; D, E, F and H are care staff.

Confidence statement confidence-m1-lo5 (1-5):

    learner  baseline      end of course
    A        1             3
    B        2             4
    C        2             3
    D        3             5
    E        2             4
    F        1             5 (a draft: never sent, so it does not count)
    H        -             5 (no baseline: not paired)
    G        1             5 (no consent: never counted)

    baseline counts (submitted, consenting): 1: 2, 2: 3, 3: 1        n = 6
    end counts: 3: 2, 4: 2, 5: 2                                       n = 6, agree 4/6 = 67%
    paired learners A-E: before (1+2+2+3+2)/5 = 2.0, after (3+4+3+5+4)/5 = 3.8, n = 5

confidence-m2-lo2 is answered in both surveys by A-D only: 4 paired learners, suppressed.

Free text, module 1 survey "what-worked": A-E, 5 learners (G's answer never counts). The end of
course "anything-else" is answered by D alone: 1 learner, suppressed.

Page feedback on m1-p1: A, B, D, E yes, C no (G no, not counted): n = 5, 4 helpful = 80%.
On m1-p2: A yes, B no: n = 2, suppressed. Comments on m1-p1 from A-E: 5 commenters.
"""

from elearn.review import service
from elearn.review.service import Filters


def test_likert_counts_by_hand(app, feedback_data):
    with app.app_context():
        counts = service.choice_counts(
            Filters(),
            [("baseline", "confidence-m1-lo5"), ("end-of-course", "confidence-m1-lo5"),
             ("after-m1", "clarity")],
        )  # fmt: skip
    assert counts[("baseline", "confidence-m1-lo5")] == {"1": 2, "2": 3, "3": 1}
    assert counts[("end-of-course", "confidence-m1-lo5")] == {"3": 2, "4": 2, "5": 2}
    assert counts[("after-m1", "clarity")] == {"4": 5}  # G's answer never counts


def test_confidence_pairs_by_hand(app, feedback_data):
    with app.app_context():
        paired = service.confidence_pairs(
            Filters(), "baseline", "end-of-course", ["confidence-m1-lo5", "confidence-m2-lo2"]
        )
        assert paired["confidence-m1-lo5"] == service.Paired("confidence-m1-lo5", 5, 2.0, 3.8)
        # Four paired learners (exact here; the disclosure rules hide them on pages).
        assert paired["confidence-m2-lo2"] == service.Paired("confidence-m2-lo2", 4, 2.0, 4.0)
        # Care staff only: D and E are paired (F's end is a draft, H has no baseline).
        small = service.confidence_pairs(
            Filters(community_role="care-staff"), "baseline", "end-of-course",
            ["confidence-m1-lo5"],
        )  # fmt: skip
        assert small["confidence-m1-lo5"].learners == 2


def test_free_text_answers_search_filter_and_suppression(app, feedback_data):
    users = feedback_data
    items = [("after-m1", "what-worked")]
    with app.app_context():
        page = service.free_text_answers(Filters(), items)
        assert (service.text_respondents(Filters(), items), page.total) == (5, 5)
        assert {a.user_id for a in page.answers} == {users[n] for n in "ABCDE"}
        assert [a.user_id for a in page.answers][0] == users["E"]  # newest first
        # % and _ are matched literally, not as wildcards.
        found = service.free_text_answers(Filters(), items, query="50%")
        assert [a.text for a in found.answers] == ["Loved the 50% quiz"]
        assert service.free_text_answers(Filters(), items, query="%").total == 1
        assert service.free_text_answers(Filters(), items, query="SCRIPT>").total == 1
        assert service.free_text_answers(Filters(), items, query="SECRET").total == 0
        # Pages of 2: 2 + 2 + 1.
        sizes = [
            len(service.free_text_answers(Filters(), items, page=n, per_page=2).answers)
            for n in (1, 2, 3)
        ]
        assert sizes == [2, 2, 1]
        # Three PPG members answered; D alone answered the end-of-course free text.
        assert service.text_respondents(Filters(community_role="ppg-member"), items) == 3
        assert service.text_respondents(Filters(), [("end-of-course", "anything-else")]) == 1


def test_page_helpful_and_comments_by_hand(app, feedback_data):
    users = feedback_data
    with app.app_context():
        helpful = service.page_helpful(Filters())
        assert helpful["m1-p1"] == service.PageHelpful("m1", "m1-p1", 5, 4)
        assert helpful["m1-p2"] == service.PageHelpful("m1", "m1-p2", 2, 1)
        comments = service.page_comments(Filters())
        assert (service.commenters(Filters()), comments.total) == (5, 5)
        assert {c.user_id for c in comments.comments} == {users[n] for n in "ABCDE"}
        assert service.page_comments(Filters(), query="_to").total == 1
        assert service.page_comments(Filters(), module_id="m2") == service.CommentPage(0, [])
        assert service.commenters(Filters(community_role="ppg-member")) == 3
