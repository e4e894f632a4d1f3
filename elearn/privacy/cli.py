"""`elearn data purge`: retention. Deletes accounts inactive for a number of days and removes
learning records the LRS has stored for longer than the retention setting."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.privacy import service
from elearn.unit_of_work import action


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _days(value: str | None) -> int:
    """The --older-than value as whole days, or exit 1 with a message saying what is wrong."""
    if value is None:
        _fail("--older-than: give the number of days without activity, like --older-than 365")
    text = (value or "").strip()
    if not text.isdigit():
        _fail(f"--older-than: {value!r} is not a whole number of days, like 365")
    days = int(text)
    if days < 1:
        _fail("--older-than: must be 1 day or more")
    return days


@click.group("data", help="Personal data: retention.")
def data_group():
    pass


@data_group.command("purge")
@click.option(
    "--older-than",
    "older_than",
    metavar="DAYS",
    default=None,
    help="Delete learner accounts with no activity for this many days (whole days, 1 or more).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only say what would be deleted; change nothing.",
)
@with_appcontext
def purge_command(older_than, dry_run):
    """Delete learner accounts inactive for DAYS (as "Delete my account" does) and remove sent
    learning records older than OUTBOX_SENT_RETENTION_DAYS."""
    days = _days(older_than)
    retention = current_app.config["OUTBOX_SENT_RETENTION_DAYS"]
    if not isinstance(retention, int) or retention < 1:
        _fail(f"OUTBOX_SENT_RETENTION_DAYS: must be a whole number of days, not {retention!r}")
    if dry_run:
        plan = service.plan_purge(days, retention)
        click.echo(
            f"Dry run: {len(plan.accounts)} learner accounts with no activity since "
            f"{plan.cutoff:%Y-%m-%d} would be deleted, and {plan.records} learning records "
            f"sent before {plan.records_cutoff:%Y-%m-%d} would be removed from the outbox."
        )
        for user in plan.accounts:
            click.echo(f"  would delete account {user.id}")
        return
    with action():
        done = service.purge(days, retention)
    click.echo(
        f"Deleted {len(done.accounts)} learner accounts with no activity since "
        f"{done.cutoff:%Y-%m-%d}. Removed {done.records} learning records sent before "
        f"{done.records_cutoff:%Y-%m-%d} from the outbox."
    )


def init_app(app) -> None:
    """Attach the `data` group to the app's CLI."""
    app.cli.add_command(data_group)
