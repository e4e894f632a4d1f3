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

from elearn.auth import service, throttle
from elearn.auth.forms import (
    ChangePasswordForm,
    ConsentForm,
    EndSessionForm,
    ForgotPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SetUpTwoFactorForm,
    SignInForm,
    SignOutForm,
    TwoFactorForm,
)
from elearn.auth.models import User
from elearn.auth.presenters import (
    LANDING_ENDPOINTS,
    community_role_label,
    group_secret,
    landing_url,
    qr_code_svg,
    reset_link,
    role_label,
    session_rows,
)
from elearn.auth.service import Registration, ServiceError
from elearn.auth.throttle import Throttled
from elearn.extensions import limiter
from elearn.journey import progression
from elearn.learn.presenters import survey_url
from elearn.roles import ROLES, Role
from elearn.security import public, role_required

bp = Blueprint("auth", __name__)
NEXT_MAX = 2000  # characters of a ?next= path


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the sign-in page cannot send people elsewhere (and nothing that
    could not go into a Location header: no control characters, no backslashes)."""
    if not target or len(target) > NEXT_MAX or not target.isprintable() or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _account_key(email: str) -> str:
    """A wrong password, a wrong two-factor code and a wrong current password all count here."""
    return "sign-in:account:" + service.normalise_email(email)


def _address_key() -> str:
    return f"sign-in:address:{request.remote_addr}"


def _sign_in_limits(email: str) -> list[tuple[str, str]]:
    config = current_app.config
    return [
        (_account_key(email), config["SIGN_IN_LIMIT_PER_ACCOUNT"]),
        (_address_key(), config["SIGN_IN_LIMIT_PER_ADDRESS"]),
    ]


def _too_many(limits: list[tuple[str, str]]):
    """A 429 page saying how long to wait, if any of these limits is used up; else None."""
    try:
        for key, limit in limits:
            throttle.check(key, limit)
    except Throttled as throttled:
        minutes = max(1, -(-throttled.retry_after // 60))
        response = render_template("errors/429.html", minutes=minutes), 429
        return response
    return None


def _failed(response) -> bool:
    return response.status_code != 302


def _sign_in(user: User) -> None:
    """Open a server-side session and a fresh form token for someone who proved who they are."""
    session.clear()  # no form token or other value carries over from before sign-in
    service.start_session(user, request.remote_addr, request.user_agent.string)
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        refused = _too_many(_sign_in_limits(email))
        if refused:
            service.record_lock_out(email)
            return refused
        user = service.authenticate(email, form.password.data)
        if user is not None and not user.is_active:
            service.record_refused_sign_in(user)
            form.email.errors.append(
                "This account has been turned off. Contact the course team if you need it back"
            )
        elif user is not None:
            _sign_in(user)
            if user.needs_second_factor:
                return redirect(
                    url_for("auth.two_factor", next=_safe_next(request.args.get("next")))
                )
            landing = url_for(LANDING_ENDPOINTS[progression.signed_in(user)])
            return redirect(_safe_next(request.args.get("next")) or landing)
        else:
            throttle.count(*(key for key, _ in _sign_in_limits(email)))
            service.record_failed_sign_in(email)
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


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@role_required(*ROLES, before_second_factor=True)
def two_factor():
    """The second step of signing in: a code from the authenticator app."""
    user = current_user._get_current_object()
    after = _safe_next(request.args.get("next"))
    if not user.needs_second_factor:
        return redirect(after or landing_url(user))
    if not user.two_factor_enabled:
        return redirect(url_for("auth.set_up_two_factor", next=after))
    form = TwoFactorForm()
    if form.validate_on_submit():
        limits = _sign_in_limits(user.email)
        refused = _too_many(limits)
        if refused:
            service.record_lock_out(user.email)
            return refused
        if service.check_second_factor(user, form.code.data or ""):
            session.pop("csrf_token", None)
            landing = url_for(LANDING_ENDPOINTS[progression.signed_in(user)])
            return redirect(after or landing)
        throttle.count(*(key for key, _ in limits))
        form.code.errors.append("Enter a correct code from your authenticator app")
    return render_template("auth/two_factor.html", form=form), 200 if not form.errors else 400


@bp.route("/account/two-factor", methods=["GET", "POST"])
@role_required(*ROLES, before_second_factor=True)
def set_up_two_factor():
    """Turn on two-factor sign-in with an authenticator app (required for staff)."""
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        return render_template(
            "auth/two_factor_on.html", codes_left=service.recovery_codes_left(user)
        )
    secret = service.start_two_factor_setup(user)
    form = SetUpTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = service.confirm_two_factor(user, form.code.data or "")
        except ServiceError as error:
            form.code.errors.append(error.message)
        else:
            session.pop("csrf_token", None)
            after = _safe_next(request.args.get("next")) or landing_url(user)
            return render_template("auth/recovery_codes.html", codes=codes, after=after)
    return render_template(
        "auth/set_up_two_factor.html",
        form=form,
        qr_code=qr_code_svg(service.provisioning_uri(user)),
        secret=group_secret(secret),
        required=service.second_factor_due(user),
    ), 200 if not form.errors else 400


@bp.route("/sign-out", methods=["GET", "POST"])
@role_required(*ROLES, before_second_factor=True)
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


# Ids in routes: 1 to the largest integer both databases store (else 404, never a 500).
ID = "id"  # elearn.params.IdConverter: 1 to the largest stored id


@bp.route(f"/account/sessions/<{ID}:session_id>/end", methods=["POST"])
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
def forgot_password():
    """Ask for a password reset link by email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = service.normalise_email(form.email.data or "")
        limit = current_app.config["RESET_REQUEST_LIMIT"]
        keys = [f"reset:address:{request.remote_addr}", f"reset:account:{email}"]
        refused = _too_many([(key, limit) for key in keys])
        if refused:
            return refused
        throttle.count(*keys)
        service.request_password_reset(email, reset_link)
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
        limits = _sign_in_limits(current_user.email)
        refused = _too_many(limits)
        if refused:
            return refused
        try:
            service.change_password(
                current_user._get_current_object(),
                form.current_password.data,
                form.new_password.data,
            )
        except ServiceError as error:
            if error.field == "current_password":
                throttle.count(*(key for key, _ in limits))
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
