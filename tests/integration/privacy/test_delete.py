"""Deleting an account: the password again, personal data, free text, the certificate and the
xAPI link gone, the figures reviewers see unchanged; the same path for an admin."""

import json
import logging
from collections import Counter

import pytest
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.db import utcnow
from elearn.extensions import db
from elearn.feedback.models import PageFeedback, SurveyAnswer, SurveyResponse
from elearn.learn.models import Certificate, ModuleProgress, PageProgress
from elearn.privacy import service
from elearn.quiz.models import QuizAttempt
from elearn.unit_of_work import action
from elearn.xapi.models import OutboxStatement
from tests.factories import DEFAULT_PASSWORD, make_invite, make_user
from tests.integration.privacy.texts import SURVEY_TEXT


def _figures(app) -> dict:
    """What every review figure is counted from: consenting learners by cohort and role, their
    progress, quiz results, chosen survey answers and page ratings."""
    with app.app_context():
        consenting = select(User.id).where(User.role == "learner", User.evaluation_consent)
        people = db.session.execute(
            select(User.cohort_id, User.community_role).where(User.id.in_(consenting))
        ).all()
        return {
            "learners": Counter(tuple(row) for row in people),
            "pages_done": Counter(
                db.session.scalars(
                    select(PageProgress.page_id).where(
                        PageProgress.user_id.in_(consenting), PageProgress.completed_at.is_not(None)
                    )
                )
            ),
            "modules_done": Counter(
                db.session.scalars(
                    select(ModuleProgress.module_id).where(ModuleProgress.user_id.in_(consenting))
                )
            ),
            "quiz": Counter(
                tuple(row)
                for row in db.session.execute(
                    select(QuizAttempt.module_id, QuizAttempt.number, QuizAttempt.score).where(
                        QuizAttempt.user_id.in_(consenting)
                    )
                )
            ),
            "chosen": Counter(
                tuple(row)
                for row in db.session.execute(
                    select(SurveyResponse.survey_id, SurveyAnswer.item_id, SurveyAnswer.value)
                    .join(SurveyAnswer.response)
                    .where(
                        SurveyResponse.user_id.in_(consenting),
                        SurveyAnswer.item_id.not_in(["what-worked", "what-to-change"]),
                    )
                )
            ),
            "helpful": Counter(
                tuple(row)
                for row in db.session.execute(
                    select(PageFeedback.page_id, PageFeedback.helpful).where(
                        PageFeedback.user_id.in_(consenting)
                    )
                )
            ),
        }


def _user(app, user_id) -> User:
    with app.app_context():
        return db.session.get(User, user_id)


def _check_deleted(app, everything, before_user, before_figures):
    after = _user(app, everything.user_id)
    assert after.deleted_at is not None
    assert everything.email not in after.email and "@" not in after.email
    assert after.display_name == "Deleted account" and after.organisation is None
    assert after.opaque_id != before_user.opaque_id  # the xAPI actor is no longer theirs
    assert after.course_registration != before_user.course_registration
    assert after.password_hash != before_user.password_hash
    with app.app_context():
        assert db.session.scalar(select(Certificate).where(Certificate.user_id == after.id)) is None
        texts = db.session.scalars(
            select(SurveyAnswer.value)
            .join(SurveyAnswer.response)
            .where(SurveyResponse.user_id == after.id)
        ).all()
        assert SURVEY_TEXT not in texts and texts  # the chosen answers stay
        comments = db.session.scalars(
            select(PageFeedback.comment).where(PageFeedback.user_id == after.id)
        ).all()
        assert comments == [None]
        # Statements already recorded keep the old random id, which nothing links to anyone.
        statements = db.session.scalars(select(OutboxStatement.statement_json)).all()
        assert any(before_user.opaque_id in s for s in statements)
        assert not any(after.opaque_id in s for s in statements)
        assert (
            db.session.scalar(select(User).where(User.opaque_id == before_user.opaque_id)) is None
        )
        assert service.your_data(after)["learning_records"] == []
    assert _figures(app) == before_figures


def test_the_page_explains_what_happens(learner_client, everything):
    html = learner_client.get("/account/delete").get_data(as_text=True)
    assert "You cannot undo this" in html
    assert "What we delete" in html and "What we keep, without your name" in html
    assert "the link between you and your learning records" in html
    assert 'name="password"' in html and "nhsuk-button--warning" in html


@pytest.mark.parametrize(
    "password, message",
    [
        ("", "Enter your password to delete your account"),
        ("not my password", "Your password is not right"),
    ],
)
def test_deleting_needs_the_password_again(app, learner_client, everything, password, message):
    response = learner_client.post("/account/delete", data={"password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert "<title>Error: Delete your account" in html
    assert _user(app, everything.user_id).deleted_at is None


def test_deleting_removes_personal_data_and_the_xapi_link_and_keeps_the_figures(
    app, learner_client, everything
):
    before_user = _user(app, everything.user_id)
    before_figures = _figures(app)
    code = _certificate_code(app, everything.user_id)
    client = app.test_client()  # someone checking the certificate, not signed in
    assert client.get(f"/certificates/{code}").status_code == 200
    response = learner_client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your account has been deleted." in learner_client.get("/").get_data(as_text=True)
    assert learner_client.get("/account").status_code == 302  # signed out
    _check_deleted(app, everything, before_user, before_figures)
    assert client.get(f"/certificates/{code}").status_code == 404


def _certificate_code(app, user_id) -> str:
    with app.app_context():
        return db.session.scalar(
            select(Certificate.verification_code).where(Certificate.user_id == user_id)
        )


def test_a_deleted_account_cannot_sign_in_and_its_email_can_register_again(
    app, learner_client, everything
):
    learner_client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": everything.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    with app.app_context():
        code = make_invite().code
    response = client.post(
        "/register",
        data={
            "invite_code": code,
            "email": everything.email,
            "display_name": "Priya",
            "password": "kettle orbit lantern",
            "confirm_password": "kettle orbit lantern",
            "community_role": "ppg-member",
            "evaluation_consent": "no",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.email == everything.email))
        assert fresh.id != everything.user_id and fresh.deleted_at is None
        assert (
            db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == fresh.id)).all()
            == []
        )


def test_an_admin_carries_out_a_request_through_the_same_path(app, everything, users, caplog):
    before_user = _user(app, everything.user_id)
    before_figures = _figures(app)
    caplog.set_level(logging.INFO, logger="elearn.privacy")
    client = app.test_client()  # the learner is signed in on the shared client
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    page = client.get("/admin/delete-account").get_data(as_text=True)
    assert "<h1>Delete a learner's account</h1>" in page
    response = client.post(
        "/admin/delete-account", data={"email": everything.email.upper(), "checked": "checked"}
    )
    assert response.status_code == 302
    assert "has been deleted" in client.get("/admin/delete-account").get_data(as_text=True)
    logged = [r.getMessage() for r in caplog.records if r.name == "elearn.privacy"]
    assert len(logged) == 1 and logged[0].startswith(f"account {everything.user_id} deleted")
    assert everything.email not in logged[0]
    _check_deleted(app, everything, before_user, before_figures)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "", "checked": "checked"}, "Enter the learner&#39;s email address"),
        ({"email": "nobody@example.org", "checked": "checked"}, "There is no account with this"),
        ({"email": "STAFF", "checked": "checked"}, "This is a staff account"),
        ({"email": "LEARNER"}, "Confirm that you have checked the request"),
    ],
)
def test_an_admin_deletion_says_what_is_wrong(app, client, users, data, message):
    client.post("/sign-in", data={"email": users["admin"], "password": DEFAULT_PASSWORD})
    email = {"STAFF": users["reviewer"], "LEARNER": users["learner"]}.get(
        data["email"], data["email"]
    )
    response = client.post("/admin/delete-account", data={**data, "email": email})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html and message in html
    with app.app_context():
        assert db.session.scalar(select(User).where(User.deleted_at.is_not(None))) is None


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_staff_cannot_post_to_the_learners_delete_page(app, client, users, role):
    client.post("/sign-in", data={"email": users[role], "password": DEFAULT_PASSWORD})
    assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 403


def test_deleting_twice_changes_nothing_more(app, everything):
    with app.test_request_context():
        user = db.session.get(User, everything.user_id)
        service.delete_account(user)
        first = (user.email, user.opaque_id, user.deleted_at)
        service.delete_account(user)
        assert (user.email, user.opaque_id, user.deleted_at) == first
        with pytest.raises(service.DeletionError):
            service.delete_account(make_user(role="reviewer"))


def test_typed_text_is_withdrawn_from_the_learning_records(app, learner_client, everything):
    with app.app_context(), action():
        typed = [
            row
            for row in db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id))
            if SURVEY_TEXT in row.statement_json
        ]
        assert len(typed) == 2  # two free-text items answered
        typed[0].state, typed[0].sent_at = "sent", utcnow()  # this one reached the LRS
        sent_id = typed[0].statement_id
        others = db.session.scalar(select(func.count()).select_from(OutboxStatement)) - 2
    learner_client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    with app.app_context():
        rows = db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)).all()
    assert not any(SURVEY_TEXT in row.statement_json for row in rows)
    statements = [json.loads(row.statement_json) for row in rows]
    voids = [s for s in statements if s["verb"]["id"].endswith("/voided")]
    assert [v["object"] for v in voids] == [{"objectType": "StatementRef", "id": sent_id}]
    assert len(rows) == others + 1  # the rest are kept; the unsent typed one is dropped
