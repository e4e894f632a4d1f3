"""CSV exports for the review area: pseudonymised, consenting learners only.

Every cell that a spreadsheet could read as a formula (starting with =, +, -, @, a tab or a
carriage return) is prefixed with an apostrophe, so text a learner typed cannot run as a formula.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.schema import Course
from elearn.feedback import items
from elearn.review.presenters import pseudonym
from elearn.review.service import SMALL, ItemStats

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


def _date(moment) -> str:
    return f"{moment:%Y-%m-%d}" if moment else ""


def survey_responses_csv(course: Course, rows: Iterable[Sequence]) -> Iterator[str]:
    """One row per submitted answer: the stored value and the answer as the learner saw it."""
    found = {(s.id, i.id): i for s in course.surveys for i in s.items}
    names: dict[int, str] = {}

    def lines():
        for user_id, survey_id, item_id, value, submitted_at, role, cohort in rows:
            item = found.get((survey_id, item_id))
            name = names.setdefault(user_id, pseudonym(user_id))
            yield [name, survey_id, item_id, item.text if item else "", value,
                   items.answer_text(item, value) if item else value, _date(submitted_at),
                   COMMUNITY_ROLES.get(role or "", ""), cohort or ""]  # fmt: skip

    return iter_csv(
        ["learner", "survey", "item", "question", "value", "answer", "submitted",
         "community_role", "cohort"],
        lines(),
    )  # fmt: skip


def page_feedback_csv(course: Course, rows: Iterable[Sequence]) -> Iterator[str]:
    """One row per learner per page: helpful yes or no and the comment."""
    titles = {p.id: p.title for m in course.modules for p in m.pages}
    names: dict[int, str] = {}

    def lines():
        for user_id, module_id, page_id, helpful, comment, updated_at, role, cohort in rows:
            name = names.setdefault(user_id, pseudonym(user_id))
            yield [name, module_id, page_id, titles.get(page_id, ""), "yes" if helpful else "no",
                   comment or "", _date(updated_at), COMMUNITY_ROLES.get(role or "", ""),
                   cohort or ""]  # fmt: skip

    return iter_csv(
        ["learner", "module", "page_id", "page", "helpful", "comment", "updated",
         "community_role", "cohort"],
        lines(),
    )  # fmt: skip


def quiz_items_csv(course: Course, items: dict[str, dict[str, ItemStats]]) -> str:
    """One row per question: facility, discrimination and the most chosen wrong answer."""
    rows: list[list[str | int | float]] = []
    for module in course.modules:
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        stats = items.get(module.id, {})
        for question in quiz.questions:
            stat = stats.get(question.id)
            if stat is None or stat.answered < SMALL:
                shown = 0 if stat is not None and stat.answered == 0 else f"fewer than {SMALL}"
                rows.append([module.id, question.id, question.text, shown, "", "", ""])
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
