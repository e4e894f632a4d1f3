"""The review tests' hand-worked fixtures; the values they hold are worked out in the
docstrings of test_statistics.py (fixture_data) and test_feedback_statistics.py (feedback_data)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from elearn.content.store import live_revision_id, publish
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyAnswer, SurveyResponse
from elearn.learn.models import Certificate, ModuleProgress, PageProgress
from tests.factories import make_invite, make_user
from tests.integration.review.helpers import (
    FORMULA,
    SCRIPT,
    WEEK,
    add_attempt,
    add_response,
    edited,
)

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


# The drop-off fixture, worked out in test_dropoff.py: (how many, community role, pages opened).
JOURNEYS = [
    (6, "ppg-member", [1, 2, 3, 4, 5, 6, 7, 8]),
    (7, "care-staff", [1, 2, 3]),
    (5, "health-professional", [1]),
    (2, "care-staff", [1, 5]),
    (1, "ppg-member", []),
]


@pytest.fixture
def dropoff_data(app, published):
    """Twenty-one consenting learners' pages opened in module 1 (and one who did not consent)."""
    start = utcnow() - timedelta(days=1)
    with app.test_request_context():
        n = 0
        people = [*JOURNEYS, (1, "ppg-member", [1, 2])]
        for group, (count, role, pages) in enumerate(people):
            for _ in range(count):
                n += 1
                user = make_user(email=f"d{n}@example.org", community_role=role,
                                 evaluation_consent=group < len(JOURNEYS))  # fmt: skip
                for page in pages:
                    db.session.add(
                        PageProgress(user_id=user.id, module_id="m1", page_id=f"m1-p{page}",
                                     first_viewed_at=start, last_viewed_at=start)
                    )  # fmt: skip
        db.session.commit()


@pytest.fixture
def summary_data(app, published):
    """Twenty consenting learners for the summary (worked out in test_summary.py), and a second
    published revision that retitles page m1-p3 and rewords one question; returns the three
    quiz question ids."""
    quiz = published.quizzes["m1"]
    questions = [q for q in quiz.questions if not q.multiple and len(q.options) >= 3][:3]
    ids = {}
    for q in questions:
        right = next(o.id for o in q.options if o.correct)
        wrong = [o.id for o in q.options if not o.correct]
        ids[q.id] = {"R": right, "W": wrong[0], "V": wrong[1]}
    start = utcnow() - timedelta(days=1)
    helpful = {"m1-p1": [True] * 5 + [False] * 5, "m1-p2": [True] * 5 + [False] * 10,
               "m1-p4": [True] * 10, "m1-p5": [True] * 7 + [False] * 3}  # fmt: skip
    with app.test_request_context():
        revision = live_revision_id()
        for i in range(20):
            user = make_user(email=f"s{i}@example.org", evaluation_consent=True)
            finished = i < 10
            for page in range(1, 9 if finished else 3):
                db.session.add(PageProgress(user_id=user.id, module_id="m1",
                                            page_id=f"m1-p{page}", first_viewed_at=start,
                                            last_viewed_at=start))  # fmt: skip
            db.session.add(ModuleProgress(user_id=user.id, module_id="m1", started_at=start,
                                          completed_at=start if finished else None))  # fmt: skip
            if finished:
                certificate = Certificate(user_id=user.id, serial=f"S-{i}",
                                          verification_code=f"V-{i}", issued_at=start)  # fmt: skip
                db.session.add(certificate)
            pattern = "RRR" if i < 10 else "WRR" if i < 15 else "WWR"
            add_attempt(user.id, 1, questions, ids, pattern, revision)
            for page_id, answers in helpful.items():
                if i < len(answers):
                    db.session.add(PageFeedback(user_id=user.id, module_id="m1", page_id=page_id,
                                                helpful=answers[i], comment=None,
                                                created_at=start, updated_at=start))  # fmt: skip
        db.session.commit()
        first = questions[0].id

        def edit(data):
            data["modules"][0]["pages"][2]["title"] = "How data is recorded, step by step"
            for question in data["quizzes"]["m1"]["questions"]:
                if question["id"] == first:
                    question["text"] = "Which of these is health and care data?"

        changed = edited(published, edit)
        publish(changed, note="Clearer page 3")
        db.session.commit()
    return [q.id for q in questions]


@pytest.fixture
def timeline_data(app, published):
    """Sixteen consenting learners over three weeks (worked out in test_over_time.py)."""
    with app.test_request_context():
        for i in range(16):
            week = 0 if i < 8 else 1 if i < 14 else 2
            joined = datetime.combine(WEEK + timedelta(weeks=week, days=i % 5), time(10),
                                      tzinfo=UTC)  # fmt: skip
            user = make_user(email=f"t{i}@example.org", evaluation_consent=True,
                             created_at=joined)  # fmt: skip
            if 3 <= i < 14:
                issued = WEEK + timedelta(weeks=1 if i < 8 else 2, days=2)
                db.session.add(Certificate(
                    user_id=user.id, serial=f"T-{i}", verification_code=f"TV-{i}",
                    issued_at=datetime.combine(issued, time(12), tzinfo=UTC),
                ))  # fmt: skip
            given = datetime.combine(WEEK + timedelta(weeks=0 if i < 10 else 1, days=3),
                                     time(9), tzinfo=UTC)  # fmt: skip
            db.session.add(PageFeedback(user_id=user.id, module_id="m1", page_id="m1-p1",
                                        helpful=i % 10 < 5, comment=None, created_at=given,
                                        updated_at=given))  # fmt: skip
        db.session.commit()
