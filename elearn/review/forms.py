"""The filter forms on review pages (GET, so no CSRF token is needed), and the one form that
changes something: marking a comment as acted on (POST, with CSRF)."""

from flask_wtf import FlaskForm
from wtforms import Form, SelectField, StringField, SubmitField

from elearn.auth.models import COMMUNITY_ROLES
from elearn.forms import NhsInput, NhsSelect, NhsSubmit, choices


class FilterForm(Form):
    cohort = SelectField("Cohort", widget=NhsSelect(), validate_choice=False)
    role = SelectField(
        "Community role",
        widget=NhsSelect(),
        choices=choices([("", "All roles"), *COMMUNITY_ROLES.items()]),
        validate_choice=False,
    )
    submit = SubmitField("Apply filters", widget=NhsSubmit())


class SearchForm(Form):
    """Search free text and comments, by module (GET)."""

    q = StringField("Search for words", widget=NhsInput())
    module = SelectField("Module", widget=NhsSelect(), validate_choice=False)
    submit = SubmitField("Search", widget=NhsSubmit())


class DateRangeForm(Form):
    """A range of days for the figures over time (GET)."""

    start = StringField(
        "From",
        widget=NhsInput(),
        description="For example, 2026-11-02",
        name="from",
    )
    end = StringField("To", widget=NhsInput(), description="For example, 2026-11-30", name="to")
    submit = SubmitField("Show these dates", widget=NhsSubmit())


class CommentSearchForm(SearchForm):
    """Search page comments, by module and by page (GET)."""

    page_id = SelectField("Page", widget=NhsSelect(), validate_choice=False)


class ActedOnForm(FlaskForm):
    """Which published revision acted on a comment ("" clears it)."""

    revision = SelectField("Revision that acted on this comment", widget=NhsSelect(),
                           validate_choice=False)  # fmt: skip
    submit = SubmitField("Save", widget=NhsSubmit())
