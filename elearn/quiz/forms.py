"""Quiz forms: one question per page."""

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired

from elearn.content.schema import Question
from elearn.forms import NhsCheckboxes, NhsRadios, NhsSubmit, choices


def question_form(question: Question, chosen: list[str] | None = None) -> FlaskForm:
    """A form for one question: radios for one answer, checkboxes for select all that apply."""
    options = choices((o.id, o.text) for o in question.options)
    field: Field
    if question.multiple:
        field = SelectMultipleField(
            question.text,
            widget=NhsCheckboxes(),
            choices=options,
            validate_choice=False,  # the view checks option ids and answers 400
            validators=[InputRequired("Select at least one answer")],
        )
    else:
        field = RadioField(
            question.text,
            widget=NhsRadios(),
            choices=options,
            validate_choice=False,
            validators=[InputRequired("Select an answer")],
        )

    class QuestionForm(FlaskForm):
        answer = field
        submit = SubmitField("Save and continue", widget=NhsSubmit())

    form = QuestionForm()
    if chosen and not form.is_submitted():
        form.answer.data = chosen if question.multiple else chosen[0]
    return form


class StartForm(FlaskForm):
    submit = SubmitField("Start quiz", widget=NhsSubmit())


class SubmitForm(FlaskForm):
    submit = SubmitField("Submit answers", widget=NhsSubmit())
