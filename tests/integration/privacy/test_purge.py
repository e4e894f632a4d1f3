"""Retention: `elearn data purge --older-than DAYS [--dry-run]`, with clear errors."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from elearn.auth.models import User
from elearn.content import provider
from elearn.db import utcnow
from elearn.extensions import db
from elearn.journey import progression
from elearn.learn.models import PageProgress
from elearn.unit_of_work import action
from elearn.xapi.models import OutboxStatement
from tests.factories import learner, make_user


@pytest.fixture
def history(app, published):
    """An old learner gone quiet, an old learner still active, a new learner, an old admin;
    statements sent long ago, sent lately, and waiting since long ago."""
    long_ago = utcnow() - timedelta(days=400)
    with app.app_context():
        quiet = make_user(email="quiet@example.org", created_at=long_ago)
        active = make_user(email="active@example.org", created_at=long_ago)
        make_user(email="new@example.org")
        make_user(role="admin", email="old-admin@example.org", created_at=long_ago)
        ids = {"quiet": quiet.id, "active": active.id}
    with app.test_request_context(), action():
        course = provider.course()
        module = course.modules[0]
        for who in ("quiet", "active"):
            progression.view_page(course, learner(ids[who]), module.id, module.pages[0].id)
    with app.app_context(), action():
        db.session.execute(
            update(PageProgress)
            .where(PageProgress.user_id == ids["quiet"])
            .values(first_viewed_at=long_ago, last_viewed_at=long_ago)
        )
        statements = db.session.scalars(select(OutboxStatement).order_by(OutboxStatement.id)).all()
        assert len(statements) >= 3
        statements[0].state, statements[0].sent_at = "sent", utcnow() - timedelta(days=91)
        statements[1].state, statements[1].sent_at = "sent", utcnow() - timedelta(days=2)
        statements[2].created_at = long_ago  # still waiting: never removed
    return ids


def _accounts(app) -> dict[str, bool]:
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        return {u.email: u.deleted_at is not None for u in users}


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxStatement))


def test_a_dry_run_says_what_would_go_and_changes_nothing(app, runner, history):
    accounts, statements = _accounts(app), _outbox(app)
    result = runner.invoke(args=["data", "purge", "--older-than", "365", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: 1 learner accounts with no activity since" in result.output
    assert "and 1 learning records sent before" in result.output
    assert f"would delete account {history['quiet']}" in result.output
    assert _accounts(app) == accounts and _outbox(app) == statements


def test_a_real_run_deletes_quiet_learners_and_old_sent_records(app, runner, history):
    statements = _outbox(app)
    result = runner.invoke(args=["data", "purge", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 learner accounts" in result.output
    assert "Removed 1 learning records sent before" in result.output
    accounts = _accounts(app)
    assert "quiet@example.org" not in accounts  # its email is gone with its other details
    assert accounts["active@example.org"] is False
    assert accounts["new@example.org"] is False and accounts["old-admin@example.org"] is False
    assert sum(accounts.values()) == 1
    assert _outbox(app) == statements - 1
    with app.app_context():
        quiet = db.session.get(User, history["quiet"])
        assert quiet.display_name == "Deleted account"
        # Its anonymous progress stays for the figures.
        assert db.session.scalar(
            select(func.count()).select_from(PageProgress).where(PageProgress.user_id == quiet.id)
        )
    again = runner.invoke(args=["data", "purge", "--older-than", "365"])
    assert "Deleted 0 learner accounts" in again.output and "Removed 0" in again.output


def test_the_retention_setting_decides_which_sent_records_go(app, runner, history):
    app.config["OUTBOX_SENT_RETENTION_DAYS"] = 1
    result = runner.invoke(args=["data", "purge", "--older-than", "365", "--dry-run"])
    assert "and 2 learning records sent before" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "--older-than: give the number of days without activity, like --older-than 365"),
        (["--older-than", "a year"], "--older-than: 'a year' is not a whole number of days"),
        (["--older-than", "-5"], "--older-than: '-5' is not a whole number of days"),
        (["--older-than", "2.5"], "--older-than: '2.5' is not a whole number of days"),
        (["--older-than", "0"], "--older-than: must be 1 day or more"),
    ],
)
def test_bad_input_says_what_is_wrong_and_exits_1(app, runner, history, args, message):
    accounts = _accounts(app)
    result = runner.invoke(args=["data", "purge", *args])
    assert result.exit_code == 1
    assert f"Error: {message}" in result.stderr
    assert _accounts(app) == accounts


def test_a_bad_retention_setting_is_refused(app, runner, history):
    app.config["OUTBOX_SENT_RETENTION_DAYS"] = "ninety"
    result = runner.invoke(args=["data", "purge", "--older-than", "365"])
    assert result.exit_code == 1
    assert "OUTBOX_SENT_RETENTION_DAYS: must be a whole number of days" in result.stderr
