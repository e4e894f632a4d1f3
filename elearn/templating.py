"""Jinja set-up: our templates over the NHS.UK frontend macros, autoescaped everywhere."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from elearn.content import provider
from elearn.forms import error_list


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
        }


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
