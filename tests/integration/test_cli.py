"""The `elearn` command."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyotp
from sqlalchemy import func, select, update

from elearn import demo
from elearn.auth.models import Cohort, Invite, User
from elearn.auth.passwords import hash_password, verify_password
from elearn.demo import generate_learners
from elearn.extensions import db
from elearn.learn.models import PageProgress
from elearn.quiz.models import QuizAttempt
from elearn.xapi.models import OutboxStatement


def test_users_create_reads_password_from_stdin(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "Admin@Example.org",
            "--password-stdin",
        ],
        input="kettle orbit lantern\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin account for admin@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == "admin"
        assert verify_password(user.password_hash, "kettle orbit lantern")


def test_users_create_asks_for_the_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "--role", "reviewer", "--email", "r@example.org"],
        input="kettle orbit lantern\nkettle orbit lantern\n",
    )
    assert result.exit_code == 0, result.output


def test_users_create_bad_password_fails_on_stderr(app, runner):
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--email", "a@example.org", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 1
    assert "Error: Password must be 12 characters or more" in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_users_create_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "--role", "boss", "--email", "a@example.org"])
    assert result.exit_code == 2


def test_demo_creates_accounts_once(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    passwords = dict(re.findall(r"^\s+\w+\s+(\S+@example\.org)\s+(\S+)", result.output, re.M))
    assert set(passwords) == {"learner@example.org", "reviewer@example.org", "admin@example.org"}
    code = re.search(r"Invite code for new learners: (HDG-\w+)", result.output).group(1)
    with app.app_context():
        for email, password in passwords.items():
            user = db.session.scalar(select(User).where(User.email == email))
            assert verify_password(user.password_hash, password)
        assert db.session.scalar(select(Invite.code)) == code
    # Staff sign in with two factors: the demo prints each staff account's key beside its password.
    keys = dict(re.findall(r"(\S+@example\.org)\s+\S+\s+two-factor key: (\w+)", result.output))
    assert set(keys) == {"reviewer@example.org", "admin@example.org"}
    with app.app_context():
        for email, key in keys.items():
            user = db.session.scalar(select(User).where(User.email == email))
            assert user.two_factor_enabled and user.totp_secret == key
    # The printed accounts work: each signs in with its password (and staff with a code).
    for email, password in passwords.items():
        client = app.test_client()
        signed_in = client.post("/sign-in", data={"email": email, "password": password})
        assert signed_in.status_code == 302, email
        if email in keys:
            assert "/sign-in/two-factor" in signed_in.headers["Location"]
            code = pyotp.TOTP(keys[email]).now()
            second = client.post("/sign-in/two-factor", data={"code": code})
            assert second.status_code == 302, email
        assert client.get("/account").status_code == 200, email
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already has accounts" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 3


def test_demo_learners_work_through_the_course(app, runner, published):

    result = runner.invoke(args=["demo", "--learners", "6", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Created 6 demo learners with their activity." in result.output
    with app.app_context():
        learners = db.session.scalar(
            select(func.count()).select_from(User).where(User.email.like("demo-learner-%"))
        )
        assert learners == 6
        assert db.session.scalar(select(func.count()).select_from(PageProgress)) > 6
        attempts = db.session.scalars(select(QuizAttempt)).all()
        assert attempts and all(a.status == "submitted" for a in attempts)


def test_demo_learner_passwords_are_random_not_from_the_seed(app, published, monkeypatch):
    chosen = []

    def remember(password: str) -> str:
        chosen.append(password)
        return hash_password(password)

    monkeypatch.setattr(demo, "hash_password", remember)
    with app.app_context():
        generate_learners(1, seed=3)
        first = db.session.scalar(select(User).where(User.email == "demo-learner-3-1@example.org"))
        first_hash = first.password_hash
        # Make room for a second run with the same seed: it makes the same emails and cohorts.
        db.session.execute(update(User).values(email="first-run-" + User.email))
        db.session.execute(update(Cohort).values(name=Cohort.name + " (first run)"))
        db.session.commit()
        generate_learners(1, seed=3)
        second = db.session.scalar(select(User).where(User.email == "demo-learner-3-1@example.org"))
        second_hash = second.password_hash
    # Same seed, different passwords: a seed (printed in every demo email) gives nothing away.
    assert len(chosen) == 2 and chosen[0] != chosen[1]
    assert all(len(password) >= 32 for password in chosen)  # 24 random bytes, URL-safe
    assert verify_password(first_hash, chosen[0]) and verify_password(second_hash, chosen[1])
    assert not verify_password(second_hash, chosen[0])


def test_demo_learners_need_published_content(runner):
    result = runner.invoke(args=["demo", "--learners", "2"])
    assert result.exit_code == 1
    assert "no published content" in result.stderr


def _clean_env(tmp_path) -> dict[str, str]:
    """A new shell's environment: no ELEARN_ENV, no ELEARN_SECRET_KEY, a throwaway database."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite",
    }


def _elearn(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run the installed `elearn` console script as a person would, in its own process."""
    script = Path(sys.executable).with_name("elearn")
    return subprocess.run(
        [str(script), *args],
        env={**_clean_env(tmp_path), **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_console_script_help_needs_no_secret_key(tmp_path):
    result = _elearn(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for group in ("content", "db", "demo", "users", "xapi"):
        assert re.search(rf"^\s+{group}\s", result.stdout, re.M), group


def test_console_script_validates_content_without_secret_key(tmp_path):
    result = _elearn(tmp_path, "content", "validate")
    assert result.returncode == 0, result.stderr
    assert "ELEARN_SECRET_KEY" not in result.stderr


def test_console_script_sets_up_a_database_and_demo_without_secret_key(tmp_path):
    for args in (["db", "upgrade"], ["content", "import"]):
        result = _elearn(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
    # Demo learners make learning records: outside development their identity needs the
    # service's permanent address first, and the command says so rather than failing later.
    refused = _elearn(tmp_path, "demo", "--learners", "2")
    assert refused.returncode == 1
    assert "ELEARN_BASE_URL" in refused.stderr and "Traceback" not in refused.stderr
    assert "Demo accounts" not in refused.stdout  # nothing written
    result = _elearn(
        tmp_path, "demo", "--learners", "2", ELEARN_BASE_URL="https://guides.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert "Created 2 demo learners with their activity." in result.stdout
    assert "learner@example.org" in result.stdout


def test_demo_learners_can_be_added_twice_and_register_through_the_service(app, runner, published):
    for _ in range(2):
        result = runner.invoke(args=["demo", "--learners", "3"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        emails = db.session.scalars(select(User.email).where(User.email.like("demo-learner-%")))
        assert sorted(emails) == [f"demo-learner-7-{n}@example.org" for n in range(1, 7)]
        made = [
            json.loads(text) for text in db.session.scalars(select(OutboxStatement.statement_json))
        ]
    registered = [s for s in made if s["verb"]["id"].endswith("/registered")]
    assert len(registered) == 6
    results = [s for s in made if s["verb"]["id"].rsplit("/", 1)[1] in ("passed", "failed")]
    assert results and all(s["result"]["duration"] != "PT0S" for s in results)
