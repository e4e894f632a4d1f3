"""Survey items: stored values, display text, and messages that name the item."""

import pytest

from elearn.content.schema import SurveyItem
from elearn.feedback import items

OPTIONS = [
    {"id": "a", "text": "Apples"},
    {"id": "b", "text": "Bread <b>"},
    {"id": "c", "text": "C"},
]


def _item(type_="likert", text="The module was clear.", required=True, **fields) -> SurveyItem:
    if type_ in ("single", "multiple") and "options" not in fields:
        fields["options"] = OPTIONS
    return SurveyItem(id="x", type=type_, text=text, required=required, **fields)


@pytest.mark.parametrize(
    ("type_", "text", "message"),
    [
        ("likert", "The module was clear.", "Select how much you agree that the module was clear"),
        (
            "likert",
            "I can name the Five Safes.",
            "Select how much you agree that you can name the Five Safes",
        ),
        (
            "likert",
            "My role needs this and it helps me.",
            "Select how much you agree that your role needs this and it helps you",
        ),
        ("likert", "I am ready.", "Select how much you agree that you are ready"),
        (
            "likert",
            "NHS staff will find this useful.",
            "Select how much you agree that NHS staff will find this useful",
        ),
        ("single", "How long was the module?", "Select how long the module was"),
        ("rating", "How useful was this course?", "Select how useful this course was"),
        (
            "single",
            "Would you recommend this course?",
            "Select whether you would recommend this course",
        ),
        ("single", "Pick a lunch", "Select an answer to “Pick a lunch”"),
        ("multiple", "Which did you use?", "Select at least one answer to “Which did you use?”"),
        ("free-text", "What worked well?", "Enter your answer to “What worked well?”"),
    ],
)
def test_required_message_names_the_item(type_, text, message):
    assert items.required_message(_item(type_, text)) == message


def test_too_long_message_gives_the_limit_and_the_length():
    item = _item("free-text", "What worked well?", max_chars=500)
    assert items.too_long_message(item, 1234) == (
        "Your answer to “What worked well?” must be 500 characters or fewer. You entered 1,234."
    )
    assert items.limit(_item("free-text", "Anything else?")) == items.FREE_TEXT_LIMIT


@pytest.mark.parametrize(
    ("type_", "answer", "stored"),
    [
        ("likert", "5", "5"),
        ("likert", "", None),
        ("likert", None, None),
        ("rating", "1", "1"),
        ("single", "b", "b"),
        ("multiple", ["c", "a"], "a,c"),  # in the item's order
        ("multiple", [], None),
        ("multiple", "b", "b"),
        ("free-text", "  two\r\nlines  ", "two\nlines"),
        ("free-text", "   ", None),
        ("free-text", "<script>x</script>", "<script>x</script>"),
    ],
)
def test_stored_value(type_, answer, stored):
    assert items.stored_value(_item(type_), answer) == stored


@pytest.mark.parametrize(
    ("type_", "answer"),
    [("likert", "6"), ("rating", "0"), ("single", "z"), ("multiple", ["a", "z"]), ("single", 3)],
)
def test_an_answer_not_in_the_item_is_refused(type_, answer):
    with pytest.raises(ValueError):
        items.stored_value(_item(type_), answer)


def test_answer_text_and_form_value_round_trip():
    multiple = _item("multiple")
    assert items.answer_text(multiple, "a,b") == "Apples; Bread <b>"
    assert items.form_value(multiple, "a,b") == ["a", "b"]
    assert items.form_value(multiple, None) == []
    assert items.answer_text(_item("likert"), "3") == "Neither agree nor disagree"
    assert items.answer_text(_item("rating"), "5") == "5 (highest)"
    assert items.answer_text(_item("free-text"), "As typed") == "As typed"
    assert items.answer_text(_item("likert"), None) is None


def test_scales():
    assert [label for _, label in items.scale(_item("likert"))] == [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree",
    ]  # fmt: skip
    assert [value for value, _ in items.scale(_item("rating"))] == ["1", "2", "3", "4", "5"]
    assert items.scale(_item("free-text")) == []
