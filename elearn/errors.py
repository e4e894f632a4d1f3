"""Plain-English NHS-style error pages that fail safely.

Every request gets a short reference (``g.request_id``). An unexpected error is logged once, with
that reference, and the 500 page shows it so a user can quote it. The error handlers roll the
session back before rendering and never need the database: if the full page cannot be drawn (the
database is gone, say), a plain page with the same reference is returned instead. Security
headers are added to every response, error pages included (``elearn.security``).
"""

import logging
import secrets

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from elearn.extensions import db

log = logging.getLogger(__name__)

PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/404.html",
    413: "errors/413.html",
    429: "errors/429.html",
    500: "errors/500.html",
}

FALLBACK = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, there is a problem with the service</title></head><body><main>"
    "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    "<p>If you contact us about it, quote this reference: {reference}</p></main></body></html>"
)


def init_app(app: Flask) -> None:
    app.before_request(_new_request_id)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)


def _new_request_id() -> None:
    g.request_id = secrets.token_hex(4).upper()


def request_id() -> str:
    """This request's reference, as shown to the user and written in the log."""
    if "request_id" not in g:
        _new_request_id()
    return str(g.request_id)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/csrf.html"), 400


def _http_error(error: HTTPException):
    code = error.code or 500
    template = PAGES.get(code)
    if template is None:
        return error
    if code < 500:
        return render_template(template, error=error), code
    try:
        db.session.rollback()  # a failed transaction must not break the error page too
        return render_template(template, error=error, reference=request_id()), code
    except Exception:  # the page itself needs the database or templates: plain text instead
        log.exception("The error page could not be drawn (request %s)", request_id())
        return FALLBACK.format(reference=escape(request_id())), code
