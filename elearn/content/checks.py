"""Plain-language and quality checks: warnings an author should look at, never errors.

The course is for people without a technical background, so each page aims for a Flesch reading
ease of 60 or more and 20 words a sentence or fewer. The other checks catch what makes a page or a
quiz harder than it needs to be: abbreviations nobody explains, links that go nowhere, walls of
text, feedback that does not say why, answers that can be guessed from their length, and sources a
reader cannot recognise. Content with warnings is still valid and can be published.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

import textstat

from elearn.content.plaintext import markdown_to_plain_text
from elearn.content.schema import BibliographyEntry, Course, Module, Page, Question, QuizFile

READING_EASE_TARGET = 60  # Flesch reading ease: at least this
WORDS_PER_SENTENCE_TARGET = 20  # at most this
LONG_PARAGRAPH_WORDS = 100
LONGEST_ANSWER_SHARE = 1 / 3  # of a quiz's single-answer questions
VERDICT_WORDS = 3  # feedback this short only says right or wrong ("Not quite.")

_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z]s?\b")  # SDE, GP, NHS, GDPR; GPs
_LINK_TARGET = re.compile(r"\]\(([^()\s]*)(?:\s[^()]*)?\)")  # the address, then any title
_GENERIC_TITLES = {"link", "here", "click here", "source", "website", "web page", "page", "pdf"}


class WarningKind(StrEnum):
    READING_EASE = "reading-ease"
    LONG_SENTENCES = "long-sentences"
    UNKNOWN_TERM = "unknown-term"
    BROKEN_LINK = "broken-link"
    LONG_PARAGRAPH = "long-paragraph"
    NO_OPTION_FEEDBACK = "no-option-feedback"
    LONGEST_IS_RIGHT = "longest-is-right"
    UNTITLED_SOURCE = "untitled-source"


@dataclass(frozen=True)
class ContentWarning:
    """One thing to look at, and where: a module, a page, a quiz (by its module) or a question."""

    kind: WarningKind
    message: str
    module: str | None = None
    page: str | None = None
    quiz: str | None = None
    question: str | None = None

    @property
    def where(self) -> str:
        parts = [self.module, self.page, self.question]
        if self.quiz and not self.question:
            parts.append("quiz")
        return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class Readability:
    reading_ease: float
    words_per_sentence: float
    words: int

    @property
    def easy_enough(self) -> bool:
        return self.reading_ease >= READING_EASE_TARGET

    @property
    def short_sentences(self) -> bool:
        return self.words_per_sentence <= WORDS_PER_SENTENCE_TARGET


def text_readability(text: str) -> Readability:
    """Reading ease and sentence length of plain text, as the course's own text tests measure."""
    return Readability(
        reading_ease=textstat.flesch_reading_ease(text),
        words_per_sentence=textstat.words_per_sentence(text),
        words=textstat.lexicon_count(text),
    )


def page_readability(markdown: str) -> Readability:
    """How easy a page's Markdown is to read: each list item, heading and table cell counts as a
    sentence of its own (see plaintext.py)."""
    return text_readability(markdown_to_plain_text(markdown))


def check_course(course: Course) -> list[ContentWarning]:
    """Every warning in the course, module by module, then the quizzes."""
    known = _Known(
        page_ids={p.id for m in course.modules for p in m.pages},
        term_ids={t.id for t in course.glossary},
        abbreviations=_known_abbreviations(course),
    )
    warnings: list[ContentWarning] = []
    for module in course.modules:
        for page in module.pages:
            warnings += _check_page(module, page, known)
        warnings += _check_sources(module)
    for module_id, quiz in course.quizzes.items():
        warnings += _check_quiz(module_id, quiz)
    return warnings


@dataclass(frozen=True)
class _Known:
    """What a page can link to or use without explaining."""

    page_ids: set[str]
    term_ids: set[str]
    abbreviations: set[str]


def _known_abbreviations(course: Course) -> set[str]:
    """Abbreviations the glossary explains: those in a term or its definition."""
    text = " ".join(f"{t.term} {t.definition}" for t in course.glossary)
    return {_singular(a) for a in _ABBREVIATION.findall(text)}


def _singular(abbreviation: str) -> str:
    return abbreviation[:-1] if abbreviation.endswith("s") else abbreviation


def _check_page(module: Module, page: Page, known: _Known) -> list[ContentWarning]:
    def warn(kind: WarningKind, message: str) -> ContentWarning:
        return ContentWarning(kind, message, module=module.id, page=page.id)

    warnings = []
    text = markdown_to_plain_text(page.markdown)
    readability = text_readability(text)
    if not readability.easy_enough:
        warnings.append(
            warn(
                WarningKind.READING_EASE,
                f"reading ease is {readability.reading_ease:.1f}, below the target of "
                f"{READING_EASE_TARGET}: use shorter words and sentences",
            )
        )
    if not readability.short_sentences:
        warnings.append(
            warn(
                WarningKind.LONG_SENTENCES,
                f"sentences average {readability.words_per_sentence:.1f} words, above the target "
                f"of {WORDS_PER_SENTENCE_TARGET}: split the longest ones",
            )
        )
    warnings += [warn(WarningKind.UNKNOWN_TERM, m) for m in _unknown_terms(page, text, known)]
    warnings += [warn(WarningKind.BROKEN_LINK, m) for m in _broken_links(page, known)]
    for words in _long_paragraphs(page.markdown):
        message = (
            f"a paragraph has {words} words (more than {LONG_PARAGRAPH_WORDS}): "
            "break it up, or use a list"
        )
        warnings.append(warn(WarningKind.LONG_PARAGRAPH, message))
    return warnings


def _unknown_terms(page: Page, text: str, known: _Known) -> list[str]:
    """Links to terms the glossary does not have, and abbreviations that neither the glossary
    nor the page itself explains ("… (SDE)")."""
    messages = [
        f"a link goes to glossary term '{target[9:]}', which is not in the glossary"
        for target in _LINK_TARGET.findall(page.markdown)
        if target.startswith("glossary:") and target[9:] not in known.term_ids
    ]
    explained = set(re.findall(r"\(([A-Z][A-Z0-9]*[A-Z])s?\)", text))
    found = dict.fromkeys(_singular(a) for a in _ABBREVIATION.findall(text))
    return messages + [
        f"'{a}' is not explained: add it to the glossary, or write it out in full the first time"
        for a in found
        if a not in known.abbreviations and a not in explained
    ]


def _broken_links(page: Page, known: _Known) -> list[str]:
    messages = []
    for target in _LINK_TARGET.findall(page.markdown):
        if not target:
            messages.append("a link has no address")
        elif target.startswith("page:") and target[5:] not in known.page_ids:
            messages.append(f"a link goes to page '{target[5:]}', which is not in the course")
    return messages


def _long_paragraphs(markdown: str) -> list[int]:
    """The word counts of paragraphs longer than the limit (headings, lists and tables aside)."""
    counts = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [line for line in block.splitlines() if line.strip()]
        prose = [
            line for line in lines if not re.match(r"\s*(?:[#|>]|[-*+]\s|\d+[.)]\s|:::)", line)
        ]
        words = len(" ".join(prose).split())
        if words > LONG_PARAGRAPH_WORDS:
            counts.append(words)
    return counts


def _check_sources(module: Module) -> list[ContentWarning]:
    return [
        ContentWarning(
            WarningKind.UNTITLED_SOURCE,
            f"source '{source.id}' has no real title ('{source.title}'): "
            "name the organisation and the page, so readers know what it is",
            module=module.id,
        )
        for source in module.sources
        if _untitled(source)
    ]


def _untitled(source: BibliographyEntry) -> bool:
    title = source.title.strip().lower().rstrip(".")
    return (
        title in _GENERIC_TITLES
        or title.startswith(("http://", "https://", "www."))
        or title == source.url.lower()
    )


def _check_quiz(module_id: str, quiz: QuizFile) -> list[ContentWarning]:
    warnings = [
        ContentWarning(
            WarningKind.NO_OPTION_FEEDBACK, message, module=module_id, quiz=module_id,
            question=question.id,
        )
        for question in quiz.questions
        for message in _feedback_problems(question)
    ]  # fmt: skip
    single = [q for q in quiz.questions if not q.multiple and q.type != "true-false"]
    longest = [q.id for q in single if _right_answer_is_longest(q)]
    if single and len(longest) > len(single) * LONGEST_ANSWER_SHARE:
        warnings.append(
            ContentWarning(
                WarningKind.LONGEST_IS_RIGHT,
                f"the right answer is the longest option in {len(longest)} of {len(single)} "
                f"single-answer questions ({', '.join(longest)}): learners can guess it from "
                "its length",
                module=module_id,
                quiz=module_id,
            )
        )
    return warnings


def _feedback_problems(question: Question) -> list[str]:
    """Feedback that does not say why: the same words for several options, or a bare verdict."""
    messages = []
    feedback = [o.feedback.strip() for o in question.options]
    repeated = sorted({f for f in feedback if feedback.count(f) > 1})
    if repeated:
        messages.append(
            "several options share the same feedback: say why each one is right or wrong"
        )
    bare = [o.id for o in question.options if len(o.feedback.split()) <= VERDICT_WORDS]
    bare = [i for i in bare if not repeated or i not in _ids_with(question, repeated)]
    if bare:
        which = ", ".join(f"'{i}'" for i in bare)
        messages.append(
            f"option {which} only says right or wrong: say why, in a sentence"
            if len(bare) == 1
            else f"options {which} only say right or wrong: say why, in a sentence"
        )
    return messages


def _ids_with(question: Question, feedback: list[str]) -> set[str]:
    return {o.id for o in question.options if o.feedback.strip() in feedback}


def _right_answer_is_longest(question: Question) -> bool:
    right = next(o for o in question.options if o.correct)
    return all(len(right.text) > len(o.text) for o in question.options if o.id != right.id)
