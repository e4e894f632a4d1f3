"""The admin area: accounts, cohorts and invite codes, the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from elearn import audit
from elearn.admin.forms import (
    AccountSearchForm,
    ActionForm,
    AuditFilterForm,
    CohortForm,
    InviteForm,
    RoleForm,
)
from elearn.admin.presenters import (
    account_rows,
    account_status,
    audit_rows,
    invite_rows,
    last_sign_in,
    reset_status,
)
from elearn.auth import service as accounts
from elearn.auth.presenters import community_role_label, reset_link, role_label
from elearn.auth.service import ServiceError
from elearn.content import provider
from elearn.content.store import NoContent
from elearn.db import utcnow
from elearn.roles import Role
from elearn.security import role_required

# Deleting an account: issue 12 (privacy) adds the one deletion path, shared with a learner's own
# deletion. An admin route belongs here and should call that service (which records
# AuditAction.DELETED); do not add a second way to delete.

# Ids in routes: 1 to the largest integer both databases store (else 404, never a 500).
ID = "id"  # elearn.params.IdConverter: 1 to the largest stored id

bp = Blueprint("admin", __name__)


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    """The admin home page."""
    return render_template("admin/index.html")


def _invite_form() -> InviteForm:
    form = InviteForm(prefix="invite")
    form.cohort.choices = [(cohort.id, cohort.name) for cohort in accounts.list_cohorts()]
    return form


def _cohorts_page(form: CohortForm, invite_form: InviteForm):
    rows = invite_rows(accounts.list_invites(), utcnow())
    status = 400 if form.errors or invite_form.errors else 200
    return render_template(
        "admin/cohorts.html",
        form=form,
        invite_form=invite_form,
        invites=rows,
        revoke_form=ActionForm(),
    ), status


@bp.route("/cohorts", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def cohorts():
    """List cohorts and their invite codes; create a cohort with a code."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            invite = accounts.create_cohort_with_invite(
                form.name.data,
                max_uses=form.max_uses.data,
                days_valid=form.days_valid.data,
                actor_id=current_user.id,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
        except ServiceError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(f"Cohort created. Its invite code is {invite.code}.", "success")
            return redirect(url_for("admin.cohorts"))
    return _cohorts_page(form, _invite_form())


@bp.route("/invites", methods=["POST"])
@role_required(Role.ADMIN)
def create_invite():
    """Another invite code for an existing cohort."""
    form = _invite_form()
    if form.validate_on_submit():
        try:
            invite = accounts.create_invite(
                current_user._get_current_object(),
                form.cohort.data,
                form.max_uses.data,
                form.days_valid.data,
            )
        except ServiceError as error:
            form.cohort.errors = [error.message]
        else:
            flash(f"Invite code {invite.code} created.", "success")
            return redirect(url_for("admin.cohorts"))
    return _cohorts_page(CohortForm(formdata=None), form)


@bp.route(f"/invites/<{ID}:invite_id>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_invite(invite_id: int):
    """Stop an invite code working."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invite = accounts.revoke_invite(current_user._get_current_object(), invite_id)
    except ServiceError:
        abort(404)
    flash(f"Invite code {invite.code} no longer works.", "success")
    return redirect(url_for("admin.cohorts"))


@bp.route("/accounts")
@role_required(Role.ADMIN)
def accounts_list():
    """Find accounts by name or email; see each one's cohort, last sign-in and progress."""
    form = AccountSearchForm(request.args)
    found = accounts.list_accounts(form.q.data or "", form.role.data or "")
    modules_total = None  # nothing published yet: progress is counted without a total
    try:
        modules_total = len(provider.course().modules)
    except NoContent:
        pass
    return render_template(
        "admin/accounts.html",
        form=form,
        rows=account_rows(found, modules_total),
        searched=bool(form.q.data or form.role.data),
    )


def _account_page(user_id: int, role_form: RoleForm | None = None, link: str | None = None):
    user = accounts.get_account(user_id)
    if user is None:
        abort(404)
    return render_template(
        "admin/account.html",
        user=user,
        role_form=role_form or RoleForm(role=user.role),
        action_form=ActionForm(),
        reset_link=link,
        role_label=role_label(user.role),
        community_role=community_role_label(user.community_role),
        status=account_status(user),
        last_sign_in=last_sign_in(user),
        reset=reset_status(accounts.latest_reset(user.id)),
        sessions=len(accounts.open_sessions(user)),
    ), (400 if role_form and role_form.errors else 200)


@bp.route(f"/accounts/<{ID}:user_id>")
@role_required(Role.ADMIN)
def account(user_id: int):
    """One account: details and what an admin can do to it."""
    return _account_page(user_id)


def _act(user_id: int, action, done: str):
    """Run one account action from a button; a refusal comes back as a message."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if accounts.get_account(user_id) is None:
        abort(404)
    try:
        action(current_user._get_current_object(), user_id)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.route(f"/accounts/<{ID}:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    """Change an account's type (learner, reviewer, admin)."""
    if accounts.get_account(user_id) is None:
        abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.change_role(current_user._get_current_object(), user_id, form.role.data)
        except ServiceError as error:
            form.role.errors = [error.message]
        else:
            flash("Account type changed. They need to sign in again.", "success")
            return redirect(url_for("admin.account", user_id=user_id))
    return _account_page(user_id, role_form=form)


@bp.route(f"/accounts/<{ID}:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    """Turn an account off: it cannot sign in."""
    return _act(user_id, accounts.deactivate, "Account turned off. They have been signed out.")


@bp.route(f"/accounts/<{ID}:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def reactivate(user_id: int):
    """Turn an account back on."""
    return _act(user_id, accounts.reactivate, "Account turned back on.")


@bp.route(f"/accounts/<{ID}:user_id>/end-sessions", methods=["POST"])
@role_required(Role.ADMIN)
def end_sessions(user_id: int):
    """Sign an account out everywhere."""
    return _act(user_id, accounts.end_all_sessions, "They have been signed out everywhere.")


@bp.route(f"/accounts/<{ID}:user_id>/reset-two-factor", methods=["POST"])
@role_required(Role.ADMIN)
def reset_two_factor(user_id: int):
    """Turn off someone's two-factor sign-in when they have lost their phone and codes."""
    return _act(
        user_id,
        accounts.reset_two_factor,
        "Two-factor sign-in reset. They set it up again when they next sign in.",
    )


@bp.route(f"/accounts/<{ID}:user_id>/reset-link", methods=["POST"])
@role_required(Role.ADMIN)
def make_reset_link(user_id: int):
    """Make a one-time password reset link to give to the person (shown once, not emailed)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if accounts.get_account(user_id) is None:
        abort(404)
    token = accounts.issue_reset_link(current_user._get_current_object(), user_id)
    return _account_page(user_id, link=reset_link(token))


@bp.route("/audit-log")
@role_required(Role.ADMIN)
def audit_log():
    """Who did what, when and from where: newest first, filtered by action or person."""
    form = AuditFilterForm(request.args)
    person_id = None
    unknown_person = False
    if form.person.data:
        person = accounts.find_user_by_email(form.person.data)
        person_id = person.id if person else -1
        unknown_person = person is None
    entries = audit.entries(form.action.data or "", person_id)
    ids = {i for entry in entries for i in (entry.actor_id, entry.subject_id) if i is not None}
    return render_template(
        "admin/audit_log.html",
        form=form,
        rows=audit_rows(entries, accounts.emails_for(ids)),
        unknown_person=unknown_person,
    )
