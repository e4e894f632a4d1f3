"""The shipped course text against the content brief's rules."""

import re

import pytest

from elearn.config import ROOT
from elearn.content.checks import page_readability, text_readability
from elearn.content.loader import load_course

COURSE = load_course(ROOT)
PAGES = [(m.id, p) for m in COURSE.modules for p in m.pages]
PERSONAS = ("Pat", "Amina", "Grace", "Kieran")


@pytest.mark.parametrize(("module_id", "page"), PAGES, ids=[p.id for _, p in PAGES])
def test_every_page_is_plain_english(module_id, page):
    readability = page_readability(page.markdown)
    assert readability.easy_enough, (page.id, readability)
    assert readability.short_sentences, (page.id, readability)


@pytest.mark.parametrize(("module_id", "page"), PAGES, ids=[p.id for _, p in PAGES])
def test_no_sentence_over_25_words_and_no_ampersands(module_id, page):
    for sentence in re.split(r"(?<=[.?!:])\s+", page.text):
        assert len(sentence.split()) <= 25, f"{page.id}: {sentence}"
    assert "&" not in page.markdown, page.id


DECISIONS = [d for _, p in PAGES for d in p.decisions]


@pytest.mark.parametrize("decision", DECISIONS, ids=[d.id for d in DECISIONS])
def test_every_decision_point_is_plain_english(decision):
    parts = [decision.situation, decision.question]
    parts += [f"{c.text} {c.feedback}" for c in decision.choices]
    text = " ".join(parts)
    readability = text_readability(text)
    assert readability.easy_enough and readability.short_sentences, (decision.id, readability)
    assert "&" not in text, decision.id


def test_every_module_has_a_decision_point_and_one_puts_a_mistake_right():
    for module in COURSE.modules:
        assert any(p.decisions for p in module.pages), module.id
    recoveries = [
        d
        for d in DECISIONS
        if "got something wrong" in " ".join(c.text for c in d.choices if c.best)
    ]
    assert recoveries, "a decision point where the guide gets it wrong and recovers"


@pytest.mark.parametrize("handout", COURSE.handouts, ids=[h.id for h in COURSE.handouts])
def test_every_handout_is_plain_english(handout):
    readability = text_readability(handout.text)
    assert readability.easy_enough and readability.short_sentences, (handout.id, readability)
    assert "&" not in handout.markdown, handout.id


def test_each_persona_has_a_printable_deliverable():
    made_for = {h.persona for h in COURSE.handouts}
    assert made_for == set(PERSONAS)
    titles = " ".join(h.title for h in COURSE.handouts)
    for wanted in ("3-minute talk and handout", "quick-reference card", "ready to translate",
                   "phone script"):  # fmt: skip
        assert wanted in titles


def test_one_bibliography_every_source_cited_and_no_unrecorded_checks():
    ids = [s.id for s in COURSE.bibliography]
    assert len(ids) == len(set(ids))
    cited = {s for m in COURSE.modules for p in m.pages for s in p.sources}
    assert cited <= set(ids)
    for source in COURSE.bibliography:
        assert (source.checked_by is None) == (source.checked_on is None), source.id
        for note in ("check against", "mirror", "seed page"):
            assert note not in source.title.lower(), source.id


def test_every_module_offers_sample_answers_to_compare_with():
    for module in COURSE.modules:
        samples = sum(p.markdown.count("::: sample-answer") for p in module.pages)
        assert samples >= 2, module.id


def test_four_modules_of_six_to_nine_pages_ending_with_a_recap():
    assert len(COURSE.modules) == 4
    for module in COURSE.modules:
        assert 6 <= len(module.pages) <= 9, module.id
        assert "recap" in module.pages[-1].title.lower() or "key points" in (
            module.pages[-1].title.lower()
        ), module.id
        assert module.outcomes and module.sources, module.id


def test_each_module_has_two_persona_scenarios():
    for module in COURSE.modules:
        scenarios = re.findall(
            r"^::: case-study (.*)$", "\n".join(p.markdown for p in module.pages), re.M
        )
        with_persona = [s for s in scenarios if any(name in s for name in PERSONAS)]
        bodies = "\n".join(p.markdown for p in module.pages)
        assert len(scenarios) >= 2, module.id
        assert len(with_persona) >= 2 or sum(name in bodies for name in PERSONAS) >= 2, module.id


def test_glossary_has_30_terms_linked_from_pages():
    assert len(COURSE.glossary) >= 30
    linked = set(re.findall(r"\(glossary:([a-z0-9-]+)\)", " ".join(p.markdown for _, p in PAGES)))
    assert len(linked) >= 20
    assert linked <= {t.id for t in COURSE.glossary}


def test_every_page_names_its_sources():
    for module in COURSE.modules:
        for page in module.pages[:-1]:  # the recap repeats earlier pages
            assert page.sources, page.id


def test_each_quiz_asks_8_to_12_questions_covering_every_outcome():
    for module in COURSE.modules:
        quiz = COURSE.quizzes[module.id]
        assert 8 <= (quiz.draw or len(quiz.questions)) <= 12, module.id
        assert len(quiz.questions) <= 24, module.id
        assert {q.outcome for q in quiz.questions} == {o.id for o in module.outcomes}


WORDS_A_MINUTE = 150  # a careful reader of plain English


def test_estimated_minutes_match_the_measured_time():
    """Reading the pages and decision points, plus a minute a quiz question and a decision."""
    for module in COURSE.modules:
        words = sum(len(p.text.split()) for p in module.pages)
        decisions = [d for p in module.pages for d in p.decisions]
        words += sum(
            len(f"{d.situation} {' '.join(c.text + ' ' + c.feedback for c in d.choices)}".split())
            for d in decisions
        )
        quiz = COURSE.quizzes[module.id]
        measured = words / WORDS_A_MINUTE + (quiz.draw or len(quiz.questions)) + len(decisions)
        assert abs(module.estimated_minutes - measured) <= 0.2 * measured, (module.id, measured)
