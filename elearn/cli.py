"""The `elearn` command: Flask's commands plus one group per feature."""

import secrets
import sys

import click
from flask.cli import FlaskGroup, with_appcontext

from elearn import create_app


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
    type=click.Choice(["learner", "reviewer", "admin"]),
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
    from elearn.auth.service import ServiceError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role, display_name)
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
    from sqlalchemy import func, select

    from elearn.auth.models import User
    from elearn.auth.service import create_cohort_with_invite, create_user
    from elearn.extensions import db

    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Demo accounts not created: the database already has accounts.")
    else:
        accounts = []
        for role, name in (("learner", "Demo Learner"), ("reviewer", "Demo Reviewer"),
                           ("admin", "Demo Admin")):  # fmt: skip
            password = "-".join(secrets.token_hex(3) for _ in range(3))
            user = create_user(f"{role}@example.org", password, role, name)
            accounts.append((user.email, password, role))
        invite = create_cohort_with_invite("Demo cohort", max_uses=100, days_valid=365)
        learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
        learner.cohort_id = invite.cohort_id
        db.session.commit()
        click.echo("Demo accounts (these passwords are shown only once):")
        for email, password, role in accounts:
            click.echo(f"  {role:<9} {email:<22} {password}")
        click.echo(f"Invite code for new learners: {invite.code}")
    if learners:
        from elearn.content.store import NoContent
        from elearn.demo import generate_learners

        try:
            made = generate_learners(learners, seed=seed)
        except NoContent as error:
            _fail(f"{error}")
        click.echo(f"Created {made} demo learners with their activity.")


def init_app(app) -> None:
    """Attach every feature's command group to the app's CLI."""
    from flask_migrate.cli import db as db_group

    from elearn.content.cli import content_group
    from elearn.xapi.cli import init_app as init_xapi_cli

    app.cli.add_command(db_group, "db")
    app.cli.add_command(users_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(content_group)
    init_xapi_cli(app)


@click.group(
    cls=FlaskGroup,
    # Commands sign no cookies, so they run without ELEARN_SECRET_KEY (the web app does not).
    create_app=lambda: create_app({"SECRET_KEY_REQUIRED": False}),
    help="Health Data Guides.",
)
def main():
    """The `elearn` console script: Flask's commands plus the app's own."""
