"""Admin forms."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from elearn.admin.presenters import AUDIT_ACTION_LABELS
from elearn.auth.models import INVITE_DAYS_VALID, INVITE_MAX_USES
from elearn.auth.presenters import ROLE_LABELS
from elearn.forms import NhsDateInput, NhsInput, NhsRadios, NhsSelect, NhsSubmit, choices


# An invite code's limits, asked the same way when a cohort is made and for a new code. Called in
# each form's body, so the fields keep their place in the form (WTForms orders by creation).
def _max_uses_field() -> IntegerField:
    return IntegerField(
        "How many people can use the invite code?",
        widget=NhsInput(),
        default=INVITE_MAX_USES,
        validators=[
            InputRequired("Enter how many people can use the invite code"),
            NumberRange(1, 10000, "Enter a number from 1 to 10,000"),
        ],
    )


def _days_valid_field() -> IntegerField:
    return IntegerField(
        "How many days should the code work for?",
        widget=NhsInput(),
        default=INVITE_DAYS_VALID,
        validators=[
            InputRequired("Enter how many days the code should work for"),
            NumberRange(1, 365, "Enter a number of days from 1 to 365"),
        ],
    )


class DateOrBlank(DateField):
    """An optional date with a plain-English message when it is not a real date."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a real date, like 15 March 2027") from None


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        widget=NhsInput(),
        description="For example, Oxfordshire pilot, spring",
        validators=[
            DataRequired("Enter a name for the cohort"),
            Length(max=120, message="Cohort name must be 120 characters or fewer"),
        ],
    )
    starts_on = DateOrBlank(
        "Start date (optional)",
        widget=NhsDateInput(),
        description="When this group starts the course",
        validators=[Optional()],
    )
    ends_on = DateOrBlank(
        "End date (optional)",
        widget=NhsDateInput(),
        description="When this group should have finished",
        validators=[Optional()],
    )
    max_uses = _max_uses_field()
    days_valid = _days_valid_field()
    submit = SubmitField("Create cohort and invite code", widget=NhsSubmit())


class AccountSearchForm(Form):
    """Search accounts (GET, so no CSRF token)."""

    q = StringField("Name or email address", widget=NhsInput())
    role = SelectField(
        "Account type",
        widget=NhsSelect(),
        choices=choices([("", "All account types"), *ROLE_LABELS.items()]),
        validate_choice=False,
    )
    submit = SubmitField("Search", widget=NhsSubmit())


class RoleForm(FlaskForm):
    role = RadioField(
        "Account type",
        widget=NhsRadios(),
        choices=choices(ROLE_LABELS.items()),
        validators=[InputRequired("Select an account type")],
    )
    submit = SubmitField("Change account type", widget=NhsSubmit())


class ActionForm(FlaskForm):
    """A button that does one thing to an account or invite (its label is set in the template)."""

    submit = SubmitField("Continue", widget=NhsSubmit())


class InviteForm(FlaskForm):
    cohort = SelectField("Cohort", widget=NhsSelect(), coerce=int, validate_choice=False)
    max_uses = _max_uses_field()
    days_valid = _days_valid_field()
    submit = SubmitField("Create invite code", widget=NhsSubmit())


class AuditFilterForm(Form):
    """Filter the audit log (GET)."""

    action = SelectField(
        "What happened",
        widget=NhsSelect(),
        choices=choices([("", "Everything"), *AUDIT_ACTION_LABELS.items()]),
        validate_choice=False,
    )
    person = StringField("Email address of the person", widget=NhsInput())
    submit = SubmitField("Filter", widget=NhsSubmit())
