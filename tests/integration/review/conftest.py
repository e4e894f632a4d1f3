"""The review tests' hand-worked fixtures; the values they hold are worked out in the
docstrings of test_statistics.py (fixture_data) and test_feedback_statistics.py (feedback_data)."""

from datetime import timedelta

import pytest

from elearn.content.store import live_revision_id
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyAnswer, SurveyResponse
from elearn.learn.models import ModuleProgress, PageProgress
from tests.factories import make_invite, make_user
from tests.integration.review.helpers import FORMULA, SCRIPT, add_attempt, add_response

PATTERN = {
    "L1": "RRR", "L2": "RRR", "L3": "RWR", "L4": "WRW", "L5": "VWR", "L6": "WWW",
}  # fmt: skip


@pytest.fixture
def fixture_data(app, published):
    """Seven learners' module 1 quiz attempts and progress; returns the question and option ids."""
    quiz = published.quizzes["m1"]
    questions = [q for q in quiz.questions if not q.multiple and len(q.options) >= 3][:3]
    assert len(questions) == 3
    ids = {}
    for q in questions:
        right = next(o.id for o in q.options if o.correct)
        wrong = [o.id for o in q.options if not o.correct]
        ids[q.id] = {"R": right, "W": wrong[0], "V": wrong[1]}
    start = utcnow() - timedelta(days=1)
    with app.test_request_context():
        revision = live_revision_id()
        users = {}
        for n, name in enumerate([*PATTERN, "L7"], start=1):
            user = make_user(email=f"{name.lower()}@example.org", evaluation_consent=name != "L7",
                             community_role="ppg-member" if n <= 3 else "care-staff")  # fmt: skip
            users[name] = user.id
        for name, pattern in {**PATTERN, "L7": "RRR"}.items():
            add_attempt(users[name], 1, questions, ids, pattern, revision)
            minutes = {"L1": 10, "L2": 20, "L3": 30, "L4": 40, "L5": 50}.get(name)
            db.session.add(
                PageProgress(
                    user_id=users[name],
                    module_id="m1",
                    page_id="m1-p1",
                    first_viewed_at=start,
                    last_viewed_at=start,
                )  # fmt: skip
            )
            db.session.add(
                ModuleProgress(
                    user_id=users[name], module_id="m1", started_at=start,
                    completed_at=start + timedelta(minutes=minutes) if minutes else None,
                )
            )  # fmt: skip
        add_attempt(users["L6"], 2, questions, ids, "RRR", revision)
        db.session.commit()
    return [q.id for q in questions], ids


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
    """Eight learners' survey answers and page feedback; returns their ids by letter."""
    with app.test_request_context():
        cohort = make_invite(name="Oxfordshire pilot").cohort_id
        users = {name: _learner(name, cohort_id=cohort) for name in "ABCDEFGH"}
        start = utcnow() - timedelta(days=2)
        for name, value in BASELINE.items():
            lo2 = {"confidence-m2-lo2": 2} if name in "ABCD" else {}
            add_response(users[name], "baseline", {"confidence-m1-lo5": value, **lo2}, when=start)
        for name, value in END.items():
            lo2 = {"confidence-m2-lo2": 4} if name in "ABCD" else {}
            add_response(
                users[name], "end-of-course", {"confidence-m1-lo5": value, **lo2},
                status="draft" if name == "F" else "submitted",
            )  # fmt: skip
        for n, (name, text) in enumerate(WORKED.items()):
            add_response(
                users[name], "after-m1", {"clarity": 4, "what-worked": text},
                when=start + timedelta(hours=n),
            )  # fmt: skip
        add_response(users["F"], "after-m1", {}, status="skipped")
        add_response(users["D"], "after-m2", {"clarity": 5})
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
