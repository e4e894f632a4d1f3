"""Security headers on every response, and the role check for routes."""

import secrets
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from elearn.roles import ROLES, Role


def init_app(app: Flask) -> None:
    app.before_request(_make_nonce)
    app.after_request(_set_headers)
    app.jinja_env.globals["csp_nonce"] = lambda: g.get("csp_nonce", "")


def _make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _set_headers(response):
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure or current_app.config["BASE_URL"].startswith("https://"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def role_required(*roles: Role, before_second_factor: bool = False) -> Callable:
    """Allow only signed-in users with one of these roles: anonymous → sign in, others → 403.

    Someone who must also give a two-factor code and has not yet is sent to do that first,
    except on the pages that let them (``before_second_factor``)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {unknown}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            if getattr(current_user, "needs_second_factor", False) and not before_second_factor:
                after = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("auth.two_factor", next=after))
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone (the access-matrix test checks every view is marked)."""
    view.allowed_roles = ("anonymous", *ROLES)
    return view
