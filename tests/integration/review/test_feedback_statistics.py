"""Survey and page-feedback statistics against values worked out by hand on a small fixture.

Learners A-F and H agreed to the evaluation; G did not. A, B and C are GP Patient Participation
Group members; D, E, F and H are care staff.

Confidence statement confidence-m1-lo1 (1-5):

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

confidence-m1-lo2 is answered in both surveys by A-D only: 4 paired learners, suppressed.

Free text, module 1 survey "what-worked": A-E, 5 learners (G's answer never counts). The end of
course "anything-else" is answered by D alone: 1 learner, suppressed.

Page feedback on m1-p1: A, B, D, E yes, C no (G no, not counted): n = 5, 4 helpful = 80%.
On m1-p2: A yes, B no: n = 2, suppressed. Comments on m1-p1 from A-E: 5 commenters.
"""

from datetime import timedelta

import pytest

from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyAnswer, SurveyResponse
from elearn.review import service
from elearn.review.service import Filters
from tests.factories import make_user

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=SUM(1)"
WORKED = {
    "A": f"{SCRIPT} the examples",
    "B": FORMULA,
    "C": "Loved the 50% quiz",
    "D": "The Five Safes page",
    "E": "Short pages",
    "G": "SECRET-G text",
}
COMMENTS = {
    "A": SCRIPT,
    "B": FORMULA,
    "C": "Hard to read on a phone",
    "D": "Nice and clear",
    "E": "Easy_to read",
    "G": "SECRET-G comment",
}
BASELINE = {"A": 1, "B": 2, "C": 2, "D": 3, "E": 2, "F": 1, "G": 1}
END = {"A": 3, "B": 4, "C": 3, "D": 5, "E": 4, "F": 5, "H": 5, "G": 5}


def _response(user_id, survey_id, answers: dict, status="submitted", when=None):
    when = when or utcnow()
    response = SurveyResponse(
        user_id=user_id, survey_id=survey_id, status=status, started_at=when, updated_at=when,
        submitted_at=when if status == "submitted" else None,
    )  # fmt: skip
    db.session.add(response)
    for item_id, value in answers.items():
        response.answers.append(SurveyAnswer(item_id=item_id, value=str(value)))
    return response


def _learner(name: str, **fields):
    role = "ppg-member" if name in "ABC" else "care-staff"
    return make_user(
        email=f"{name.lower()}-fb@example.org",
        evaluation_consent=name != "G",
        community_role=role,
        **fields,
    ).id


@pytest.fixture
def feedback_data(app, published):
    with app.test_request_context():
        from tests.factories import make_invite

        cohort = make_invite(name="Oxfordshire pilot").cohort_id
        users = {name: _learner(name, cohort_id=cohort) for name in "ABCDEFGH"}
        start = utcnow() - timedelta(days=2)
        for name, value in BASELINE.items():
            lo2 = {"confidence-m1-lo2": 2} if name in "ABCD" else {}
            _response(users[name], "baseline", {"confidence-m1-lo1": value, **lo2}, when=start)
        for name, value in END.items():
            lo2 = {"confidence-m1-lo2": 4} if name in "ABCD" else {}
            _response(
                users[name], "end-of-course", {"confidence-m1-lo1": value, **lo2},
                status="draft" if name == "F" else "submitted",
            )  # fmt: skip
        for n, (name, text) in enumerate(WORKED.items()):
            _response(
                users[name], "after-m1", {"clarity": 4, "what-worked": text},
                when=start + timedelta(hours=n),
            )  # fmt: skip
        _response(users["F"], "after-m1", {}, status="skipped")
        _response(users["D"], "after-m2", {"clarity": 5})
        d_end = db.session.scalar(
            db.select(SurveyResponse).where(
                SurveyResponse.user_id == users["D"], SurveyResponse.survey_id == "end-of-course"
            )
        )
        d_end.answers.append(SurveyAnswer(item_id="anything-else", value="Great course"))
        for n, name in enumerate("ABCDEG"):
            when = start + timedelta(hours=n)
            db.session.add(
                PageFeedback(
                    user_id=users[name],
                    module_id="m1",
                    page_id="m1-p1",
                    helpful=name not in "CG",
                    comment=COMMENTS[name],
                    created_at=when,
                    updated_at=when,
                )  # fmt: skip
            )
        for name, helpful in (("A", True), ("B", False)):
            db.session.add(
                PageFeedback(
                    user_id=users[name],
                    module_id="m1",
                    page_id="m1-p2",
                    helpful=helpful,
                    comment=None,
                    created_at=start,
                    updated_at=start,
                )  # fmt: skip
            )
        db.session.commit()
    return users


def test_likert_counts_by_hand(app, feedback_data):
    with app.app_context():
        counts = service.choice_counts(
            Filters(),
            [("baseline", "confidence-m1-lo1"), ("end-of-course", "confidence-m1-lo1"),
             ("after-m1", "clarity")],
        )  # fmt: skip
    assert counts[("baseline", "confidence-m1-lo1")] == {"1": 2, "2": 3, "3": 1}
    assert counts[("end-of-course", "confidence-m1-lo1")] == {"3": 2, "4": 2, "5": 2}
    assert counts[("after-m1", "clarity")] == {"4": 5}  # G's answer never counts


def test_confidence_pairs_by_hand(app, feedback_data):
    with app.app_context():
        paired = service.confidence_pairs(
            Filters(), "baseline", "end-of-course", ["confidence-m1-lo1", "confidence-m1-lo2"]
        )
        assert paired["confidence-m1-lo1"] == service.Paired("confidence-m1-lo1", 5, 2.0, 3.8)
        # Four paired learners (exact here; the disclosure rules hide them on pages).
        assert paired["confidence-m1-lo2"] == service.Paired("confidence-m1-lo2", 4, 2.0, 4.0)
        # Care staff only: D and E are paired (F's end is a draft, H has no baseline).
        small = service.confidence_pairs(
            Filters(community_role="care-staff"), "baseline", "end-of-course",
            ["confidence-m1-lo1"],
        )  # fmt: skip
        assert small["confidence-m1-lo1"].learners == 2


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
