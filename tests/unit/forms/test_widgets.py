"""Each NHS widget rendered alone, with its label, hint, value and error."""

import pytest
from flask_wtf import FlaskForm
from wtforms import (
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from elearn.forms import (
    NhsCheckboxes,
    NhsInput,
    NhsPasswordInput,
    NhsRadios,
    NhsSelect,
    NhsSubmit,
    NhsTextarea,
    choices,
    error_list,
)

COLOURS = choices([("red", "Red"), ("blue", "Blue <b>")])


class DemoForm(FlaskForm):
    name = StringField("Your name", widget=NhsInput(), description="As you like to be called")
    secret = PasswordField("Password", widget=NhsPasswordInput())
    story = TextAreaField("Tell us more", widget=NhsTextarea())
    colour = RadioField("Favourite colour", widget=NhsRadios(), choices=COLOURS)
    colours = SelectMultipleField("Colours you like", widget=NhsCheckboxes(), choices=COLOURS)
    pick = SelectField("Pick one", widget=NhsSelect(), choices=COLOURS)
    go = SubmitField("Continue", widget=NhsSubmit())


@pytest.fixture
def form(app):
    with app.test_request_context():
        app.config["WTF_CSRF_ENABLED"] = False
        yield DemoForm(
            data={
                "name": "<script>x</script>",
                "story": "line one",
                "colour": "blue",
                "colours": ["red", "blue"],
                "pick": "blue",
            }
        )


def test_input_has_label_hint_value_escaped(form):
    html = str(form.name())
    assert 'class="nhsuk-input' in html
    assert '<label class="nhsuk-label" for="name">' in html
    assert "As you like to be called" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html


def test_password_never_echoes_its_value(form):
    form.secret.data = "hunter2hunter2"
    assert "hunter2" not in str(form.secret())
    assert 'type="password"' in str(form.secret())


def test_textarea(form):
    html = str(form.story())
    assert "nhsuk-textarea" in html and "line one</textarea>" in html


def test_radios_mark_the_chosen_item_and_escape_labels(form):
    html = str(form.colour())
    assert "nhsuk-radios" in html
    assert 'id="colour"' in html  # the first item carries the field id, for the error link
    assert 'value="blue" checked' in html
    assert "Blue &lt;b&gt;" in html


def test_checkboxes_mark_every_chosen_item(form):
    html = str(form.colours())
    assert html.count("checked") == 2


def test_select(form):
    html = str(form.pick())
    assert "nhsuk-select" in html and 'value="blue" selected' in html


def test_button(form):
    assert "nhsuk-button" in str(form.go()) and "Continue" in str(form.go())


def test_error_message_and_summary_link_to_the_field(form):
    form.name.errors = ["Enter your name"]
    form.colour.errors = ["Select a colour", "second message is not repeated"]
    html = str(form.name())
    assert "nhsuk-error-message" in html and "Enter your name" in html
    assert error_list(form) == [
        {"text": "Enter your name", "href": "#name"},
        {"text": "Select a colour", "href": "#colour"},
    ]
