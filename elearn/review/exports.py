"""CSV exports for the review area: pseudonymised, consenting learners only.

Aggregate exports give the same protected figures as the pages (``elearn.review.disclosure``).
Row-level exports (survey answers, page feedback) give each learner's full 64-bit pseudonym and
no cohort, community role or exact date (only the month); the view refuses them when the chosen
group is too small to show.

Every cell that a spreadsheet could read as a formula (starting with =, +, -, @, a tab or a
carriage return) is prefixed with an apostrophe, so text a learner typed cannot run as a formula.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from elearn.content.schema import Course
from elearn.feedback import items
from elearn.review.presenters import HIDDEN, Shown, knowledge_items, pseudonym
from elearn.review.service import ItemStats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def iter_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text in chunks of up to 500 rows, every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for n, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    return "".join(iter_csv(header, rows))


def _month(moment) -> str:
    return f"{moment:%Y-%m}" if moment else ""


def _knowledge_marks(course: Course) -> dict[tuple[str, str], str]:
    """The knowledge check's items in the start and end surveys, each with its right option
    (as the learning gain counts them: presenters.knowledge_items)."""
    found = knowledge_items(course)
    if found is None:
        return {}
    baseline, end, right = found
    return {
        (survey.id, item): option for survey in (baseline, end) for item, option in right.items()
    }


def survey_responses_csv(course: Course, rows: Iterable[Sequence]) -> Iterator[str]:
    """One row per submitted answer: the stored value and the answer as the learner saw it.
    Knowledge-check answers are marked right or not right, so the learning gain can be
    worked out per pseudonym from the same rows; other answers leave that column empty."""
    found = {(s.id, i.id): i for s in course.surveys for i in s.items}
    marks = _knowledge_marks(course)
    names: dict[int, str] = {}

    def lines():
        for user_id, survey_id, item_id, value, submitted_at in rows:
            item = found.get((survey_id, item_id))
            name = names.setdefault(user_id, pseudonym(user_id))
            answer = items.answer_text(item, value) if item else value
            right = marks.get((survey_id, item_id))
            mark = "" if right is None else ("right" if value == right else "not right")
            yield [name, survey_id, item_id, item.text if item else "", value, answer, mark,
                   _month(submitted_at)]  # fmt: skip

    return iter_csv(
        ["learner", "survey", "item", "question", "value", "answer", "knowledge_check",
         "submitted_month"],
        lines(),
    )  # fmt: skip


def page_feedback_csv(course: Course, rows: Iterable[Sequence]) -> Iterator[str]:
    """One row per learner per page: helpful yes or no and the comment."""
    titles = {p.id: p.title for m in course.modules for p in m.pages}
    names: dict[int, str] = {}

    def lines():
        for user_id, module_id, page_id, helpful, comment, updated_at in rows:
            name = names.setdefault(user_id, pseudonym(user_id))
            yield [name, module_id, page_id, titles.get(page_id, ""), "yes" if helpful else "no",
                   comment or "", _month(updated_at)]  # fmt: skip

    return iter_csv(
        ["learner", "module", "page_id", "page", "helpful", "comment", "updated_month"], lines()
    )


def quiz_items_csv(
    course: Course, shown: Shown, stats: dict[str, dict[str, ItemStats]], small: int
) -> str:
    """One row per question: first attempts, facility, discrimination and the most chosen wrong
    answer, from the same protected figures as the quizzes page."""
    rows: list[list[str | int | float]] = []
    for module in course.modules:
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        for question in quiz.questions:
            stat = stats.get(module.id, {}).get(question.id)
            answered, right = shown[("answered", question.id)], shown[("right", question.id)]
            if stat is None or not answered or right is None:
                rows.append([module.id, question.id, question.text,
                             HIDDEN if answered is None else answered, HIDDEN, "", ""])  # fmt: skip
                continue
            wrong = ""
            common = shown[("common-wrong", question.id)]
            if stat.common_wrong and common:
                wrong = "; ".join(o.text for o in question.options if o.id in stat.common_wrong)
            discrimination: str | float = ""
            if stat.discrimination is not None and min(stat.upper, stat.lower) >= small:
                discrimination = stat.discrimination
            rows.append(
                [module.id, question.id, question.text, answered, round(right / answered, 2),
                 discrimination, wrong]
            )  # fmt: skip
    return to_csv(
        ["module", "question_id", "question", "first_attempts", "facility", "discrimination",
         "most_chosen_wrong_answer"],
        rows,
    )  # fmt: skip
