"""The filter form on review pages (GET, so no CSRF token is needed)."""

from wtforms import Form, SelectField, SubmitField

from elearn.auth.models import COMMUNITY_ROLES
from elearn.forms import NhsSelect, NhsSubmit, choices


class FilterForm(Form):
    cohort = SelectField("Cohort", widget=NhsSelect(), validate_choice=False)
    role = SelectField(
        "Community role",
        widget=NhsSelect(),
        choices=choices([("", "All roles"), *COMMUNITY_ROLES.items()]),
        validate_choice=False,
    )
    submit = SubmitField("Apply filters", widget=NhsSubmit())
