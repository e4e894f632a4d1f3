import pytest

from elearn.content.schema import Question
from elearn.quiz.scoring import is_correct, score


def _q(qid, correct_ids, kind="single", ids=("a", "b", "c", "d")):
    return Question.model_validate(
        {
            "id": qid,
            "type": kind,
            "text": "?",
            "outcome": "lo",
            "page": "p",
            "explanation": "x",
            "options": [
                {"id": i, "text": i, "correct": i in correct_ids, "feedback": "f"} for i in ids
            ],
        }
    )


SINGLE = _q("s", {"b"})
MULTI = _q("m", {"a", "c"}, "multiple")


@pytest.mark.parametrize(
    ("question", "chosen", "expected"),
    [
        (SINGLE, ["b"], True),
        (SINGLE, ["a"], False),
        (SINGLE, [], False),
        (SINGLE, ["b", "a"], False),  # a tampered form with two answers to a single question
        (MULTI, ["a", "c"], True),
        (MULTI, ["c", "a"], True),  # order does not matter
        (MULTI, ["a"], False),  # one missed
        (MULTI, ["a", "c", "d"], False),  # one extra
        (MULTI, ["a", "b", "c", "d"], False),  # ticking everything never scores
        (MULTI, [], False),
    ],
)
def test_is_correct(question, chosen, expected):
    assert is_correct(question, chosen) is expected


def test_score_counts_marks_and_unanswered_questions():
    result = score([SINGLE, MULTI], {"s": ["b"]}, pass_mark=80)
    assert result.correct == {"s": True, "m": False}
    assert (result.raw, result.maximum, result.percent) == (1, 2, 50)
    assert not result.passed


@pytest.mark.parametrize(
    ("raw", "maximum", "pass_mark", "passed"),
    [(4, 5, 80, True), (3, 5, 80, False), (8, 10, 80, True), (7, 9, 80, False),
     (10, 10, 100, True), (9, 10, 100, False), (0, 10, 1, False), (1, 3, 33, True)],
)  # fmt: skip
def test_pass_mark_boundaries(raw, maximum, pass_mark, passed):
    questions = [_q(f"q{i}", {"a"}) for i in range(maximum)]
    answers = {f"q{i}": ["a"] for i in range(raw)}
    assert score(questions, answers, pass_mark).passed is passed


def test_empty_quiz_scores_zero_percent():
    assert score([], {}, 80).percent == 0
