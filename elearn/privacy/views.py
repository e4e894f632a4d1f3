"""Your data, deleting an account, and the public check of a certificate's code."""

import json
import logging

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user

from elearn.content import provider
from elearn.content.store import NoContent
from elearn.extensions import limiter
from elearn.journey import certificates
from elearn.privacy import presenters, service
from elearn.privacy.forms import AdminDeleteForm, DeleteAccountForm
from elearn.privacy.service import DeletionError
from elearn.roles import ROLES, Role
from elearn.security import public, role_required

bp = Blueprint("privacy", __name__)
logger = logging.getLogger("elearn.privacy")


def _not_genuine(response) -> bool:
    return response.status_code != 200


@bp.route("/account/your-data")
@role_required(*ROLES)
def your_data():
    """Everything we hold about the signed-in person, as a readable page."""
    data = service.your_data(current_user._get_current_object())
    try:
        course = provider.course()
    except NoContent:
        course = None
    retention = current_app.config["OUTBOX_SENT_RETENTION_DAYS"]
    return render_template(
        "privacy/your_data.html", sections=presenters.sections(data, course, retention)
    )


@bp.route("/account/your-data.json")
@role_required(*ROLES)
def download_your_data():
    """Everything we hold about the signed-in person, as a JSON file to download."""
    data = service.your_data(current_user._get_current_object())
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return current_app.response_class(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="your-health-data-guides-data.json"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@role_required(Role.LEARNER)
def delete_account():
    """Explain what deleting the account does; delete it once the password is entered again."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            service.delete_own_account(current_user._get_current_object(), form.password.data)
        except DeletionError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            logout_user()
            flash("Your account has been deleted.", "success")
            return redirect(url_for("info.start"))
    return render_template("privacy/delete_account.html", form=form), 400 if form.errors else 200


@bp.route("/admin/delete-account", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_delete_account():
    """An admin carries out a learner's request to delete their account."""
    form = AdminDeleteForm()
    if form.validate_on_submit():
        try:
            learner = service.find_learner(form.email.data)
            service.delete_account(learner, deleted_by=current_user.id)
        except DeletionError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            # Who carried out which deletion, by account number only (no personal details).
            logger.info("account %s deleted on request by admin %s", learner.id, current_user.id)
            flash(f"The account for {form.email.data} has been deleted.", "success")
            return redirect(url_for("privacy.admin_delete_account"))
    return render_template("privacy/admin_delete.html", form=form), 400 if form.errors else 200


@bp.route("/certificates/<path:code>")  # any text, slashes too: "not valid", not an error
@public
@limiter.limit(
    lambda: current_app.config["CERTIFICATE_CHECK_LIMIT"],
    deduct_when=_not_genuine,
    scope="certificate-check",
)
def verify_certificate(code: str):
    """Confirm a certificate is genuine (name and date only), or say plainly it is not."""
    verified = certificates.verify(code)
    if verified is None:
        return render_template("privacy/certificate_not_valid.html"), 404
    return render_template(
        "privacy/certificate_valid.html",
        name=verified.name,
        issued=presenters.long_date(verified.issued_at),
    )
