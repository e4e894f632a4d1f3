import pytest
from pydantic import ValidationError

from elearn.content.schema import ModuleFile, Question, QuizFile, SurveyItem


def _question(**changes):
    data = {
        "id": "q1",
        "type": "single",
        "text": "Which?",
        "outcome": "lo1",
        "page": "p1",
        "explanation": "Because.",
        "options": [
            {"id": "a", "text": "A", "correct": True, "feedback": "Yes."},
            {"id": "b", "text": "B", "correct": False, "feedback": "No."},
        ],
    }
    data.update(changes)
    return data


def test_a_good_question():
    assert not Question.model_validate(_question()).multiple


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "Extra inputs are not permitted"),
        ({"id": "Q 1"}, "String should match pattern"),
        ({"type": "essay"}, "Input should be"),
        (
            {"options": [{"id": "a", "text": "A", "correct": True, "feedback": "x"}] * 2},
            "option ids must be unique",
        ),
        (
            {
                "options": [
                    {"id": "a", "text": "A", "correct": False, "feedback": "x"},
                    {"id": "b", "text": "B", "correct": False, "feedback": "x"},
                ]
            },
            "at least one option must be correct",
        ),  # fmt: skip
        (
            {
                "options": [
                    {"id": "a", "text": "A", "correct": True, "feedback": "x"},
                    {"id": "b", "text": "B", "correct": True, "feedback": "x"},
                ]
            },
            "exactly one correct option",
        ),  # fmt: skip
        ({"type": "scenario"}, "needs its scenario text"),
        ({"type": "scenario", "scenario": "Pat asks..."}, "needs answer: single or multiple"),
        ({"scenario": "Pat asks..."}, "only scenario questions have scenario text"),
        ({"type": "true-false"}, 'exactly the options "true" and "false"'),
        ({"answer": "multiple"}, "cannot have answer: multiple"),
        ({"options": [{"id": "a", "text": "A", "correct": True}] * 2}, "Field required"),
    ],
)
def test_question_errors(changes, message):
    with pytest.raises(ValidationError, match=message):
        Question.model_validate(_question(**changes))


def test_select_all_and_scenario_multiple_are_multiple():
    both = [
        {"id": "a", "text": "A", "correct": True, "feedback": "x"},
        {"id": "b", "text": "B", "correct": True, "feedback": "x"},
    ]
    assert Question.model_validate(_question(type="multiple", options=both)).multiple
    scenario = _question(type="scenario", scenario="Pat asks.", answer="multiple", options=both)
    assert Question.model_validate(scenario).multiple


def test_quiz_rejects_duplicate_questions_and_big_draw():
    with pytest.raises(ValidationError, match="question ids must be unique"):
        QuizFile.model_validate({"module": "m1", "pass_mark": 80, "questions": [_question()] * 2})
    with pytest.raises(ValidationError, match="draw cannot be more"):
        QuizFile.model_validate(
            {"module": "m1", "pass_mark": 80, "draw": 3, "questions": [_question()]}
        )


def test_module_needs_pages_and_outcomes():
    with pytest.raises(ValidationError) as raised:
        ModuleFile.model_validate(
            {"id": "m1", "title": "T", "summary": "S", "estimated_minutes": 5, "outcomes": [],
             "pages": []}
        )  # fmt: skip
    assert {e["loc"][0] for e in raised.value.errors()} == {"outcomes", "pages"}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"id": "i", "type": "single", "text": "T", "options": []}, "at least two options"),
        ({"id": "i", "type": "likert", "text": "T", "max_chars": 10}, "only free-text"),
        ({"id": "i", "type": "free-text", "text": "T", "max_chars": 5000}, "less than or equal"),
    ],
)
def test_survey_item_errors(item, message):
    with pytest.raises(ValidationError, match=message):
        SurveyItem.model_validate(item)
