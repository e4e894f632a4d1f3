"""One schema for all course content: course, glossary, modules, pages, quizzes and surveys.

Every model rejects unknown keys. Ids are stable, lowercase and hyphenated, independent of
titles, file names and order: learner progress and answers are keyed by them.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LONG_TEXT_MAX = 20_000  # characters: a page's Markdown, a scenario
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LONG_TEXT_MAX)
]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    id: Id
    title: Text
    url: Url
    accessed: date | None = None


class BibliographyEntry(Strict):
    """One source in the course bibliography: pages cite it by id. It counts as checked only
    when a named reviewer and the date they checked it are recorded."""

    id: Id
    title: Text
    publisher: Text
    published: Text | None = None  # as the source dates itself, e.g. "December 2020"
    url: Url
    checked_by: Text | None = None
    checked_on: date | None = None

    @model_validator(mode="after")
    def _check(self):
        if (self.checked_by is None) != (self.checked_on is None):
            raise ValueError("a checked source needs both checked_by and checked_on")
        return self


class BibliographyFile(Strict):
    sources: list[BibliographyEntry] = Field(min_length=1)


class Outcome(Strict):
    id: Id
    text: Text


class CourseFile(Strict):
    id: Id
    title: Text
    summary: Text
    modules: list[Id] = Field(min_length=1)
    glossary: str = "glossary.yaml"
    bibliography: str = "bibliography.yaml"


class GlossaryTerm(Strict):
    id: Id
    term: Text
    definition: Text


class GlossaryFile(Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)


class ModuleFile(Strict):
    id: Id
    title: Text
    summary: Text
    estimated_minutes: int = Field(ge=1, le=600)
    outcomes: list[Outcome] = Field(min_length=1)
    pages: list[Id] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list)


class DecisionChoice(Strict):
    """One thing the guide could say, and feedback on saying it."""

    id: Id
    text: Text
    feedback: Text
    best: bool = False


class DecisionPoint(Strict):
    """Practice: a situation, 2 to 4 things the guide could say and feedback on each. The learner
    picks one on a form answered on the server, so it works without JavaScript."""

    id: Id
    title: Text
    situation: LongText
    question: Text = "What could the guide say?"
    choices: list[DecisionChoice] = Field(min_length=2, max_length=4)

    @model_validator(mode="after")
    def _check(self):
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique within a decision point")
        if sum(c.best for c in self.choices) != 1:
            raise ValueError("a decision point needs exactly one choice marked best: true")
        return self

    def choice(self, choice_id: str) -> DecisionChoice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


class PageFrontMatter(Strict):
    id: Id
    title: Text
    sources: list[Id] = Field(default_factory=list)
    decisions: list[DecisionPoint] = Field(default_factory=list)


class Option(Strict):
    id: Id
    text: Text
    correct: bool
    feedback: Text


class Question(Strict):
    id: Id
    type: Literal["single", "multiple", "true-false", "scenario"]
    scenario: LongText | None = None
    answer: Literal["single", "multiple"] | None = None
    text: Text
    outcome: Id
    page: Id
    explanation: Text
    options: list[Option] = Field(min_length=2, max_length=8)

    @property
    def multiple(self) -> bool:
        """True when the learner picks every right option (select all that apply)."""
        return self.type == "multiple" or (self.type == "scenario" and self.answer == "multiple")

    @model_validator(mode="after")
    def _check_answers(self):
        correct = [o for o in self.options if o.correct]
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique within a question")
        if self.type == "scenario":
            if not self.scenario:
                raise ValueError("a scenario question needs its scenario text")
            if self.answer is None:
                raise ValueError("a scenario question needs answer: single or multiple")
        elif self.scenario:
            raise ValueError("only scenario questions have scenario text")
        if self.type == "true-false":
            if sorted(ids) != ["false", "true"]:
                raise ValueError('a true-false question has exactly the options "true" and "false"')
            if self.answer == "multiple":
                raise ValueError("a true-false question has one answer")
        if self.type == "single" and self.answer == "multiple":
            raise ValueError("a single question cannot have answer: multiple")
        if self.type == "multiple" and self.answer == "single":
            raise ValueError("a multiple question cannot have answer: single")
        if not correct:
            raise ValueError("at least one option must be correct")
        if not self.multiple and len(correct) != 1:
            raise ValueError("a single-answer question needs exactly one correct option")
        return self


class QuizFile(Strict):
    module: Id
    pass_mark: int = Field(ge=1, le=100)
    max_attempts: int | None = Field(default=None, ge=1)
    shuffle_questions: bool = False
    shuffle_options: bool = False
    draw: int | None = Field(default=None, ge=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self):
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique")
        if self.draw is not None and self.draw > len(self.questions):
            raise ValueError("draw cannot be more than the number of questions")
        return self


LIKERT_SCALE = [
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither agree nor disagree"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
]


class SurveyOption(Strict):
    id: Id
    text: Text
    correct: bool = False  # marks the right answer of a knowledge-check item


class SurveyItem(Strict):
    id: Id
    type: Literal["likert", "single", "multiple", "rating", "free-text"]
    text: Text
    hint: Text | None = None
    required: bool = True
    options: list[SurveyOption] = Field(default_factory=list)
    max_chars: int | None = Field(default=None, ge=1, le=2000)
    outcome: Id | None = None
    not_sure: bool = False  # a likert item that also offers "Not sure"

    @property
    def knowledge(self) -> bool:
        """A knowledge-check item: a single-choice question with one right answer. The same
        item in the start and end surveys pairs a learner's answers, to show learning gain."""
        return any(o.correct for o in self.options)

    @model_validator(mode="after")
    def _check(self):
        if self.not_sure and self.type != "likert":
            raise ValueError("only likert items offer not_sure")
        right = sum(o.correct for o in self.options)
        if right and (self.type != "single" or right != 1):
            raise ValueError("a knowledge-check item is a single item with one correct option")
        if self.type in ("single", "multiple") and len(self.options) < 2:
            raise ValueError(f"a {self.type} item needs at least two options")
        if self.type not in ("single", "multiple") and self.options:
            raise ValueError(f"a {self.type} item has no options")
        if self.type != "free-text" and self.max_chars is not None:
            raise ValueError("only free-text items have max_chars")
        return self


class SurveyTrigger(StrEnum):
    """When a survey is offered."""

    AFTER_REGISTRATION = "after-registration"
    AFTER_MODULE = "after-module"
    AFTER_COURSE = "after-course"
    # "What got in the way?": after failing a quiz twice, or two weeks without any progress
    STUCK = "stuck"
    # Some weeks after completing the course, offered at the next sign-in
    FOLLOW_UP = "follow-up"


# Surveys offered when a learner comes back, each opened by the learner's own progress.
RETURN_TRIGGERS = (SurveyTrigger.STUCK, SurveyTrigger.FOLLOW_UP)


class SurveyFile(Strict):
    id: Id
    title: Text
    description: Text
    trigger: SurveyTrigger
    module: Id | None = None
    # A survey offered when a learner comes back closes for them this many days after it opened.
    open_for_days: int | None = Field(default=None, ge=1, le=366)
    items: list[SurveyItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self):
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        if (self.trigger == SurveyTrigger.AFTER_MODULE) != (self.module is not None):
            raise ValueError("module is given exactly when trigger is after-module")
        if self.open_for_days is not None and self.trigger not in RETURN_TRIGGERS:
            raise ValueError("open_for_days is only for the stuck and follow-up surveys")
        return self


# The imported course: validated files plus HTML rendered once at import.


class Page(Strict):
    id: Id
    title: Text
    sources: list[Id] = Field(default_factory=list)
    decisions: list[DecisionPoint] = Field(default_factory=list)
    markdown: LongText
    html: str
    text: str  # plain text, for readability checks and search


class HandoutFrontMatter(Strict):
    id: Id
    title: Text
    persona: Text  # who it is made for, e.g. "Pat"
    summary: Text


class Handout(Strict):
    """A printable page a guide takes out: a script, a card or a handout."""

    id: Id
    title: Text
    persona: Text
    summary: Text
    markdown: LongText
    html: str
    text: str


class Module(Strict):
    id: Id
    title: Text
    summary: Text
    estimated_minutes: int
    outcomes: list[Outcome]
    pages: list[Page]
    sources: list[BibliographyEntry]  # the bibliography entries its pages cite, in order


class Course(Strict):
    id: Id
    title: Text
    summary: Text
    modules: list[Module]
    glossary: list[GlossaryTerm]
    quizzes: dict[str, QuizFile] = Field(default_factory=dict)
    surveys: list[SurveyFile] = Field(default_factory=list)
    handouts: list[Handout] = Field(default_factory=list)
    bibliography: list[BibliographyEntry] = Field(default_factory=list)
