"""Survey items: their answer scales, how answers are stored as text, and the plain-English
messages that name an item when its answer is missing or too long."""

import re

from elearn.config import FREE_TEXT_LIMIT
from elearn.content.schema import LIKERT_SCALE, SurveyItem

RATING_SCALE = [
    ("1", "1 (lowest)"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 (highest)"),
]
# Free text with no max_chars in its file: the schema's own upper bound.
PAGE_COMMENT_LIMIT = 1000
SEPARATOR = ","  # between option ids in a multiple-choice answer (ids never hold a comma)


NOT_SURE = ("not-sure", "Not sure")  # stored as "not-sure": never counted as a scale point


def scale(item: SurveyItem) -> list[tuple[str, str]]:
    """The (id, label) pairs a learner chooses from; empty for free text."""
    if item.type == "likert":
        return [*LIKERT_SCALE, NOT_SURE] if item.not_sure else list(LIKERT_SCALE)
    if item.type == "rating":
        return list(RATING_SCALE)
    return [(o.id, o.text) for o in item.options]


def limit(item: SurveyItem) -> int:
    return item.max_chars or FREE_TEXT_LIMIT


def normalise_text(text: str | None) -> str:
    """Browsers send new lines as CRLF; count and keep them as one character each."""
    return (text or "").replace("\r\n", "\n").strip()


def stored_value(item: SurveyItem, answer) -> str | None:
    """An answer as stored: None when not answered; ValueError for an id not in the item."""
    if item.type == "free-text":
        text = normalise_text(answer if isinstance(answer, str) else None)
        return text or None
    ids = {choice for choice, _ in scale(item)}
    if item.type == "multiple":
        chosen = [answer] if isinstance(answer, str) else list(answer or [])
        chosen = [c for c in chosen if c]
        if not chosen:
            return None
        if not set(chosen) <= ids:
            raise ValueError(f"unknown option for item {item.id!r}")
        return SEPARATOR.join(choice for choice, _ in scale(item) if choice in chosen)
    if answer in (None, ""):
        return None
    if not isinstance(answer, str) or answer not in ids:
        raise ValueError(f"unknown option for item {item.id!r}")
    return answer


def form_value(item: SurveyItem, value: str | None):
    """A stored answer back as form data: a list for multiple choice, else the string."""
    if item.type == "multiple":
        return value.split(SEPARATOR) if value else []
    return value


def answer_text(item: SurveyItem, value: str | None) -> str | None:
    """A stored answer as the learner saw it: labels for choices, the text itself otherwise."""
    if not value:
        return None
    if item.type == "free-text":
        return value
    labels = dict(scale(item))
    return "; ".join(labels.get(choice, choice) for choice in value.split(SEPARATOR))


_FIRST_PERSON = [
    (r"\bI am\b", "you are"),
    (r"\bI'm\b", "you're"),
    (r"\bI was\b", "you were"),
    (r"\bI\b", "you"),
    (r"\b[Mm]yself\b", "yourself"),
    (r"\b[Mm]ine\b", "yours"),
    (r"\b[Mm]y\b", "your"),
    (r"\b[Mm]e\b", "you"),
]


def _second_person(text: str) -> str:
    """Turn the learner's own words ("I can ...", "my role") into ours ("you can", "your")."""
    for pattern, replacement in _FIRST_PERSON:

        def replace(m: re.Match[str], r: str = replacement) -> str:
            return r.capitalize() if m.start() == 0 else r

        text = re.sub(pattern, replace, text)
    return text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an abbreviation such as "NHS"
        return text
    return text[:1].lower() + text[1:]


def required_message(item: SurveyItem) -> str:
    """The error for a required item left empty, naming the item in its own words.

    "The module was clear." gives "Select how much you agree that the module was clear";
    "How long was the module?" gives "Select how long the module was"; "Would you recommend
    ...?" gives "Select whether you would recommend ...". Other wording is quoted as it is.
    """
    text = item.text.strip().rstrip("?.!: ")
    verb = "Enter" if item.type == "free-text" else "Select"
    if item.type == "likert":
        return f"Select how much you agree that {_lower_first(_second_person(text))}"
    if item.type != "multiple":
        if match := re.fullmatch(r"How (\w+) (was|were|is|are) ([^,;]+)", text):
            adjective, be, subject = match.groups()
            return f"{verb} how {adjective} {_second_person(subject)} {be}"
        if match := re.fullmatch(r"(Would|Could|Will|Can|Should) you (.+)", text):
            return f"{verb} whether you {match[1].lower()} {match[2]}"
    if item.type == "free-text":
        return f"Enter your answer to “{item.text.strip()}”"
    if item.type == "multiple":
        return f"Select at least one answer to “{item.text.strip()}”"
    return f"Select an answer to “{item.text.strip()}”"


def too_long_message(item: SurveyItem, length: int) -> str:
    """The error for free text over the item's limit: refused, never cut."""
    return (
        f"Your answer to “{item.text.strip()}” must be {limit(item):,} characters or fewer. "
        f"You entered {length:,}."
    )


def comment_too_long_message(length: int) -> str:
    return (
        f"Your comment must be {PAGE_COMMENT_LIMIT:,} characters or fewer. You entered {length:,}."
    )
