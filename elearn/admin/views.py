"""The admin area: cohorts and invite codes (more admin tools join as features land)."""

from flask import Blueprint, flash, redirect, render_template, url_for

from elearn.admin.forms import CohortForm
from elearn.admin.presenters import invite_rows
from elearn.auth import service as accounts
from elearn.auth.service import ServiceError
from elearn.roles import Role
from elearn.security import role_required

bp = Blueprint("admin", __name__)


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    """The admin home page."""
    return render_template("admin/index.html")


@bp.route("/cohorts", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def cohorts():
    """List cohorts and their invite codes; create a cohort with a code."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            invite = accounts.create_cohort_with_invite(
                form.name.data, max_uses=form.max_uses.data, days_valid=form.days_valid.data
            )
        except ServiceError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(f"Cohort created. Its invite code is {invite.code}.", "success")
            return redirect(url_for("admin.cohorts"))
    rows = invite_rows(accounts.list_invites())
    return render_template("admin/cohorts.html", form=form, invite_rows=rows), (
        400 if form.errors else 200
    )
