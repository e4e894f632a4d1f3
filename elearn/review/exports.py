"""CSV exports for the review area: pseudonymised, consenting learners only.

Every cell that a spreadsheet could read as a formula (starting with =, +, -, @, a tab or a
carriage return) is prefixed with an apostrophe, so text a learner typed cannot run as a formula.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from elearn.content.schema import Course
from elearn.review.service import ItemStats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def quiz_items_csv(course: Course, items: dict[str, dict[str, ItemStats]]) -> str:
    """One row per question: facility, discrimination and the most chosen wrong answer."""
    rows = []
    for module in course.modules:
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        stats = items.get(module.id, {})
        for question in quiz.questions:
            stat = stats.get(question.id)
            if stat is None or stat.answered < 5:
                rows.append([module.id, question.id, question.text, stat.answered if stat and
                             stat.answered == 0 else "fewer than 5", "", "", ""])  # fmt: skip
                continue
            wrong = ""
            if stat.common_wrong:
                wrong = "; ".join(o.text for o in question.options if o.id in stat.common_wrong)
            rows.append(
                [module.id, question.id, question.text, stat.answered, stat.facility,
                 "" if stat.discrimination is None else stat.discrimination, wrong]
            )  # fmt: skip
    return to_csv(
        ["module", "question_id", "question", "first_attempts", "facility", "discrimination",
         "most_chosen_wrong_answer"],
        rows,
    )  # fmt: skip
