"""Sign in and out, registration by invite, the account page."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from elearn.auth import service
from elearn.auth.forms import (
    ChangePasswordForm,
    ConsentForm,
    EndSessionForm,
    ForgotPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
)
from elearn.auth.models import User
from elearn.auth.presenters import (
    LANDING_ENDPOINTS,
    community_role_label,
    landing_url,
    reset_link,
    role_label,
    session_rows,
)
from elearn.auth.service import Registration, ServiceError
from elearn.extensions import limiter
from elearn.journey import progression
from elearn.learn.presenters import survey_url
from elearn.roles import ROLES, Role
from elearn.security import public, role_required

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the sign-in page cannot send people elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _account_key() -> str:
    return "account:" + service.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    return response.status_code != 302


def _sign_in(user: User) -> None:
    """Open a server-side session and a fresh form token for someone who proved who they are."""
    session.clear()  # no form token or other value carries over from before sign-in
    service.start_session(user, request.remote_addr, request.user_agent.string)
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed,
    scope="sign-in-address",
)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="sign-in-account",
)
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is not None and not user.is_active:
            service.record_refused_sign_in(user)
            form.email.errors.append(
                "This account has been turned off. Contact the course team if you need it back"
            )
        elif user is not None:
            _sign_in(user)
            landing = url_for(LANDING_ENDPOINTS[progression.signed_in(user)])
            return redirect(_safe_next(request.args.get("next")) or landing)
        else:
            service.record_failed_sign_in(form.email.data)
            form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form), 200 if not form.errors else 400


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"], deduct_when=_failed, scope="register")
def register():
    """Create a learner account with an invite code."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = RegisterForm(invite_code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            user = service.register_learner(
                Registration(
                    invite_code=form.invite_code.data,
                    email=form.email.data,
                    display_name=form.display_name.data,
                    password=form.password.data,
                    community_role=form.community_role.data,
                    organisation=form.organisation.data,
                    evaluation_consent=form.evaluation_consent.data == "yes",
                )
            )
        except ServiceError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            _sign_in(user)
            survey = progression.joined(user)
            flash("Your account has been created. Welcome to Health Data Guides.", "success")
            return redirect(survey_url(survey) if survey else landing_url(user))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 400


@bp.route("/sign-out", methods=["GET", "POST"])
@role_required(*ROLES)
def sign_out():
    """Confirm, then sign out."""
    form = SignOutForm()
    if form.validate_on_submit():
        service.end_session(current_user._get_current_object())
        logout_user()
        session.clear()  # a new form token after sign-out too
        flash("You have signed out.", "success")
        return redirect(url_for("info.start"))
    return render_template("auth/sign_out.html", form=form)


@bp.route("/account")
@role_required(*ROLES)
def account():
    """The signed-in user's account details and where they are signed in."""
    user = current_user._get_current_object()
    rows = session_rows(user, service.open_sessions(user))
    return render_template("auth/account.html", session_rows=rows, end_form=EndSessionForm())


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@role_required(*ROLES)
def end_session(session_id: int):
    """Sign out one of the user's other sessions."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        abort(400)
    if service.end_session(current_user._get_current_object(), session_id):
        flash("That session has been signed out.", "success")
    else:
        flash("That session had already ended.", "info")
    return redirect(url_for("auth.account"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["RESET_REQUEST_LIMIT"], methods=["POST"], scope="reset-request"
)
def forgot_password():
    """Ask for a password reset link by email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data, reset_link)
        return redirect(url_for("auth.reset_link_sent"))
    return render_template("auth/forgot_password.html", form=form), 200 if not form.errors else 400


@bp.route("/forgot-password/sent")
@public
def reset_link_sent():
    """The same answer whether or not the address has an account."""
    return render_template("auth/reset_link_sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password with a one-time link."""
    if service.usable_reset(token) is None:
        return render_template("auth/reset_link_unusable.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token, form.new_password.data or "")
        except ServiceError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form), 200 if not form.errors else 400


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(*ROLES)
def change_password():
    """Change the signed-in user's password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(
                current_user._get_current_object(),
                form.current_password.data,
                form.new_password.data,
            )
        except ServiceError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("Your password has been changed.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), 200 if not form.errors else 400


@bp.route("/account/evaluation-consent", methods=["GET", "POST"])
@role_required(Role.LEARNER)
def evaluation_consent():
    """Change whether the pilot evaluation may use this learner's feedback and results."""
    form = ConsentForm(evaluation_consent="yes" if current_user.evaluation_consent else "no")
    if form.validate_on_submit():
        service.set_evaluation_consent(
            current_user._get_current_object(), form.evaluation_consent.data == "yes"
        )
        flash("Your choice has been saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/consent.html", form=form), 200 if not form.errors else 400


@bp.app_context_processor
def account_presenters():
    return {"role_label": role_label, "community_role_label": community_role_label}
