"""Forms for deleting an account (the learner's own, and an admin carrying out a request)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email

from elearn.forms import NhsCheckboxes, NhsEmailInput, NhsPasswordInput, NhsSubmit, choices

CHECKED = "I have checked that the request came from the person who owns the account"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Enter your password to confirm",
        widget=NhsPasswordInput(),
        validators=[DataRequired("Enter your password to delete your account")],
    )
    submit = SubmitField("Delete my account", widget=NhsSubmit())


class AdminDeleteForm(FlaskForm):
    email = StringField(
        "Email address of the learner who asked",
        widget=NhsEmailInput(),
        filters=[strip],
        validators=[DataRequired("Enter the learner's email address"), Email(EMAIL_FORMAT)],
    )
    checked = SelectMultipleField(
        "Confirm the request",
        widget=NhsCheckboxes(),
        choices=choices([("checked", CHECKED)]),
        validators=[DataRequired("Confirm that you have checked the request")],
    )
    submit = SubmitField("Delete this account", widget=NhsSubmit())
