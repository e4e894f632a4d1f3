"""Feedback forms: a survey's items as one form, "was this page helpful?", submit and skip."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from elearn.content.schema import SurveyFile, SurveyItem
from elearn.feedback import items
from elearn.forms import NhsCheckboxes, NhsRadios, NhsSubmit, NhsTextarea, choices

PAGE_FEEDBACK_PREFIX = "page-feedback"
HELPFUL_CHOICES = [("yes", "Yes"), ("no", "No")]


class NhsCharacterCount(NhsTextarea):
    """A textarea that tells the learner its limit (and counts down when JavaScript runs)."""

    component = "character-count"
    macro = "characterCount"

    def __init__(self, maxlength: int):
        self.maxlength = maxlength

    def params(self, field) -> dict:
        params = super().params(field)
        params["maxlength"] = self.maxlength
        params["textareaDescriptionText"] = f"You can enter up to {self.maxlength:,} characters"
        return params


class MaxChars:
    """Refuse text over the limit with a message naming the item; the text is never cut."""

    def __init__(self, limit: int, message):
        self.limit = limit
        self.message = message  # called with the length entered

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(self.message(length))


def field_name(item: SurveyItem) -> str:
    """A survey item's field name and id: "item-" and its id, which never clashes with the
    form's own attributes (an item could be called "data" or "errors")."""
    return f"item-{item.id}"


def _label(item: SurveyItem) -> str:
    return item.text if item.required else f"{item.text} (optional)"


def _field(item: SurveyItem):
    message = items.required_message(item)
    if item.type == "free-text":
        limit = items.limit(item)
        return TextAreaField(
            _label(item),
            description=item.hint or "",
            widget=NhsCharacterCount(limit),
            filters=[items.normalise_text],
            validators=[
                DataRequired(message) if item.required else Optional(),
                MaxChars(limit, lambda length: items.too_long_message(item, length)),
            ],
        )
    options = choices(items.scale(item))
    required = [InputRequired(message)] if item.required else [Optional()]
    if item.type == "multiple":
        return SelectMultipleField(
            _label(item),
            description=item.hint or "",
            widget=NhsCheckboxes(),
            choices=options,
            validate_choice=False,  # the service checks option ids; the view answers 400
            validators=required,
        )
    return RadioField(
        _label(item),
        description=item.hint or "",
        widget=NhsRadios(),
        choices=options,
        validate_choice=False,
        validators=required,
    )


def survey_form(
    survey: SurveyFile,
    saved: dict[str, str] | None = None,
    on_page: list[SurveyItem] | None = None,
) -> FlaskForm:
    """The items on one page of a survey (all of them unless ``on_page``) as one form, filled
    from a saved draft."""
    shown = survey.items if on_page is None else on_page

    class SurveyForm(FlaskForm):
        pass

    for item in shown:
        setattr(SurveyForm, field_name(item), _field(item))
    SurveyForm.submit = SubmitField("Continue", widget=NhsSubmit())
    form = SurveyForm()
    if saved and not form.is_submitted():
        for item in shown:
            if item.id in saved:
                form[field_name(item)].data = items.form_value(item, saved[item.id])
    return form


def survey_answers(on_page: list[SurveyItem], form: FlaskForm) -> dict:
    """The form's answers by item id, for the service."""
    return {item.id: form[field_name(item)].data for item in on_page}


class SubmitForm(FlaskForm):
    submit = SubmitField("Send answers", widget=NhsSubmit())


class SkipForm(FlaskForm):
    submit = SubmitField("Skip this survey", widget=NhsSubmit())


def skip_form() -> SkipForm:
    """Shown under the survey form, so its fields carry a prefix (no duplicate ids)."""
    return SkipForm(prefix="skip")


class PageFeedbackForm(FlaskForm):
    helpful = RadioField(
        "Was this page helpful?",
        widget=NhsRadios(),
        choices=choices(HELPFUL_CHOICES),
        validate_choice=False,  # the view answers 400 to anything but yes or no
        validators=[InputRequired("Select yes if this page was helpful, or no if it was not")],
    )
    comment = TextAreaField(
        "Tell us why (optional)",
        description=(
            "For example, what was clear or what was missing. "
            "Do not include names or health details about anyone."
        ),
        widget=NhsCharacterCount(items.PAGE_COMMENT_LIMIT),
        filters=[items.normalise_text],
        validators=[Optional(), MaxChars(items.PAGE_COMMENT_LIMIT, items.comment_too_long_message)],
    )
    submit = SubmitField("Send feedback", widget=NhsSubmit())

    # What the learner said before (None: nothing yet), for the "thank you" line.
    saved_helpful: bool | None = None


def page_feedback_form(saved=None) -> PageFeedbackForm:
    """The page feedback form, filled with the learner's earlier answer if they gave one."""
    form = PageFeedbackForm(prefix=PAGE_FEEDBACK_PREFIX)
    if saved is not None:
        form.saved_helpful = saved.helpful
        if not form.is_submitted():
            form.helpful.data = "yes" if saved.helpful else "no"
            form.comment.data = saved.comment
    return form
