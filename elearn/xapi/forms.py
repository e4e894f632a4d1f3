"""Forms for the Learning records admin page."""

from flask_wtf import FlaskForm
from wtforms import SubmitField

from elearn.forms import NhsSubmit


class RetryFailedForm(FlaskForm):
    submit = SubmitField("Send refused statements again", widget=NhsSubmit())
