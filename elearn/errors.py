"""Plain-English NHS-style error pages."""

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/404.html",
    429: "errors/429.html",
    500: "errors/500.html",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)


def _csrf_error(error: CSRFError):
    return render_template("errors/csrf.html"), 400


def _http_error(error: HTTPException):
    code = error.code or 500
    if code == 500:
        log.error("Internal error", exc_info=getattr(error, "original_exception", error))
    template = PAGES.get(code)
    if template is None:
        return error
    return render_template(template, error=error), code
