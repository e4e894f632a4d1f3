"""The admin "Learning records" page: delivery status, recent statements, retry, export."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from elearn import audit
from elearn.audit import AuditAction
from elearn.db import utcnow
from elearn.roles import Role
from elearn.security import public, role_required
from elearn.xapi import outbox, profile
from elearn.xapi.forms import RetryFailedForm
from elearn.xapi.models import FAILED
from elearn.xapi.presenters import count_rows, plural, statement_items, summary_rows

bp = Blueprint("xapi_admin", __name__)
# The profile and extension IRIs our statements use resolve to their meaning (JSON-LD).
profile_bp = Blueprint("xapi_profile", __name__)
JSON_LD = "application/ld+json"

RECENT = 20


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    """Show delivery status and the most recent statements."""
    info = outbox.status()
    return render_template(
        "admin/learning_records.html",
        info=info,
        count_rows=count_rows(info),
        summary_rows=summary_rows(info),
        statements=statement_items(outbox.recent(RECENT)),
        refused=statement_items(outbox.recent(RECENT, state=FAILED)),
        failed_text=plural(info.counts.get("failed", 0), "statement"),
        form=RetryFailedForm(),
    )


@bp.route("/retry-failed", methods=["POST"])
@role_required(Role.ADMIN)
def retry_failed():
    """Queue the statements the LRS refused to be sent again."""
    form = RetryFailedForm()
    if form.validate_on_submit():
        count = outbox.retry_failed()
        if count:
            flash(f"{plural(count, 'refused statement')} will be sent again.", "success")
        else:
            flash("There were no refused statements to send again.", "info")
    return redirect(url_for("xapi_admin.index"))


@bp.route("/export")
@role_required(Role.ADMIN)
def export():
    """Download every statement as JSON Lines."""
    filename = f"learning-records-{utcnow():%Y-%m-%d}.jsonl"
    audit.record_now(AuditAction.EXPORTED, current_user.id, None, filename)
    return Response(
        stream_with_context(outbox.iter_jsonl()),
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@profile_bp.route("/profile/v1")
@public
def profile_document():
    """The learning-records profile: our verbs, activity types and extensions, as JSON-LD."""
    document = profile.document(current_app.config["BASE_URL"])
    return Response(json.dumps(document, indent=2), mimetype=JSON_LD)


@profile_bp.route("/ext/<name>")
@public
def extension(name: str):
    """What one of our extension IRIs means (404 for a name we do not use)."""
    if name not in profile.EXTENSIONS:
        abort(404)
    concept = profile.extension_concept(current_app.config["BASE_URL"], name)
    return Response(json.dumps(concept, indent=2), mimetype=JSON_LD)
