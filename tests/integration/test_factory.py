"""The application factory's wiring."""

import os
import subprocess
import sys

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


@pytest.mark.parametrize("env", [None, "production"])
def test_refuses_to_start_without_secret_key_in_production(monkeypatch, capsys, tmp_path, env):
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    if env is None:
        monkeypatch.delenv("ELEARN_ENV", raising=False)  # a new shell: production by default
    else:
        monkeypatch.setenv("ELEARN_ENV", env)
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(SystemExit) as raised:
        create_app()
    assert raised.value.code == 1
    assert "ELEARN_SECRET_KEY is not set" in capsys.readouterr().err


def test_the_commands_app_gets_a_random_key_only_when_none_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    monkeypatch.delenv("ELEARN_ENV", raising=False)
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    first = create_app({"SECRET_KEY_REQUIRED": False}).config["SECRET_KEY"]
    second = create_app({"SECRET_KEY_REQUIRED": False}).config["SECRET_KEY"]
    assert len(first) == 64 and first != second
    monkeypatch.setenv("ELEARN_SECRET_KEY", "from-env")
    assert create_app({"SECRET_KEY_REQUIRED": False}).config["SECRET_KEY"] == "from-env"


def test_gunicorn_refuses_to_start_without_secret_key(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
    }
    # --preload builds the app in gunicorn's master, which then exits; without it each worker
    # refuses in turn and the master keeps starting new ones.
    command = [sys.executable, "-m", "gunicorn", "--preload", "--bind", "127.0.0.1:0"]
    result = subprocess.run(
        [*command, "elearn:create_app()"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ELEARN_SECRET_KEY is not set" in result.stderr


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


@pytest.mark.parametrize(
    "base_url, shown",
    [
        (None, "ELEARN_BASE_URL is not set"),
        ("http://127.0.0.1:5000", "ELEARN_BASE_URL is 'http://127.0.0.1:5000'"),
        ("https://", "ELEARN_BASE_URL is 'https:'"),
        ("guides.example.org", "ELEARN_BASE_URL is 'guides.example.org'"),
    ],
)
def test_refuses_to_start_without_an_https_base_url_outside_development(
    monkeypatch, capsys, tmp_path, base_url, shown
):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("ELEARN_SECRET_KEY", "from-env")
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.delenv("ELEARN_BASE_URL", raising=False)
    if base_url is not None:
        monkeypatch.setenv("ELEARN_BASE_URL", base_url)
    with pytest.raises(SystemExit) as raised:
        create_app()
    assert raised.value.code == 1
    error = capsys.readouterr().err
    assert shown in error
    assert "must be the service's permanent https:// address" in error


def test_an_https_base_url_starts_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("ELEARN_SECRET_KEY", "from-env")
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.setenv("ELEARN_BASE_URL", "https://guides.example.org/")
    assert create_app().config["BASE_URL"] == "https://guides.example.org"


def test_development_takes_the_base_url_from_the_served_address(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_ENV", "development")
    monkeypatch.delenv("ELEARN_BASE_URL", raising=False)
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app()
    client = app.test_client()
    client.get("/cookies", base_url="http://127.0.0.1:8123")
    assert app.config["BASE_URL"] == "http://127.0.0.1:8123"
    client.get("/cookies", base_url="http://localhost:9999")  # fixed by the first request
    assert app.config["BASE_URL"] == "http://127.0.0.1:8123"


def test_gunicorn_refuses_to_start_without_an_https_base_url(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
        "ELEARN_SECRET_KEY": "from-env",
        "ELEARN_BASE_URL": "http://127.0.0.1:5000",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),  # a worktree's code, when testing one
    }
    command = [sys.executable, "-m", "gunicorn", "--preload", "--bind", "127.0.0.1:0"]
    result = subprocess.run(
        [*command, "elearn:create_app()"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "must be the service's permanent https:// address" in result.stderr
