"""The e2learner001 migration gives certificates issued before it a fresh verification code."""

import re

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from elearn import create_app
from elearn.config import ROOT
from elearn.extensions import db


def test_old_certificates_get_a_fresh_code(tmp_path):
    url = f"sqlite:///{tmp_path}/old.sqlite"
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    app = create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        command.upgrade(config, "d1certificate")
        db.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user_account (id, opaque_id, email, display_name, password_hash, role,"
                " evaluation_consent, created_at, course_registration, session_token) VALUES (1,"
                " 'a', 'x@example.org', 'X', 'h', 'learner', 0, '2026-01-01 00:00:00', 'r', 's')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO certificate (id, user_id, serial, issued_at)"
                " VALUES (1, 1, 'HDG-2026-ABCDEFGH', '2026-02-01 00:00:00')"
            )
        )
    with app.app_context():
        command.upgrade(config, "head")
        db.engine.dispose()
    with engine.connect() as conn:
        code = conn.execute(text("SELECT verification_code FROM certificate")).scalar_one()
        deleted = conn.execute(text("SELECT deleted_at FROM user_account")).scalar_one()
    engine.dispose()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert "ABCDEFGH" not in code and deleted is None
