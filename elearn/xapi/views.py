"""The admin "Learning records" page: delivery status, recent statements, retry, export."""

from flask import (
    Blueprint,
    Response,
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
from elearn.security import role_required
from elearn.xapi import outbox
from elearn.xapi.forms import RetryFailedForm
from elearn.xapi.models import FAILED
from elearn.xapi.presenters import count_rows, plural, statement_items, summary_rows

bp = Blueprint("xapi_admin", __name__)

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
