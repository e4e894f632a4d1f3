"""The shipped survey files: valid, the right items for before/after pairing, plain English."""

import re
import shutil

import pytest
import textstat

from elearn.config import ROOT
from elearn.content.loader import ContentInvalid, load_course
from elearn.feedback.items import required_message
from elearn.feedback.presenters import survey_pages

COURSE = load_course(ROOT)
SURVEYS = {s.id: s for s in COURSE.surveys}
OUTCOMES = [o.id for m in COURSE.modules for o in m.outcomes]
MODULE_SURVEYS = [f"after-{m.id}" for m in COURSE.modules]


def test_one_survey_at_the_start_after_each_module_and_at_the_end():
    assert set(SURVEYS) == {
        "baseline", "end-of-course", "what-got-in-the-way", "follow-up", *MODULE_SURVEYS
    }  # fmt: skip
    assert SURVEYS["what-got-in-the-way"].trigger == "stuck"
    assert SURVEYS["follow-up"].trigger == "follow-up"
    assert SURVEYS["baseline"].trigger == "after-registration"
    assert SURVEYS["end-of-course"].trigger == "after-course"
    for module in COURSE.modules:
        survey = SURVEYS[f"after-{module.id}"]
        assert (survey.trigger, survey.module) == ("after-module", module.id)


def test_the_baseline_is_short_a_knowledge_check_then_confidence_with_not_sure():
    baseline = SURVEYS["baseline"]
    assert len(baseline.items) <= 12
    assert all(len(page) <= 6 for page in survey_pages(baseline))
    knowledge = [i for i in baseline.items if i.knowledge]
    assert 6 <= len(knowledge) <= 8
    assert all(any(o.id == "not-sure" for o in i.options) for i in knowledge)
    confidence = [i for i in baseline.items if not i.knowledge]
    assert confidence and all(i.type == "likert" and i.not_sure for i in confidence)
    assert {i.outcome for i in confidence} <= set(OUTCOMES)
    assert all(i.required for i in baseline.items)


def test_the_knowledge_check_is_not_a_quiz_question():
    quiz_texts = {q.text for quiz in COURSE.quizzes.values() for q in quiz.questions}
    for item in SURVEYS["baseline"].items:
        assert item.text not in quiz_texts


def test_the_end_of_course_survey_repeats_the_baseline_items_for_pairing():
    baseline = [(i.id, i.outcome, i.text, i.options) for i in SURVEYS["baseline"].items]
    end = SURVEYS["end-of-course"].items
    assert [(i.id, i.outcome, i.text, i.options) for i in end][: len(baseline)] == baseline
    rest = {i.id: i for i in end[len(baseline) :]}
    assert rest["usefulness"].type == "rating"
    assert rest["recommend"].type == "single"
    assert any(i.type == "free-text" for i in rest.values())


@pytest.mark.parametrize("survey_id", MODULE_SURVEYS)
def test_each_module_survey_asks_the_same_eight_things(survey_id):
    items = {i.id: i for i in SURVEYS[survey_id].items}
    assert {k: (v.type, v.required) for k, v in items.items()} == {
        "clarity": ("likert", True),
        "easy-to-follow": ("likert", True),
        "balance": ("likert", True),
        "relevance": ("likert", True),
        "length": ("single", True),
        "confidence": ("likert", True),
        "what-worked": ("free-text", False),
        "what-to-change": ("free-text", False),
    }
    assert [o.text for o in items["length"].options] == ["Too short", "About right", "Too long"]
    assert items["what-worked"].max_chars == items["what-to-change"].max_chars == 1000


def _texts(survey) -> list[str]:
    texts = [survey.title, survey.description]
    for item in survey.items:
        texts += [item.text, item.hint or ""] + [o.text for o in item.options]
    return [t for t in texts if t]


@pytest.mark.parametrize("survey", COURSE.surveys, ids=[s.id for s in COURSE.surveys])
def test_plain_english(survey):
    sentences = [t if t[-1] in ".?!" else t + "." for t in _texts(survey)]
    text = " ".join(sentences)
    assert textstat.flesch_reading_ease(text) >= 70, survey.id
    assert textstat.flesch_kincaid_grade(text) <= 7, survey.id  # about a reading age of 11
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        assert len(sentence.split()) <= 25, sentence
    assert "&" not in text


@pytest.mark.parametrize("survey", COURSE.surveys, ids=[s.id for s in COURSE.surveys])
def test_every_required_item_gets_a_message_in_our_words(survey):
    for item in survey.items:
        if item.required:
            message = required_message(item)
            assert message.startswith(("Select how", "Select whether", "Select a")), message
            assert " I " not in f" {message} " and " my " not in f" {message} ", message


def test_an_unknown_outcome_in_a_survey_is_reported(tmp_path):
    for name in ("modules", "quizzes", "surveys"):
        shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / "surveys" / "end-of-course.yaml"
    path.write_text(path.read_text().replace("outcome: m2-lo2", "outcome: m2-lo9", 1))
    with pytest.raises(ContentInvalid) as raised:
        load_course(tmp_path)
    (problem,) = [str(p) for p in raised.value.problems]
    assert problem.startswith("surveys/end-of-course.yaml:")
    assert problem.endswith("item 'confidence-m2-lo2': unknown outcome 'm2-lo9'")
