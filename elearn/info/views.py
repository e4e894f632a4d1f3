"""The start page, the service's information pages and the health check."""

from flask import Blueprint, redirect, render_template
from flask_login import current_user
from sqlalchemy import text

from elearn.auth.presenters import landing_url
from elearn.content import provider
from elearn.content.store import NoContent
from elearn.extensions import db
from elearn.security import public
from elearn.xapi import outbox

bp = Blueprint("info", __name__)


@bp.route("/")
@public
def start():
    """The start page: what the course is and how to begin."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    try:
        minutes = [m.estimated_minutes for m in provider.course().modules]
    except NoContent:
        minutes = []
    return render_template("info/start.html", minutes=minutes)


@bp.route("/accessibility-statement")
@public
def accessibility():
    """How accessible the service is and how to report a problem."""
    return render_template("info/accessibility.html")


@bp.route("/privacy-notice")
@public
def privacy():
    """What personal data we hold, why, and people's rights."""
    return render_template("info/privacy.html")


@bp.route("/cookies")
@public
def cookies():
    """The cookies the service sets."""
    return render_template("info/cookies.html")


@bp.route("/healthz")
@public
def healthz():
    """200 when the app can reach its database, 503 when it cannot; with the learning records
    waiting to be sent (how many, the oldest's age in seconds) and whether the LRS takes them.
    A backlog does not make the app unhealthy: pages work without the LRS."""
    try:
        db.session.execute(text("SELECT 1"))
        records = outbox.delivery_health()
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok", "learning_records": records}, 200
