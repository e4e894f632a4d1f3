"""Demo learners give all three kinds of feedback through the feedback services."""

from sqlalchemy import func, select

from elearn.demo import HOSTILE, generate_learners
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyAnswer, SurveyResponse
from elearn.review import service
from elearn.review.service import Filters
from elearn.xapi.models import OutboxStatement


def test_demo_learners_answer_skip_and_comment(app, published):
    with app.test_request_context():
        generate_learners(40, seed=5)
        statuses = dict(
            db.session.execute(
                select(SurveyResponse.status, func.count()).group_by(SurveyResponse.status)
            ).all()
        )
        assert statuses["submitted"] > statuses["skipped"] > 0
        surveys = set(db.session.scalars(select(SurveyResponse.survey_id).distinct()))
        assert {"baseline", "after-m1", "end-of-course"} <= surveys
        # Every submitted response answers every required item (the service checks it).
        assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) > 100
        comments = db.session.scalar(
            select(func.count()).select_from(PageFeedback).where(PageFeedback.comment.is_not(None))
        )
        assert comments > 0
        # Their learning records are queued too, as for a real learner.
        survey_statements = db.session.scalar(
            select(func.count())
            .select_from(OutboxStatement)
            .where(OutboxStatement.statement_json.contains("/activities/survey/"))
        )
        assert survey_statements > 100
        # Before and after can be paired for the demo's learners.
        paired = service.confidence_pairs(
            Filters(), "baseline", "end-of-course", ["confidence-m1-lo5"]
        )
        assert paired["confidence-m1-lo5"].learners
        assert paired["confidence-m1-lo5"].after > paired["confidence-m1-lo5"].before


def test_hostile_demo_text_exercises_escaping():
    assert any("<script>" in text for text in HOSTILE)
    assert any(text.startswith("=") for text in HOSTILE)
