"""Jinja set-up: our templates over the NHS.UK frontend macros, autoescaped everywhere."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from elearn.content import provider
from elearn.forms import error_list
from elearn.roles import STAFF, Role


def init_app(app: Flask) -> None:
    if app.template_folder is None:
        raise RuntimeError("the app needs a template folder (create_app sets one)")
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(app.template_folder), PackageLoader("nhsuk_frontend_jinja")]
    )
    # The NHS macros are .jinja files, which Flask does not autoescape by default.
    app.jinja_env.autoescape = True
    # The macros test optional params with attribute chains (params.hint.text).
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["form_errors"] = error_list
    app.jinja_env.globals["is_preview"] = provider.is_preview
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def service_globals():
        return {
            "service_name": current_app.config["SERVICE_NAME"],
            "contact_email": current_app.config["CONTACT_EMAIL"],
            "nav_items": staff_areas(),
        }


def staff_areas() -> list[dict]:
    """The header's links for staff: the areas their role may use (Course, Review, Admin), the
    one they are in marked current. Learners have one area, so no links."""
    if not current_user.is_authenticated or current_user.role not in STAFF:
        return []
    areas = [("Course", "learn.dashboard", "/learn"), ("Review", "review.overview", "/review")]
    if current_user.role == Role.ADMIN:
        areas.append(("Admin", "admin.index", "/admin"))
    return [
        {"text": text, "href": url_for(endpoint), "current": request.path.startswith(prefix)}
        for text, endpoint, prefix in areas
    ]


@cache
def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except FileNotFoundError:
        return "missing"


def static_url(filename: str) -> str:
    """A static URL with a content hash, so files can be cached for a year."""
    if current_app.static_folder is None:
        raise RuntimeError("static_url needs the app's static folder, and it has none")
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_file_hash(str(path)))
