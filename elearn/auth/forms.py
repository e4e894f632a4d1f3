"""Sign-in, registration and account forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from elearn.auth.models import COMMUNITY_ROLES
from elearn.forms import (
    NhsEmailInput,
    NhsInput,
    NhsPasswordInput,
    NhsRadios,
    NhsSubmit,
    choices,
)

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


CONSENT_CHOICES = [
    ("yes", "Yes, you can use my feedback and results in the pilot evaluation"),
    ("no", "No, do not use my feedback and results in the pilot evaluation"),
]


# Choosing a new password, the same when changing it and when resetting it. Called in each form's
# body, so the fields keep their place in the form (WTForms orders fields by creation).
def _new_password_field() -> PasswordField:
    return PasswordField(
        "New password",
        widget=NhsPasswordInput(),
        description="Use 12 characters or more. Three random words together work well",
        validators=[DataRequired("Enter a new password")],
    )


def _confirm_password_field() -> PasswordField:
    return PasswordField(
        "Confirm new password",
        widget=NhsPasswordInput(),
        validators=[
            DataRequired("Confirm your new password"),
            EqualTo("new_password", "Passwords do not match"),
        ],
    )


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=NhsEmailInput(),
        filters=[strip],
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT)],
    )
    password = PasswordField(
        "Password",
        widget=NhsPasswordInput(),
        validators=[DataRequired("Enter your password")],
    )
    submit = SubmitField("Sign in", widget=NhsSubmit())


class RegisterForm(FlaskForm):
    invite_code = StringField(
        "Invite code",
        widget=NhsInput(),
        description="You will find this in the email or letter that invited you, like HDG-AB12CD34",
        validators=[DataRequired("Enter your invite code")],
    )
    email = StringField(
        "Email address",
        widget=NhsEmailInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter your email address"),
            Email(EMAIL_FORMAT),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    display_name = StringField(
        "Your name",
        widget=NhsInput(),
        description="This is how we will greet you. Other learners and reviewers do not see it",
        validators=[
            DataRequired("Enter your name"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    password = PasswordField(
        "Create a password",
        widget=NhsPasswordInput(),
        description="Use 12 characters or more. Three random words together work well",
        validators=[DataRequired("Enter a password")],
    )
    confirm_password = PasswordField(
        "Confirm your password",
        widget=NhsPasswordInput(),
        validators=[
            DataRequired("Confirm your password"),
            EqualTo("password", "Passwords do not match"),
        ],
    )
    community_role = RadioField(
        "Which best describes you?",
        widget=NhsRadios(),
        choices=choices(COMMUNITY_ROLES.items()),
        validators=[InputRequired("Select the role that best describes you")],
    )
    organisation = StringField(
        "Organisation or group (optional)",
        widget=NhsInput(),
        description="For example, your GP practice, hospital trust or community group",
        validators=[
            Optional(),
            Length(max=150, message="Organisation must be 150 characters or fewer"),
        ],
    )
    evaluation_consent = RadioField(
        "Can we use your feedback and quiz results to evaluate the pilot?",
        widget=NhsRadios(),
        description=(
            "Reviewers see a code instead of your name or email. You can change your mind later"
            " on your account page. Your choice does not change how you use the course."
        ),
        choices=choices(CONSENT_CHOICES),
        validators=[InputRequired("Select yes if we can use your feedback in the evaluation")],
    )
    submit = SubmitField("Create account", widget=NhsSubmit())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=NhsPasswordInput(),
        validators=[DataRequired("Enter your current password")],
    )
    new_password = _new_password_field()
    confirm_password = _confirm_password_field()
    submit = SubmitField("Change password", widget=NhsSubmit())


class ConsentForm(FlaskForm):
    evaluation_consent = RadioField(
        "Can we use your feedback and quiz results to evaluate the pilot?",
        widget=NhsRadios(),
        choices=choices(CONSENT_CHOICES),
        validators=[InputRequired("Select yes if we can use your feedback in the evaluation")],
    )
    submit = SubmitField("Save choice", widget=NhsSubmit())


class SignOutForm(FlaskForm):
    submit = SubmitField("Sign out", widget=NhsSubmit())


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=NhsEmailInput(),
        description="The email address you use to sign in",
        filters=[strip],
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT)],
    )
    submit = SubmitField("Send me a reset link", widget=NhsSubmit())


class ResetPasswordForm(FlaskForm):
    new_password = _new_password_field()
    confirm_password = _confirm_password_field()
    submit = SubmitField("Set new password", widget=NhsSubmit())


class EndSessionForm(FlaskForm):
    submit = SubmitField("Sign out", widget=NhsSubmit())


class TwoFactorForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=NhsInput(),
        description="The 6 numbers your app shows now. Lost your phone? Enter a recovery code",
        filters=[strip],
        validators=[DataRequired("Enter the code from your authenticator app")],
    )
    submit = SubmitField("Continue", widget=NhsSubmit())


class SetUpTwoFactorForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=NhsInput(),
        description="After you scan the QR code, your app shows 6 numbers. Enter them here",
        filters=[strip],
        validators=[DataRequired("Enter the code from your authenticator app")],
    )
    submit = SubmitField("Turn on two-factor sign-in", widget=NhsSubmit())
