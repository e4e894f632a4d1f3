"""The `elearn` console script: Flask's commands plus the app's own (elearn.cli)."""

import click
from flask.cli import FlaskGroup

from elearn.app import create_app


@click.group(
    cls=FlaskGroup,
    # Commands sign no cookies, so they run without ELEARN_SECRET_KEY (the web app does not).
    create_app=lambda: create_app({"SECRET_KEY_REQUIRED": False}),
    help="Health Data Guides.",
)
def main():
    """The `elearn` console script: Flask's commands plus the app's own."""
