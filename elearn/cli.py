"""The app's commands: one group per feature, attached to Flask's CLI by the factory.

Each command is one action: it commits once at the end (``unit_of_work.action``) or not at all.
"""

import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group
from sqlalchemy import func, select

from elearn import audit
from elearn.auth import throttle
from elearn.auth.models import User
from elearn.auth.service import (
    ServiceError,
    create_cohort_with_invite,
    create_user,
    turn_on_two_factor_for_demo,
)
from elearn.config import base_url_problem
from elearn.content.cli import content_group
from elearn.content.store import NoContent
from elearn.demo import generate_learners
from elearn.extensions import db
from elearn.privacy.cli import init_app as init_privacy_cli
from elearn.roles import STAFF, Role
from elearn.unit_of_work import action
from elearn.xapi.cli import init_app as init_xapi_cli


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group("users", help="Manage accounts.")
def users_group():
    pass


@users_group.command("create")
@click.option(
    "--role",
    required=True,
    type=click.Choice([str(role) for role in Role]),
    help="The account's role.",
)
@click.option("--email", required=True, help="The email address the person signs in with.")
@click.option(
    "--name", "display_name", default=None, help="The name shown to them (default: from the email)."
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of asking.",
)
@with_appcontext
def create_user_command(role, email, display_name, password_stdin):
    """Create an account; the password is asked for, or read from standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with action():
            user = create_user(email, password, Role(role), display_name)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Created {user.role} account for {user.email}.")


@click.command("demo", help="Create demo accounts, a cohort and an invite code; add demo learners.")
@click.option(
    "--learners",
    type=click.IntRange(min=0),
    default=0,
    help="Also create this many demo learners with progress, quiz attempts and feedback.",
)
@click.option("--seed", type=int, default=7, help="Random seed for the demo learners.")
@with_appcontext
def demo_command(learners, seed):
    """Create one account per role and a cohort with an invite code, printing the passwords once."""
    # Demo learners' activity is recorded as learning records: their identity must be fixed
    # first, as for the web app and the worker (checked before anything is written).
    if learners and current_app.config["ENV"] not in ("development", "testing"):
        if problem := base_url_problem(current_app.config["BASE_URL"]):
            _fail(problem)
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Demo accounts not created: the database already has accounts.")
    else:
        accounts = []
        development = current_app.config["ENV"] in ("development", "testing")
        with action():
            for role in Role:
                password = "-".join(secrets.token_hex(3) for _ in range(3))
                user = create_user(f"{role}@example.org", password, role, f"Demo {role.title()}")
                key = turn_on_two_factor_for_demo(user) if development and role in STAFF else ""
                accounts.append((user, password, key))
            invite = create_cohort_with_invite("Demo cohort", max_uses=100, days_valid=365)
            learner = next(user for user, _, _ in accounts if user.role == Role.LEARNER)
            learner.cohort_id = invite.cohort_id
        click.echo("Demo accounts (these passwords are shown only once):")
        for user, password, key in accounts:
            line = f"  {user.role:<9} {user.email:<22} {password}"
            click.echo(line + (f"  two-factor key: {key}" if key else ""))
        if any(key for _, _, key in accounts):
            click.echo("Add a two-factor key to an authenticator app to sign in as that account.")
        click.echo(f"Invite code for new learners: {invite.code}")
    if learners:
        try:
            made = generate_learners(learners, seed=seed)
        except NoContent as error:
            _fail(f"{error}")
        click.echo(f"Created {made} demo learners with their activity.")


@click.group("audit", help="The audit log.")
def audit_group():
    pass


@audit_group.command("purge")
@with_appcontext
def purge_audit_command():
    """Remove audit entries older than AUDIT_RETENTION_DAYS (the only way entries are removed),
    and sign-in attempt counts older than a day."""
    days = int(current_app.config["AUDIT_RETENTION_DAYS"])
    removed = audit.purge(days)
    throttle.forget_old()
    click.echo(f"Removed {removed} audit entries older than {days} days.")


def init_app(app: Flask) -> None:
    """Attach every feature's command group to the app's CLI."""
    app.cli.add_command(db_group, "db")
    app.cli.add_command(users_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(content_group)
    init_xapi_cli(app)
    init_privacy_cli(app)
