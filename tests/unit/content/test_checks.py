"""Plain-language and quality warnings: each one triggered, and not triggered."""

import pytest

from elearn.content.checks import (
    ContentWarning,
    WarningKind,
    check_course,
    page_readability,
)
from elearn.content.schema import Source
from elearn.content.validate import validate_data
from tests.helpers import small_course_data, with_module, with_page, with_question, with_quiz

EASY = "Your GP keeps a record. It has notes about your care. You can ask to see it."
HARD = (
    "Notwithstanding organisational considerations, pseudonymised information facilitates "
    "epidemiological investigations, whereas identifiable information necessitates "
    "authorisation under statutory confidentiality provisions."
)
LONG_SENTENCE = " ".join(["We keep the notes"] * 7) + "."  # 28 short words


FEEDBACK = {
    "a": {"feedback": "Right. Every GP practice keeps a record for each patient."},
    "b": {"feedback": "Not quite. Every GP practice keeps a record for each patient too."},
}


@pytest.fixture
def course():
    """A one-module course with no warnings to start from."""
    data = small_course_data()
    data["quizzes"][0]["questions"][0]["options"] = [
        {"id": "a", "text": "Yes", "correct": True, "feedback": FEEDBACK["a"]["feedback"]},
        {"id": "b", "text": "No, never", "correct": False, "feedback": FEEDBACK["b"]["feedback"]},
    ]
    built = validate_data(data)
    assert check_course(built) == []
    return built


def _kinds(course) -> list[WarningKind]:
    return [w.kind for w in check_course(course)]


def _one(course, kind: WarningKind) -> ContentWarning:
    [warning] = [w for w in check_course(course) if w.kind == kind]
    return warning


def test_page_readability_measures_the_plain_text():
    easy, hard = page_readability(EASY), page_readability("## Heading\n\n" + HARD)
    assert easy.easy_enough and easy.short_sentences
    assert easy.words == 17
    assert easy.words_per_sentence == pytest.approx(17 / 3)
    assert not hard.easy_enough
    assert hard.reading_ease < 30
    # each list item is a sentence of its own, so a list is not one long sentence
    listed = page_readability("\n".join(f"- notes about care number {n}" for n in range(10)))
    assert listed.short_sentences


def test_hard_page_text(course):
    assert _kinds(with_page(course, "m1-p1", markdown=EASY)) == []
    warning = _one(with_page(course, "m1-p1", markdown=HARD), WarningKind.READING_EASE)
    assert (warning.module, warning.page, warning.where) == ("m1", "m1-p1", "m1 / m1-p1")
    assert warning.message.startswith("reading ease is ")
    assert "below the target of 60" in warning.message


def test_long_sentences(course):
    assert WarningKind.LONG_SENTENCES not in _kinds(
        with_page(course, "m1-p1", markdown=" ".join(["We keep the notes."] * 7))
    )
    warning = _one(with_page(course, "m1-p1", markdown=LONG_SENTENCE), WarningKind.LONG_SENTENCES)
    assert warning.message == (
        "sentences average 28.0 words, above the target of 20: split the longest ones"
    )


def test_unexplained_abbreviations(course):
    explained = "A secure data environment (SDE) keeps data safe. The SDE checks who asks."
    assert _kinds(with_page(course, "m1-p1", markdown=explained)) == []
    assert _kinds(with_page(course, "m1-p1", markdown="Ask your GP. GPs know.")) == []  # glossary
    warning = _one(
        with_page(course, "m1-p1", markdown="The SDE keeps data safe."), WarningKind.UNKNOWN_TERM
    )
    assert warning.message.startswith("'SDE' is not explained: add it to the glossary")


def test_links_to_terms_not_in_the_glossary(course):
    assert _kinds(with_page(course, "m1-p1", markdown="Ask your [GP](glossary:gp).")) == []
    warning = _one(
        with_page(course, "m1-p1", markdown="Ask your [doctor](glossary:doctor)."),
        WarningKind.UNKNOWN_TERM,
    )
    assert warning.message == "a link goes to glossary term 'doctor', which is not in the glossary"


def test_links_to_pages_not_in_the_course(course):
    assert _kinds(with_page(course, "m1-p1", markdown="See [the next page](page:m1-p2).")) == []
    broken = with_page(course, "m1-p1", markdown="See [this](page:m9-p9) and [that]().")
    messages = [w.message for w in check_course(broken) if w.kind == WarningKind.BROKEN_LINK]
    assert messages == [
        "a link goes to page 'm9-p9', which is not in the course",
        "a link has no address",
    ]


def test_very_long_paragraphs(course):
    sentence = "You can ask to see your notes. "  # 7 words
    lists = "\n".join(f"- {sentence}" for _ in range(20))
    assert WarningKind.LONG_PARAGRAPH not in _kinds(
        with_page(course, "m1-p1", markdown=f"{sentence * 14}\n\n{sentence * 14}\n\n{lists}")
    )
    warning = _one(with_page(course, "m1-p1", markdown=sentence * 15), WarningKind.LONG_PARAGRAPH)
    assert warning.message.startswith("a paragraph has 105 words (more than 100)")


def test_questions_whose_options_share_or_lack_feedback(course):
    assert _kinds(course) == []
    same = {"a": {"feedback": "See page 1."}, "b": {"feedback": "See page 1."}}
    warning = _one(
        with_question(course, "m1-q1", option_updates=same), WarningKind.NO_OPTION_FEEDBACK
    )
    assert (warning.quiz, warning.question, warning.where) == ("m1", "m1-q1", "m1 / m1-q1")
    assert warning.message.startswith("several options share the same feedback")
    bare = with_question(course, "m1-q1", option_updates={"b": {"feedback": "Not quite."}})
    warning = _one(bare, WarningKind.NO_OPTION_FEEDBACK)
    assert warning.message == "option 'b' only says right or wrong: say why, in a sentence"


def _quiz_of(course, right_is_longest: list[bool]):
    question = course.quizzes["m1"].questions[0]
    questions = []
    for n, longest in enumerate(right_is_longest):
        right, wrong = ("Yes, always", "No") if longest else ("Yes", "No, never")
        options = [
            question.options[0].model_copy(update={"text": right}),
            question.options[1].model_copy(update={"text": wrong}),
        ]
        questions.append(question.model_copy(update={"id": f"m1-q{n + 1}", "options": options}))
    return with_quiz(course, "m1", questions=questions)


def test_the_right_answer_being_the_longest_too_often(course):
    quiet = _quiz_of(course, [True, False, False])  # one in three is not more than a third
    assert WarningKind.LONGEST_IS_RIGHT not in _kinds(quiet)
    warning = _one(_quiz_of(course, [True, True, False]), WarningKind.LONGEST_IS_RIGHT)
    assert warning.where == "m1 / quiz"
    assert warning.message.startswith(
        "the right answer is the longest option in 2 of 3 single-answer questions (m1-q1, m1-q2)"
    )


def test_sources_without_a_real_title(course):
    source = {"id": "nhs", "url": "https://www.nhs.uk/your-records/"}
    module = course.modules[0]
    titled = with_module(course, "m1", sources=[*module.sources, _source(source, "NHS website")])
    assert _kinds(titled) == []
    for title in ("https://www.nhs.uk/your-records/", "Link", "click here"):
        untitled = with_module(course, "m1", sources=[_source(source, title)])
        warning = _one(untitled, WarningKind.UNTITLED_SOURCE)
        assert warning.where == "m1"
        assert warning.message.startswith(f"source 'nhs' has no real title ('{title}')")


def _source(data: dict, title: str) -> Source:
    return Source(**data, title=title)


def test_the_shipped_course_has_no_warnings(shipped_course):
    assert [(w.where, w.message) for w in check_course(shipped_course)] == []


def test_every_reflection_in_the_shipped_course_has_a_sample_answer(shipped_course):
    reflections = answered = 0
    for module in shipped_course.modules:
        for page in module.pages:
            reflections += page.markdown.count("::: reflect\n")
            answered += page.html.count('<details class="nhsuk-details app-sample-answer">')
    assert reflections == answered == 29
