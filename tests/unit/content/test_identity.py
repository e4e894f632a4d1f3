"""A question whose options or right answer change needs a new id."""

import pytest

from elearn.content.identity import changed_meaning, suggest_question_id
from tests.helpers import with_question


def _question(course, question_id):
    return next(
        q for quiz in course.quizzes.values() for q in quiz.questions if q.id == question_id
    )


def test_an_unchanged_course_keeps_its_meaning(shipped_course):
    assert changed_meaning(shipped_course, shipped_course.model_copy()) == []


@pytest.mark.parametrize(
    "change",
    [
        {"text": "Which of these is private?"},
        {"explanation": "A new explanation."},
    ],
    ids=["question-text", "explanation"],
)
def test_rewording_the_question_keeps_its_id(shipped_course, change):
    assert changed_meaning(shipped_course, with_question(shipped_course, "m1-q3", **change)) == []


def test_changing_feedback_keeps_its_id(shipped_course):
    question = _question(shipped_course, "m1-q3")
    updates = {o.id: {"feedback": "Have another look."} for o in question.options}
    new = with_question(shipped_course, "m1-q3", option_updates=updates)
    assert changed_meaning(shipped_course, new) == []


def test_a_new_right_answer_under_the_same_id_is_a_problem(shipped_course):
    question = _question(shipped_course, "m1-q3")
    right = next(o.id for o in question.options if o.correct)
    wrong = next(o.id for o in question.options if not o.correct)
    new = with_question(
        shipped_course,
        "m1-q3",
        option_updates={right: {"correct": False}, wrong: {"correct": True}},
    )
    [problem] = changed_meaning(shipped_course, new)
    assert problem.path == "quizzes/m1.yaml"
    assert str(problem) == (
        "quizzes/m1.yaml: questions: question 'm1-q3': the right answer changed. A question that"
        " means something different needs a new id, so answers to the two versions are never"
        " mixed: use 'm1-q3-r2', or undo the change."
    )


def test_option_text_and_options_added_or_removed_are_problems(shipped_course):
    question = _question(shipped_course, "m1-q1")  # four options, several right
    extra = question.options[-1].model_copy(update={"id": "e"})
    options = [question.options[0].model_copy(update={"text": "Your notes"}), *question.options[2:]]
    new = with_question(shipped_course, "m1-q1", options=[*options, extra])
    [problem] = changed_meaning(shipped_course, new)
    assert (
        "question 'm1-q1': option 'e' added; option 'b' removed; the text of option 'a' changed;"
        " the right answer changed." in problem.message
    )


def test_moving_options_keeps_the_meaning(shipped_course):
    question = _question(shipped_course, "m1-q1")
    new = with_question(shipped_course, "m1-q1", options=list(reversed(question.options)))
    assert changed_meaning(shipped_course, new) == []


def test_a_changed_question_under_a_new_id_is_fine(shipped_course):
    question = _question(shipped_course, "m1-q3")
    options = [o.model_copy(update={"text": o.text + " (new)"}) for o in question.options]
    new = with_question(shipped_course, "m1-q3", id="m1-q3-r2", options=options)
    assert changed_meaning(shipped_course, new) == []


def test_suggested_ids_skip_those_taken(shipped_course):
    assert suggest_question_id(shipped_course, "m1-q3") == "m1-q3-r2"
    renamed = with_question(shipped_course, "m1-q4", id="m1-q3-r2")
    assert suggest_question_id(renamed, "m1-q3") == "m1-q3-r3"
    assert suggest_question_id(renamed, "m1-q3-r2") == "m1-q3-r3"
    assert suggest_question_id(shipped_course, "m1-q3", taken={"m1-q3-r2"}) == "m1-q3-r3"


def test_the_suggestion_skips_ids_used_before(shipped_course):
    question = _question(shipped_course, "m1-q3")
    wrong = [o for o in question.options if not o.correct]
    new = with_question(
        shipped_course, "m1-q3", options=[o for o in question.options if o != wrong[0]]
    )
    [problem] = changed_meaning(shipped_course, new, taken={"m1-q3-r2"})
    assert "option '" + wrong[0].id + "' removed" in problem.message
    assert "use 'm1-q3-r3'" in problem.message
