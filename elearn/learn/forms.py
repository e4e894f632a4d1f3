"""The decision point form: one radio per thing the guide could say."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from elearn.content.schema import DecisionPoint
from elearn.forms import NhsRadios, NhsSubmit, choices


class DecisionForm(FlaskForm):
    choice = RadioField(
        widget=NhsRadios(),
        validate_choice=False,  # the view answers 400 to a choice the decision point lacks
        validators=[InputRequired("Select what you would say")],
    )
    submit = SubmitField("Check my answer", widget=NhsSubmit())


def decision_form(decision: DecisionPoint, chosen: str | None = None) -> DecisionForm:
    """A decision point's form. Its fields carry the decision's id as a prefix, so that two
    decision points on one page never share an element id."""
    form = DecisionForm(prefix=decision.id)
    form.choice.label.text = decision.question
    form.choice.choices = choices((c.id, c.text) for c in decision.choices)
    if chosen is not None and not form.is_submitted():
        form.choice.data = chosen
    return form
