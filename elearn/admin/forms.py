"""Admin forms."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from elearn.auth.models import INVITE_DAYS_VALID, INVITE_MAX_USES
from elearn.forms import NhsInput, NhsSubmit


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
    max_uses = IntegerField(
        "How many people can use the invite code?",
        widget=NhsInput(),
        default=INVITE_MAX_USES,
        validators=[
            InputRequired("Enter how many people can use the invite code"),
            NumberRange(1, 10000, "Enter a number from 1 to 10,000"),
        ],
    )
    days_valid = IntegerField(
        "How many days should the code work for?",
        widget=NhsInput(),
        default=INVITE_DAYS_VALID,
        validators=[
            InputRequired("Enter how many days the code should work for"),
            NumberRange(1, 365, "Enter a number of days from 1 to 365"),
        ],
    )
    submit = SubmitField("Create cohort and invite code", widget=NhsSubmit())
