"""The `elearn` console script: Flask's commands plus the app's own (elearn.cli)."""

import click
from flask.cli import FlaskGroup

from elearn.app import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), help="Health Data Guides.")
def main():
    """The `elearn` console script: Flask's commands plus the app's own."""
