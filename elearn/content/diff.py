"""What changed between two versions of the course, for people to read before and after publishing.

Everything is compared by id, never by position: a page, question, option, survey item or glossary
term with the same id is the same thing, changed or not. Order matters too: an item whose place
among the others changed is "moved". A page's Markdown is compared line by line, and each line is
tagged (added, removed or unchanged) so that a template can show the change without any HTML from
here.
"""

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from pydantic import BaseModel

from elearn.content.schema import (
    Course,
    GlossaryTerm,
    Module,
    Option,
    Outcome,
    Page,
    Question,
    QuizFile,
    Source,
    SurveyFile,
    SurveyItem,
    SurveyOption,
)

CONTEXT_LINES = 2  # unchanged lines shown around each change in a page's text


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T")
Item = TypeVar("Item", bound=_HasId)
D = TypeVar("D")


class LineTag(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Line:
    tag: LineTag
    text: str
    old_number: int | None  # 1-based line in the old text (None for an added line)
    new_number: int | None  # 1-based line in the new text (None for a removed line)


@dataclass(frozen=True)
class Change:
    """One field's old and new value, as text to show."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Listing:
    """How a list of things with ids changed: which ids were added, removed and moved."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.moved)


@dataclass(frozen=True)
class FieldsChanged:
    """Something with an id that is in both versions, and which of its fields changed."""

    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class PageDiff:
    id: str
    title: Change | None
    sources: Change | None
    hunks: tuple[tuple[Line, ...], ...]  # runs of changed lines, each with some context

    @property
    def text_changed(self) -> bool:
        return bool(self.hunks)


@dataclass(frozen=True)
class ModuleDiff:
    id: str
    title: str  # the new title, to name the module
    details: tuple[Change, ...]  # title, summary, minutes, outcomes, sources
    pages: Listing
    changed_pages: tuple[PageDiff, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.details or self.changed_pages) and self.pages.is_empty


@dataclass(frozen=True)
class QuestionDiff:
    id: str
    details: tuple[Change, ...]  # text, type, scenario, outcome, page, explanation...
    options: Listing
    changed_options: tuple[FieldsChanged, ...]  # text, correct, feedback

    @property
    def correct_changed(self) -> bool:
        return any(c.field == "correct" for o in self.changed_options for c in o.changes)


@dataclass(frozen=True)
class QuizDiff:
    module_id: str
    settings: tuple[Change, ...]  # pass mark, attempts, shuffling, draw
    questions: Listing
    changed_questions: tuple[QuestionDiff, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.settings or self.changed_questions) and self.questions.is_empty


@dataclass(frozen=True)
class SurveyDiff:
    id: str
    details: tuple[Change, ...]
    items: Listing
    changed_items: tuple[FieldsChanged, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.details or self.changed_items) and self.items.is_empty


@dataclass(frozen=True)
class CourseDiff:
    details: tuple[Change, ...]  # the course's title and summary
    modules: Listing
    changed_modules: tuple[ModuleDiff, ...]
    quizzes: Listing  # by module id
    changed_quizzes: tuple[QuizDiff, ...]
    surveys: Listing
    changed_surveys: tuple[SurveyDiff, ...]
    glossary: Listing
    changed_terms: tuple[FieldsChanged, ...]

    @property
    def is_empty(self) -> bool:
        return (
            not (
                self.details or self.changed_modules or self.changed_quizzes or self.changed_surveys
            )
            and all(
                listing.is_empty
                for listing in (self.modules, self.quizzes, self.surveys, self.glossary)
            )
            and not self.changed_terms
        )

    def summary(self) -> str:
        """One plain sentence or a few, e.g. "Module m1: 2 pages changed, 1 page added."."""
        if self.is_empty:
            return "No changes."
        parts: list[str] = []
        if self.details:
            parts.append("Course " + " and ".join(c.field for c in self.details) + " changed")
        parts += _listing_parts("Modules", "module", self.modules)
        for module in self.changed_modules:
            counts = _counts(
                ("detail", len(module.details), "changed"),
                ("page", len(module.changed_pages), "changed"),
                *_listing_counts("page", module.pages),
            )
            parts.append(f"Module {module.id}: {counts}")
        parts += _listing_parts("Quizzes", "quiz", self.quizzes)
        for quiz in self.changed_quizzes:
            counts = _counts(
                ("setting", len(quiz.settings), "changed"),
                ("question", len(quiz.changed_questions), "changed"),
                *_listing_counts("question", quiz.questions),
            )
            parts.append(f"Quiz for module {quiz.module_id}: {counts}")
        parts += _listing_parts("Surveys", "survey", self.surveys)
        for survey in self.changed_surveys:
            counts = _counts(
                ("detail", len(survey.details), "changed"),
                ("item", len(survey.changed_items), "changed"),
                *_listing_counts("item", survey.items),
            )
            parts.append(f"Survey {survey.id}: {counts}")
        glossary = _counts(
            ("term", len(self.changed_terms), "changed"),
            *_listing_counts("term", self.glossary, moved=False),
        )
        if glossary:
            parts.append(f"Glossary: {glossary}")
        return ". ".join(parts) + "."


def _plural(word: str, n: int) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word}zes" if word == "quiz" else f"{n} {word}s"


def _counts(*counts: tuple[str, int, str]) -> str:
    return ", ".join(f"{_plural(word, n)} {verb}" for word, n, verb in counts if n)


def _listing_counts(word: str, listing: Listing, moved: bool = True) -> list[tuple[str, int, str]]:
    counts = [(word, len(listing.added), "added"), (word, len(listing.removed), "removed")]
    return counts + ([(word, len(listing.moved), "moved")] if moved else [])


def _listing_parts(label: str, word: str, listing: Listing) -> list[str]:
    counts = _counts(*_listing_counts(word, listing))
    return [f"{label}: {counts}"] if counts else []


def diff_courses(old: Course, new: Course) -> CourseDiff:
    """Everything that changed from old to new, by id."""
    details = _changes(old, new, ("title", "summary"))
    old_modules, new_modules = _by_id(old.modules), _by_id(new.modules)
    old_surveys, new_surveys = _by_id(old.surveys), _by_id(new.surveys)
    old_terms, new_terms = _by_id(old.glossary), _by_id(new.glossary)
    return CourseDiff(
        details=details,
        modules=_listing(list(old_modules), list(new_modules)),
        changed_modules=_changed(old_modules, new_modules, _module_diff),
        quizzes=_listing(list(old.quizzes), list(new.quizzes), moves=False),  # one per module
        changed_quizzes=_changed(old.quizzes, new.quizzes, _quiz_diff),
        surveys=_listing(list(old_surveys), list(new_surveys)),
        changed_surveys=_changed(old_surveys, new_surveys, _survey_diff),
        # The glossary is shown in alphabetical order, so a term's place is not a change.
        glossary=_listing(list(old_terms), list(new_terms), moves=False),
        changed_terms=_changed(old_terms, new_terms, _term_diff),
    )


def _by_id(items: Sequence[Item]) -> dict[str, Item]:
    return {item.id: item for item in items}


def _changed(
    old: dict[str, T], new: dict[str, T], compare: Callable[[T, T], D | None]
) -> tuple[D, ...]:
    """compare(old, new) for each id in both, in the new order, keeping those that changed."""
    found = (compare(old[key], item) for key, item in new.items() if key in old)
    return tuple(diff for diff in found if diff is not None)


def _listing(old: Sequence[str], new: Sequence[str], moves: bool = True) -> Listing:
    """Ids added, removed, and moved: kept in both but out of their old order relative to the
    others (those outside the longest run in common, so one page moved is one move)."""
    old_set, new_set = set(old), set(new)
    moved: tuple[str, ...] = ()
    if moves:
        kept_old = [i for i in old if i in new_set]
        kept_new = [i for i in new if i in old_set]
        matcher = difflib.SequenceMatcher(a=kept_old, b=kept_new, autojunk=False)
        in_place = {kept_new[b + k] for _, b, size in matcher.get_matching_blocks()
                    for k in range(size)}  # fmt: skip
        moved = tuple(i for i in kept_new if i not in in_place)
    return Listing(
        added=tuple(i for i in new if i not in old_set),
        removed=tuple(i for i in old if i not in new_set),
        moved=moved,
    )


def _show(value: object) -> str:
    """A field's value as plain text to show a person."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Outcome | SurveyOption):
        return f"{value.id}: {value.text}"
    if isinstance(value, Source):
        return f"{value.id}: {value.title} ({value.url})"
    if isinstance(value, list | tuple):
        return "\n".join(_show(item) for item in value)
    return str(value)


def _changes(old: BaseModel, new: BaseModel, fields: Sequence[str]) -> tuple[Change, ...]:
    changes = []
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(name, _show(before), _show(after)))
    return tuple(changes)


def _module_diff(old: Module, new: Module) -> ModuleDiff | None:
    details = _changes(old, new, ("title", "summary", "estimated_minutes", "outcomes", "sources"))
    old_pages, new_pages = _by_id(old.pages), _by_id(new.pages)
    diff = ModuleDiff(
        id=new.id,
        title=new.title,
        details=details,
        pages=_listing(list(old_pages), list(new_pages)),
        changed_pages=_changed(old_pages, new_pages, _page_diff),
    )
    return None if diff.is_empty else diff


def _page_diff(old: Page, new: Page) -> PageDiff | None:
    title = _changes(old, new, ("title",))
    sources = _changes(old, new, ("sources",))
    hunks = text_hunks(old.markdown, new.markdown)
    if not (title or sources or hunks):
        return None
    return PageDiff(new.id, title[0] if title else None, sources[0] if sources else None, hunks)


def text_hunks(old: str, new: str, context: int = CONTEXT_LINES) -> tuple[tuple[Line, ...], ...]:
    """The changed lines between two texts, in runs, each with up to `context` unchanged lines
    either side; no runs when the texts are the same."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        lines: list[Line] = []
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                lines += [
                    Line(LineTag.UNCHANGED, old_lines[a], a + 1, b1 + (a - a1) + 1)
                    for a in range(a1, a2)
                ]
                continue
            lines += [Line(LineTag.REMOVED, old_lines[a], a + 1, None) for a in range(a1, a2)]
            lines += [Line(LineTag.ADDED, new_lines[b], None, b + 1) for b in range(b1, b2)]
        hunks.append(tuple(lines))
    return tuple(hunks)


_QUIZ_SETTINGS = ("pass_mark", "max_attempts", "shuffle_questions", "shuffle_options", "draw")
_QUESTION_FIELDS = ("type", "scenario", "answer", "text", "outcome", "page", "explanation")


def _quiz_diff(old: QuizFile, new: QuizFile) -> QuizDiff | None:
    old_questions, new_questions = _by_id(old.questions), _by_id(new.questions)
    diff = QuizDiff(
        module_id=new.module,
        settings=_changes(old, new, _QUIZ_SETTINGS),
        questions=_listing(list(old_questions), list(new_questions)),
        changed_questions=_changed(old_questions, new_questions, _question_diff),
    )
    return None if diff.is_empty else diff


def _question_diff(old: Question, new: Question) -> QuestionDiff | None:
    old_options, new_options = _by_id(old.options), _by_id(new.options)
    diff = QuestionDiff(
        id=new.id,
        details=_changes(old, new, _QUESTION_FIELDS),
        options=_listing(list(old_options), list(new_options)),
        changed_options=_changed(old_options, new_options, _option_diff),
    )
    if diff.details or diff.changed_options or not diff.options.is_empty:
        return diff
    return None


def _option_diff(old: Option, new: Option) -> FieldsChanged | None:
    return _fields_changed(old, new, ("text", "correct", "feedback"))


def _fields_changed(
    old: Option | SurveyItem | GlossaryTerm,
    new: Option | SurveyItem | GlossaryTerm,
    fields: Sequence[str],
) -> FieldsChanged | None:
    changes = _changes(old, new, fields)
    return FieldsChanged(new.id, changes) if changes else None


_SURVEY_FIELDS = ("title", "description", "trigger", "module")
_ITEM_FIELDS = ("type", "text", "hint", "required", "options", "max_chars", "outcome")


def _survey_diff(old: SurveyFile, new: SurveyFile) -> SurveyDiff | None:
    old_items, new_items = _by_id(old.items), _by_id(new.items)
    diff = SurveyDiff(
        id=new.id,
        details=_changes(old, new, _SURVEY_FIELDS),
        items=_listing(list(old_items), list(new_items)),
        changed_items=_changed(old_items, new_items, _item_diff),
    )
    return None if diff.is_empty else diff


def _item_diff(old: SurveyItem, new: SurveyItem) -> FieldsChanged | None:
    return _fields_changed(old, new, _ITEM_FIELDS)


def _term_diff(old: GlossaryTerm, new: GlossaryTerm) -> FieldsChanged | None:
    return _fields_changed(old, new, ("term", "definition"))
