"""The application factory's wiring."""

import pytest

from elearn import create_app


def test_extensions_and_blueprints_are_wired(app):
    assert {"sqlalchemy", "migrate", "csrf", "limiter"} <= set(app.extensions)
    assert {"info", "auth", "admin"} <= set(app.blueprints)
    assert app.login_manager.login_view == "auth.sign_in"


def test_test_config_overrides_defaults(app):
    assert app.testing
    assert app.config["BASE_URL"] == "https://guides.example.org"
    assert app.config["SESSION_COOKIE_SECURE"] is True  # https base URL
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_settings_come_from_elearn_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_SECRET_KEY", "from-env")
    monkeypatch.setenv("ELEARN_BASE_URL", "https://env.example.org/")
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["BASE_URL"] == "https://env.example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite"


def test_refuses_to_start_without_secret_key_in_production(monkeypatch, capsys):
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    monkeypatch.setenv("ELEARN_ENV", "production")
    with pytest.raises(SystemExit) as raised:
        create_app()
    assert raised.value.code == 1
    assert "ELEARN_SECRET_KEY is not set" in capsys.readouterr().err


def test_development_runs_without_secret_key(monkeypatch):
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    monkeypatch.setenv("ELEARN_ENV", "development")
    assert create_app().config["SECRET_KEY"]


def test_nhs_macros_are_autoescaped(app):
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}'
            '{{ insetText({"text": "<script>alert(1)</script>"}) }}'
        )
        html = template.render()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_jinja_files_from_the_package_are_autoescaped(app):
    template = app.jinja_env.get_template("nhsuk/components/hint/macro.jinja")
    assert "&lt;b&gt;" in str(template.module.hint({"text": "<b>"}))
