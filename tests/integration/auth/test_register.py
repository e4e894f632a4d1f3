"""Registration by invite code."""

import pytest
from sqlalchemy import func, select

from elearn.auth.models import Invite, User
from elearn.auth.passwords import verify_password
from elearn.extensions import db
from tests.factories import make_invite, make_user

GOOD = {
    "email": "Pat.Jones@Example.org",
    "display_name": "Pat",
    "password": "kettle orbit lantern",
    "confirm_password": "kettle orbit lantern",
    "community_role": "ppg-member",
    "organisation": "Banbury Cross surgery PPG",
    "evaluation_consent": "yes",
}


def _count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_learner_and_signs_in(app, client):
    with app.app_context():
        invite = make_invite(max_uses=2)
        code = invite.code
    response = client.post("/register", data={**GOOD, "invite_code": code.lower()})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "pat.jones@example.org"))
        assert user.role == "learner"
        assert user.community_role == "ppg-member"
        assert user.evaluation_consent is True
        assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
        assert verify_password(user.password_hash, GOOD["password"])
        assert len(user.opaque_id) == 36 and user.opaque_id != str(user.id)
        assert db.session.scalar(select(Invite.uses).where(Invite.code == code)) == 1
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"invite_code": "HDG-NOTACODE"}, "Enter a valid invite code"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        (
            {"password": "short", "confirm_password": "short"},
            "Password must be 12 characters or more",
        ),
        (
            {"password": "qwerty123456", "confirm_password": "qwerty123456"},
            "Password is too easy to guess",
        ),
        ({"confirm_password": "something else"}, "Passwords do not match"),
        ({"community_role": ""}, "Select the role that best describes you"),
        ({"evaluation_consent": ""}, "Select yes if we can use your feedback"),
        ({"display_name": ""}, "Enter your name"),
    ],
)
def test_bad_input_gets_a_message_and_creates_nothing(app, client, change, message):
    with app.app_context():
        code = make_invite().code
    response = client.post("/register", data={**GOOD, "invite_code": code, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert _count_users(app) == 0


def test_expired_invite_is_refused(app, client):
    with app.app_context():
        code = make_invite(expired=True).code
    response = client.post("/register", data={**GOOD, "invite_code": code})
    assert "This invite code has expired" in response.get_data(as_text=True)
    assert _count_users(app) == 0


def test_used_up_invite_is_refused_and_not_counted(app, client):
    with app.app_context():
        code = make_invite(max_uses=1).code
    assert client.post("/register", data={**GOOD, "invite_code": code}).status_code == 302
    client.post("/sign-out")
    response = client.post(
        "/register", data={**GOOD, "invite_code": code, "email": "second@example.org"}
    )
    assert "This invite code has been used up" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invite.uses).where(Invite.code == code)) == 1
    assert _count_users(app) == 1


def test_email_already_registered(app, client):
    with app.app_context():
        make_user(email="pat.jones@example.org")
        code = make_invite().code
    response = client.post("/register", data={**GOOD, "invite_code": code})
    assert "An account with this email address already exists" in response.get_data(as_text=True)
    assert _count_users(app) == 1


def test_registration_offers_the_start_of_course_survey(app, client, published):
    with app.app_context():
        code = make_invite().code
    response = client.post("/register", data={**GOOD, "invite_code": code})
    assert response.headers["Location"] == "/learn/surveys/baseline"
