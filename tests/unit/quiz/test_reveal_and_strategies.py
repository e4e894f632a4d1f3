"""Quizzes measure reading: answers are shown only when they can no longer be copied into the
next attempt, and no strategy that ignores the text passes a module."""

import math

import pytest

from elearn.config import ROOT
from elearn.content.loader import load_course
from elearn.quiz.presenters import reveals_answers

COURSE = load_course(ROOT)


@pytest.mark.parametrize(
    ("passed", "left", "reveal"),
    [
        (False, None, False),
        (False, 2, False),
        (False, 0, True),
        (True, None, True),
        (True, 1, True),
    ],
)
def test_answers_come_with_a_pass_or_after_the_last_attempt(passed, left, reveal):
    assert reveals_answers(passed, left) is reveal


def _longest(question):
    return max(question.options, key=lambda o: len(o.text))


def _shortest(question):
    return min(question.options, key=lambda o: len(o.text))


STRATEGIES = {
    "always the longest option": _longest,
    "always the shortest option": _shortest,
    "always the first option": lambda q: q.options[0],
    "always the last option": lambda q: q.options[-1],
}


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("module_id", sorted(COURSE.quizzes))
def test_no_strategy_that_ignores_the_text_can_pass(module_id, strategy):
    """Even a draw made only of the questions the strategy gets right cannot reach the pass mark:
    the pool holds fewer of them than a pass needs."""
    quiz = COURSE.quizzes[module_id]
    pick = STRATEGIES[strategy]
    asked = quiz.draw or len(quiz.questions)
    needed = math.ceil(quiz.pass_mark * asked / 100)
    right = [q.id for q in quiz.questions if {pick(q).id} == {o.id for o in q.options if o.correct}]
    assert len(right) < needed, f"{module_id}: {strategy} is right on {right}"


def test_options_are_shuffled_so_first_on_screen_is_chance():
    for quiz in COURSE.quizzes.values():
        assert quiz.shuffle_options, quiz.module


@pytest.mark.parametrize("module_id", sorted(COURSE.quizzes))
def test_pools_of_at_least_16_with_10_drawn_and_two_questions_an_outcome(module_id):
    quiz = COURSE.quizzes[module_id]
    assert len(quiz.questions) >= 16 and quiz.draw == 10
    module = next(m for m in COURSE.modules if m.id == module_id)
    for outcome in module.outcomes:
        asking = [q.id for q in quiz.questions if q.outcome == outcome.id]
        assert len(asking) >= 2, (outcome.id, asking)
