"""Sign in, sign out, the sign-in limit, password changes."""

from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user


def test_sign_in_and_out(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org", display_name="Grace")
    response = auth.sign_in("GRACE@example.org ")
    assert response.status_code == 302
    assert "Grace" in client.get("/account").get_data(as_text=True)
    assert client.get("/sign-out").status_code == 200  # a confirmation page, not a GET side effect
    assert client.get("/account").status_code == 200
    assert auth.sign_out().status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_gets_one_message_for_both_fields(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    for email in ("grace@example.org", "nobody@example.org"):
        response = auth.sign_in(email, "wrong password here")
        assert response.status_code == 400
        assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_next_only_goes_to_local_paths(app, client):
    with app.app_context():
        make_user(email="grace@example.org")
    data = {"email": "grace@example.org", "password": DEFAULT_PASSWORD}
    response = client.post("/sign-in?next=https://evil.example.com/", data=data)
    assert "evil" not in response.headers["Location"]
    client.post("/sign-out")
    response = client.post("/sign-in?next=/account/password", data=data)
    assert response.headers["Location"] == "/account/password"


def test_sign_in_limit_per_account_trips_after_repeated_failures(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    for _ in range(5):
        assert auth.sign_in("grace@example.org", "wrong password here").status_code == 400
    response = auth.sign_in("grace@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "You have tried too many times" in response.get_data(as_text=True)
    # Another account from the same address is not locked by this account's limit.
    with app.app_context():
        make_user(email="amina@example.org")
    assert auth.sign_in("amina@example.org").status_code == 302


def test_sign_in_limit_per_address(app, client, auth):
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    for n in range(3):
        auth.sign_in(f"person{n}@example.org", "wrong password here")
    assert auth.sign_in("person9@example.org", "wrong password here").status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    for _ in range(8):
        assert auth.sign_in("grace@example.org").status_code == 302
        auth.sign_out()


def test_change_password_signs_out_other_sessions(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    other = app.test_client()
    other.post("/sign-in", data={"email": "grace@example.org", "password": DEFAULT_PASSWORD})
    assert other.get("/account").status_code == 200
    auth.sign_in("grace@example.org")
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "violet harbour engine",
            "confirm_password": "violet harbour engine",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    auth.sign_out()
    assert auth.sign_in("grace@example.org", "violet harbour engine").status_code == 302


def test_change_password_wrong_current_password(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    auth.sign_in("grace@example.org")
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": "violet harbour engine",
            "confirm_password": "violet harbour engine",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right" in response.get_data(as_text=True)


def test_wrong_current_passwords_count_towards_the_sign_in_limit(app, client, auth):
    with app.app_context():
        make_user(email="grace@example.org")
    auth.sign_in("grace@example.org")
    guess = {"new_password": "violet harbour engine", "confirm_password": "violet harbour engine"}
    for _ in range(5):
        response = client.post("/account/password", data={**guess, "current_password": "guess"})
        assert response.status_code == 400
    # A stolen session cannot be used to guess the password: the sixth check waits, even right.
    right = {**guess, "current_password": DEFAULT_PASSWORD}
    response = client.post("/account/password", data=right)
    assert response.status_code == 429
    assert "You have tried too many times" in response.get_data(as_text=True)


def test_learner_changes_evaluation_consent(app, client, auth):
    with app.app_context():
        make_user(email="amina@example.org")
    auth.sign_in("amina@example.org")
    assert (
        client.post("/account/evaluation-consent", data={"evaluation_consent": "yes"}).status_code
        == 302
    )
    assert "Use my feedback in the pilot evaluation" in client.get("/account").get_data(
        as_text=True
    )

    with app.app_context():
        assert db.session.scalar(
            select(User.evaluation_consent).where(User.email == "amina@example.org")
        )
