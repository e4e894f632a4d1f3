"""Health Data Guides: the application factory."""

import os
import secrets
import sys
import traceback
from pathlib import Path
from types import TracebackType

from flask import Flask, request
from sqlalchemy.exc import DBAPIError

from elearn import cli, errors, events, security, templating, unit_of_work
from elearn.admin.views import bp as admin_bp
from elearn.auth import throttle
from elearn.auth.service import load_user
from elearn.auth.views import bp as auth_bp
from elearn.config import DEVELOPMENT_BASE_URL, ROOT, Defaults, base_url_problem
from elearn.content.links import LEARN_PREFIX
from elearn.editor.views import bp as editor_bp
from elearn.extensions import compress, csrf, db, limiter, login_manager, migrate
from elearn.feedback.views import bp as feedback_bp
from elearn.info.views import bp as info_bp
from elearn.learn.views import bp as learn_bp
from elearn.params import IdConverter
from elearn.privacy.views import bp as privacy_bp
from elearn.quiz.views import bp as quiz_bp
from elearn.records.translator import record_statements, withdraw_typed_text
from elearn.review.views import bp as review_bp
from elearn.xapi.views import bp as xapi_admin_bp
from elearn.xapi.views import profile_bp as xapi_profile_bp

DEV_ENVS = {"development", "testing"}


class Elearn(Flask):
    """Flask, logging each unexpected error once with the request's reference."""

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        error, trace = exc_info[1], exc_info[2]
        where = (request.path, request.method, errors.request_id())
        if isinstance(error, DBAPIError) and trace is not None:
            # The database's own message can quote a row's values (PostgreSQL's DETAIL line names
            # the email that clashed): log where it happened and the constraint, not the values.
            self.logger.error(
                "Exception on %s [%s] (request %s)\nTraceback (most recent call last):\n%s%s: %s",
                *where,
                "".join(traceback.format_tb(trace)),
                type(error).__name__,
                database_message(error),
            )
            return
        self.logger.error("Exception on %s [%s] (request %s)", *where, exc_info=exc_info)


def database_message(error: DBAPIError) -> str:
    """The database's message without its detail (which may hold learner data)."""
    diagnosis = getattr(error.orig, "diag", None)
    primary = getattr(diagnosis, "message_primary", None)
    return str(primary) if primary else str(error.orig).splitlines()[0]


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config, extensions, events and the unit of work, templating, security,
    errors, blueprints, CLI."""
    app = Elearn(
        "elearn",
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    _configure(app, config)
    _derive_base_url_in_development(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    throttle.init_app(app)
    compress.init_app(app)
    _configure_sign_in(app)
    events.init_app(app, handlers=[record_statements, withdraw_typed_text])
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.url_map.converters["id"] = IdConverter
    _register_blueprints(app)
    unit_of_work.init_app(app)
    cli.init_app(app)
    return app


def _configure(app: Flask, config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("ELEARN")
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or (
            "sqlite:///" + os.path.join(app.instance_path, "elearn.sqlite")
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        if app.config.get("ENV") in DEV_ENVS:
            app.config["SECRET_KEY"] = "development-only-not-secret"
        elif not app.config["SECRET_KEY_REQUIRED"]:
            # The `elearn` command signs no cookies or tokens: a random key for this process.
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            sys.stderr.write(
                "ELEARN_SECRET_KEY is not set. Make one with:\n"
                '  python -c "import secrets; print(secrets.token_hex(32))"\n'
                "and set it in the environment or in instance/config.py.\n"
            )
            raise SystemExit(1)
    base_url = (app.config.get("BASE_URL") or "").strip().rstrip("/")
    if not base_url and app.config.get("ENV") in DEV_ENVS:
        base_url = DEVELOPMENT_BASE_URL
        app.config["BASE_URL_FROM_REQUEST"] = app.config.get("ENV") == "development"
    elif app.config.get("ENV") not in DEV_ENVS and app.config["SECRET_KEY_REQUIRED"]:
        # The web app (the `elearn` command's app has SECRET_KEY_REQUIRED off; its worker checks
        # for itself): identity is fixed before the first statement is made.
        if problem := base_url_problem(base_url):
            sys.stderr.write(problem + "\n")
            raise SystemExit(1)
    app.config["BASE_URL"] = base_url
    if base_url.startswith("https://"):
        # __Host-: the browser sends it only over https, to this host, for every path.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config.setdefault("PREFERRED_URL_SCHEME", "https")
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # One Redis for every count: the registration and certificate-check limits too.
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"key_prefix": app.config["REDIS_KEY_PREFIX"] + "limits"}
        )


def _derive_base_url_in_development(app: Flask) -> None:
    """In development with no ELEARN_BASE_URL, the first request fixes it to the address the app
    is served on (so records say the port actually served), before any statement is made."""
    if not app.config.get("BASE_URL_FROM_REQUEST"):
        return

    @app.before_request
    def _fix_base_url_from_the_served_address() -> None:
        if app.config.get("BASE_URL_FROM_REQUEST"):
            app.config["BASE_URL"] = request.host_url.rstrip("/")
            app.config["BASE_URL_FROM_REQUEST"] = False
            app.logger.info("Development: BASE_URL is %s (the served address)", request.host_url)


def _configure_sign_in(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(info_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp, url_prefix=LEARN_PREFIX)
    app.register_blueprint(quiz_bp, url_prefix=LEARN_PREFIX)
    app.register_blueprint(feedback_bp, url_prefix=LEARN_PREFIX)
    app.register_blueprint(review_bp, url_prefix="/review")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(editor_bp, url_prefix="/admin/content")
    app.register_blueprint(privacy_bp)
    app.register_blueprint(xapi_admin_bp, url_prefix="/admin/learning-records")
    app.register_blueprint(xapi_profile_bp, url_prefix="/xapi")
