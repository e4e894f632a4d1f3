"""The content editor's forms. Each edit form carries the fingerprint of the document as it was
when the form was opened, so a save over someone else's newer change is noticed, not lost."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from elearn.forms import NhsCheckboxes, NhsInput, NhsSelect, NhsSubmit, NhsTextarea, choices

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MESSAGE = "Use lowercase letters, numbers and single hyphens only, like m1-q3"
OPTION_ROWS = 8  # the schema's most options for a question


def _id_field(label: str, description: str = "") -> StringField:
    return StringField(
        label,
        widget=NhsInput(),
        description=description,
        validators=[
            DataRequired(f"Enter the {label.lower()}"),
            Length(max=64, message="Ids are at most 64 characters"),
            Regexp(ID_PATTERN, message=ID_MESSAGE),
        ],
    )


class EditForm(FlaskForm):
    fingerprint = HiddenField()


class CourseForm(EditForm):
    title = StringField(
        "Course title", widget=NhsInput(), validators=[DataRequired("Enter the course title")]
    )
    summary = TextAreaField(
        "Summary", widget=NhsTextarea(), validators=[DataRequired("Enter a summary")]
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class ModuleForm(EditForm):
    title = StringField(
        "Module title", widget=NhsInput(), validators=[DataRequired("Enter the module title")]
    )
    summary = TextAreaField(
        "Summary", widget=NhsTextarea(), validators=[DataRequired("Enter a summary")]
    )
    estimated_minutes = IntegerField(
        "Estimated minutes",
        widget=NhsInput(),
        validators=[
            InputRequired("Enter the estimated minutes"),
            NumberRange(1, 600, "Enter a number of minutes from 1 to 600"),
        ],
    )
    outcomes = TextAreaField(
        "Learning outcomes",
        widget=NhsTextarea(),
        description="One a line, as id: text, for example m1-o1: Explain what health data is",
        validators=[DataRequired("Enter at least one learning outcome")],
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class PageForm(EditForm):
    title = StringField(
        "Page title", widget=NhsInput(), validators=[DataRequired("Enter the page title")]
    )
    sources = StringField(
        "Sources",
        widget=NhsInput(),
        description="The ids of the bibliography's sources this page relies on, separated by"
        " commas",
        validators=[Optional()],
    )
    markdown = TextAreaField(
        "Page text",
        widget=NhsTextarea(),
        description="Markdown, with the same blocks as the content files (::: inset, ::: warning,"
        " ::: case-study, ::: myth, ::: reflect)",
        validators=[DataRequired("Enter the page text")],
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class HandoutForm(EditForm):
    title = StringField(
        "Title", widget=NhsInput(), validators=[DataRequired("Enter the handout's title")]
    )
    persona = StringField(
        "Made for",
        widget=NhsInput(),
        description="The persona it is written for, for example Pat",
        validators=[DataRequired("Enter who the handout is made for")],
    )
    summary = StringField(
        "Summary",
        widget=NhsInput(),
        description="One sentence on the list of handouts",
        validators=[DataRequired("Enter a one-sentence summary")],
    )
    markdown = TextAreaField(
        "Handout text",
        widget=NhsTextarea(),
        description="Markdown, as in the content files",
        validators=[DataRequired("Enter the handout's text")],
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class NewPageForm(FlaskForm):
    page_id = _id_field("Page id", "It cannot be changed later: progress is kept against it")
    title = StringField(
        "Page title", widget=NhsInput(), validators=[DataRequired("Enter the page title")]
    )
    after = SelectField("Put it after", widget=NhsSelect(), validate_choice=True)
    submit = SubmitField("Add page to draft", widget=NhsSubmit())


class QuizForm(EditForm):
    pass_mark = IntegerField(
        "Pass mark (per cent)",
        widget=NhsInput(),
        validators=[InputRequired("Enter the pass mark"), NumberRange(1, 100, "Enter 1 to 100")],
    )
    max_attempts = IntegerField(
        "Most attempts allowed",
        widget=NhsInput(),
        description="Leave empty for no limit",
        validators=[Optional(), NumberRange(1, 100, "Enter a number from 1 to 100")],
    )
    draw = IntegerField(
        "Questions drawn for each attempt",
        widget=NhsInput(),
        description="Leave empty to ask every question",
        validators=[Optional(), NumberRange(1, 200, "Enter a number from 1 to 200")],
    )
    shuffle = SelectMultipleField(
        "Shuffle",
        widget=NhsCheckboxes(),
        choices=choices(
            [("questions", "Shuffle the questions"), ("options", "Shuffle the options")]
        ),
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class OptionForm(Form):
    id = StringField("Option id", widget=NhsInput(), validators=[Optional()])
    text = StringField("Option text", widget=NhsInput(), validators=[Optional()])
    correct = BooleanField("This option is correct")
    feedback = TextAreaField("Feedback on this option", widget=NhsTextarea())


QUESTION_TYPES = choices(
    [
        ("single", "One answer"),
        ("multiple", "Select all that apply"),
        ("true-false", "True or false"),
        ("scenario", "Scenario"),
    ]
)


class QuestionForm(EditForm):
    question_id = _id_field(
        "Question id", "Give a new id when the options or the right answer change"
    )
    type = SelectField("Question type", widget=NhsSelect(), choices=QUESTION_TYPES)
    answer = SelectField(
        "For a scenario, how many answers",
        widget=NhsSelect(),
        choices=choices(
            [("", "Not a scenario"), ("single", "One answer"), ("multiple", "Several")]
        ),
    )
    scenario = TextAreaField(
        "Scenario text", widget=NhsTextarea(), description="Only for scenario questions"
    )
    text = TextAreaField(
        "Question", widget=NhsTextarea(), validators=[DataRequired("Enter the question")]
    )
    outcome = SelectField("Learning outcome it tests", widget=NhsSelect())
    page = SelectField("Page to read again", widget=NhsSelect())
    explanation = TextAreaField(
        "Explanation", widget=NhsTextarea(), validators=[DataRequired("Enter an explanation")]
    )
    options = FieldList(FormField(OptionForm), min_entries=OPTION_ROWS, max_entries=OPTION_ROWS)
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class DocumentForm(EditForm):
    """A whole document (a survey, the glossary) edited as its YAML text."""

    text = TextAreaField(
        "The document, as YAML",
        widget=NhsTextarea(),
        validators=[DataRequired("Enter the document"), Length(max=200_000)],
    )
    submit = SubmitField("Save to draft", widget=NhsSubmit())


class PublishForm(FlaskForm):
    summary = TextAreaField(
        "What changed, and why",
        widget=NhsTextarea(),
        description="Shown in the history. For example: Rewrote page 3 after pilot comments",
        validators=[
            DataRequired("Enter a summary of the change"),
            Length(max=300, message="Keep the summary to 300 characters"),
        ],
    )
    overwrite = BooleanField("Publish over the later live changes")
    submit = SubmitField("Publish", widget=NhsSubmit())


class RollbackForm(FlaskForm):
    summary = TextAreaField(
        "Why are you going back to this revision?",
        widget=NhsTextarea(),
        validators=[
            DataRequired("Enter why you are going back to this revision"),
            Length(max=250, message="Keep the reason to 250 characters"),
        ],
    )
    submit = SubmitField("Publish a copy of this revision", widget=NhsSubmit())


class UploadForm(FlaskForm):
    archive = FileField(
        "Content zip file",
        description="A zip of the content files, as downloaded from here. It becomes a draft.",
        validators=[FileRequired("Choose a zip file of the content")],
    )
    submit = SubmitField("Upload as a draft", widget=NhsSubmit())
