"""Review figures as table rows, chart inputs and plain-English summaries."""

import hashlib
import hmac

from flask import current_app

from elearn.content.schema import Course
from elearn.review import charts
from elearn.review.service import ItemStats, suppress

SUPPRESSED = "fewer than 5"


def show(count: int | None) -> str:
    return SUPPRESSED if count is None else str(count)


def pseudonym(user_id: int) -> str:
    """A stable code for a learner that reveals nothing about them ("Learner 7F3A2C")."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"learner:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"Learner {digest[:6].upper()}"


def funnel_view(course: Course, registered: int | None, rows: dict) -> dict:
    labels, values, table = ["Registered"], [registered], []
    for n, module in enumerate(course.modules, start=1):
        row = rows.get(module.id)
        started = row.started if row else 0
        completed = row.completed if row else 0
        labels += [f"Module {n} started", f"Module {n} completed"]
        values += [started, completed]
        table.append([{"text": f"Module {n}: {module.title}"}, {"text": show(started)},
                      {"text": show(completed)}])  # fmt: skip
    summary = (
        "Too few learners in this group to show figures."
        if registered is None
        else f"{registered} consenting learners registered. "
        + " ".join(
            f"Module {n}: {show(rows[m.id].started if m.id in rows else 0)} started, "
            f"{show(rows[m.id].completed if m.id in rows else 0)} completed."
            for n, m in enumerate(course.modules, start=1)
        )
    )
    chart = charts.horizontal_bars(labels, values, "Learners") if registered is not None else None
    return {"chart": chart, "summary": summary, "rows": table, "registered": show(registered)}


def time_view(course: Course, medians: dict) -> dict:
    labels, values, table = [], [], []
    for n, module in enumerate(course.modules, start=1):
        minutes, count = medians.get(module.id, (None, 0))
        labels.append(f"Module {n}")
        values.append(minutes)
        table.append([{"text": f"Module {n}: {module.title}"},
                      {"text": "not shown" if minutes is None else f"{minutes:g} minutes"},
                      {"text": show(count)}])  # fmt: skip
    shown = [v for v in values if v is not None]
    return {
        "chart": charts.horizontal_bars(labels, values, "Median minutes") if shown else None,
        "rows": table,
        "summary": " ".join(
            f"{label}: median {v:g} minutes." for label, v in zip(labels, values, strict=True) if v
        )
        or "Not enough completed modules to show times.",
    }


BANDS = [f"{n * 10}-{n * 10 + 9}%" for n in range(10)] + ["100%"]


def quiz_views(course: Course, distribution: dict, items: dict) -> list[dict]:
    views = []
    for n, module in enumerate(course.modules, start=1):
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        bands = distribution.get(module.id, {})
        counts = [bands.get(b, 0) for b in range(11)]
        total = sum(counts)
        stats: dict[str, ItemStats] = items.get(module.id, {})
        enough = total >= 5
        question_rows = []
        for q_number, question in enumerate(quiz.questions, start=1):
            stat = stats.get(question.id)
            if not enough or stat is None:
                continue
            wrong = "none"
            if stat.common_wrong:
                texts = [o.text for o in question.options if o.id in stat.common_wrong]
                wrong = f"{'; '.join(texts)} ({show(suppress(stat.common_wrong_count))})"
            question_rows.append(
                [
                    {"text": f"{q_number}. {question.text}"},
                    {"text": f"{round(stat.facility * 100)}%"},
                    {"text": "-" if stat.discrimination is None else f"{stat.discrimination:.2f}"},
                    {"text": wrong},
                ]
            )
        views.append(
            {
                "number": n,
                "title": module.title,
                "total": show(total),
                "enough": enough,
                "chart": charts.histogram(BANDS, counts, "First-attempt score") if enough else None,
                "summary": (
                    f"{total} learners took the module {n} quiz. "
                    f"{sum(counts[(quiz.pass_mark // 10) :])} scored in or above the pass band."
                    if enough
                    else "Fewer than 5 learners have taken this quiz, so figures are not shown."
                ),
                "distribution_rows": [
                    [{"text": b}, {"text": show(suppress(c))}]
                    for b, c in zip(BANDS, counts, strict=True)
                ],
                "question_rows": question_rows,
            }
        )
    return views
