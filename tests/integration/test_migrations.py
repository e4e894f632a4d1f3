"""Migrations build the schema from empty and agree with the models."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from elearn.extensions import db
from tests.helpers import upgrade_database


def _assert_models_match(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_upgrade_empty_sqlite_and_compare(app, tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.sqlite"
    upgrade_database(url)
    engine = create_engine(url)
    assert {"user_account", "cohort", "invite", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()
    _assert_models_match(url)


def test_sqlite_uses_wal_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite-only pragmas")
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.postgres
def test_upgrade_empty_postgresql_and_compare():
    base = os.environ["ELEARN_DATABASE_URL"]
    name = f"elearn_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade_database(url)
        _assert_models_match(url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
