"""Review figures as table rows, chart inputs and plain-English summaries."""

import hashlib
import hmac
import textwrap

from flask import current_app

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.lookup import ordered_surveys
from elearn.content.schema import LIKERT_SCALE, Course, SurveyFile, SurveyItem
from elearn.feedback import items
from elearn.review import charts
from elearn.review.service import (
    SMALL,
    CommentPage,
    ItemStats,
    PageHelpful,
    Paired,
    TextPage,
    suppress,
)

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
        enough = total >= SMALL
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


# Surveys


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _short(text: str, width: int = 48) -> str:
    return textwrap.shorten(text, width, placeholder="…")


def counted_items(course: Course) -> list[tuple[str, str]]:
    """(survey id, item id) of every item answered on a scale or with one choice."""
    return [(s.id, i.id) for s in course.surveys for i in s.items
            if i.type in ("likert", "rating", "single")]  # fmt: skip


def text_items(course: Course, module: str | None = None) -> list[tuple[str, str]]:
    """(survey id, item id) of free-text items; `module` picks one module's survey, or
    "course" the start and end of course surveys."""
    chosen = [
        s for s in course.surveys
        if not module or s.module == module or (module == "course" and s.module is None)
    ]  # fmt: skip
    return [(s.id, i.id) for s in chosen for i in s.items if i.type == "free-text"]


def module_choices(course: Course, whole_course: bool = True) -> list[tuple[str, str]]:
    """Choices for the module filter: all, (the start and end of course surveys,) each module."""
    first = [("", "All modules")]
    if whole_course:
        first = [("", "All surveys"), ("course", "Start and end of course")]
    return first + [(m.id, f"Module {n}") for n, m in enumerate(course.modules, start=1)]


def paired_surveys(course: Course) -> tuple[SurveyFile, SurveyFile, list[SurveyItem]] | None:
    """The baseline and end-of-course surveys and the confidence items they share."""
    baseline = next((s for s in course.surveys if s.trigger == "after-registration"), None)
    end = next((s for s in course.surveys if s.trigger == "after-course"), None)
    if baseline is None or end is None:
        return None
    again = {i.id for i in end.items if i.type == "likert"}
    shared = [i for i in baseline.items if i.type == "likert" and i.outcome and i.id in again]
    return (baseline, end, shared) if shared else None


def _likert_view(survey: SurveyFile, likert: list[SurveyItem], counts: dict) -> dict:
    labels = [label for _, label in LIKERT_SCALE]
    chart_items, chart_shares, rows, agreements = [], [], [], []
    for number, item in enumerate(likert, start=1):
        points = counts.get((survey.id, item.id), {})
        values = [points.get(point, 0) for point, _ in LIKERT_SCALE]
        n = sum(values)
        enough = suppress(n) is not None and n > 0
        if enough:
            chart_items.append(f"{number}. {_short(item.text)} (n={n})")
            chart_shares.append([100 * v / n for v in values])
            agreements.append((_percent(values[3] + values[4], n), number))
        rows.append(
            [{"text": f"{number}. {item.text}"}, {"text": show(suppress(n))}]
            + [{"text": show(suppress(v)) if enough else ""} for v in values]
            + [{"text": f"{_percent(values[3] + values[4], n)}%" if enough else "not shown"}]
        )
    if agreements:
        high, low = max(agreements), min(agreements)
        summary = (
            f"{len(agreements)} of {len(likert)} statements have answers from 5 or more learners. "
            f"Most agreement: statement {high[1]} ({high[0]}% agree or strongly agree). "
            f"Least agreement: statement {low[1]} ({low[0]}%)."
        )
    else:
        summary = "Fewer than 5 learners have answered these statements, so figures are not shown."
    return {
        "chart": charts.diverging_likert(chart_items, chart_shares, labels)
        if chart_items
        else None,
        "summary": summary,
        "head": [{"text": "Statement"}, {"text": "Answers"}]
        + [{"text": label} for label in labels]
        + [{"text": "Agree or strongly agree"}],
        "rows": rows,
    }


def _choice_view(survey: SurveyFile, item: SurveyItem, counts: dict) -> dict:
    points = counts.get((survey.id, item.id), {})
    n = sum(points.values())
    enough = suppress(n) is not None and n > 0
    rows = [
        [{"text": label}, {"text": show(suppress(points.get(choice, 0))) if enough else ""},
         {"text": f"{_percent(points.get(choice, 0), n)}%" if enough else ""}]
        for choice, label in items.scale(item)
    ]  # fmt: skip
    return {
        "text": item.text,
        "answers": show(suppress(n)),
        "enough": enough,
        "rows": rows,
    }


def survey_views(course: Course, counts: dict) -> list[dict]:
    """Per survey: its Likert statements as one diverging chart and table, then a table for
    each rating and single-choice question."""
    views = []
    for survey in ordered_surveys(course):
        likert = [i for i in survey.items if i.type == "likert"]
        views.append(
            {
                "id": survey.id,
                "title": survey.title,
                "likert": _likert_view(survey, likert, counts) if likert else None,
                "choices": [
                    _choice_view(survey, i, counts)
                    for i in survey.items
                    if i.type in ("rating", "single")
                ],
            }
        )
    return views


def confidence_view(course: Course, paired: dict[str, Paired]) -> dict | None:
    """Confidence before and after the course per learning outcome (paired learners)."""
    surveys = paired_surveys(course)
    if surveys is None:
        return None
    _, _, shared = surveys
    groups, before, after, rows, rises = [], [], [], [], 0
    for item in shared:
        pair = paired.get(item.id, Paired(item.id, 0, None, None))
        label = (item.outcome or item.id).upper().replace("-", " ")
        if pair.before is not None and pair.after is not None:
            groups.append(label)
            before.append(pair.before)
            after.append(pair.after)
            rises += pair.after > pair.before
            change = f"{pair.after - pair.before:+.2f}"
            before_text, after_text = f"{pair.before:.2f}", f"{pair.after:.2f}"
        else:
            change = before_text = after_text = "not shown"
        rows.append(
            [{"text": f"{label}: {item.text}"}, {"text": show(pair.learners)},
             {"text": before_text}, {"text": after_text}, {"text": change}]
        )  # fmt: skip
    summary = (
        f"{len(groups)} of {len(shared)} learning outcomes have 5 or more paired learners. "
        f"Mean confidence rose for {rises} of them."
        if groups
        else "Fewer than 5 learners answered both surveys, so figures are not shown."
    )
    chart = None
    if groups:
        chart = charts.before_after(groups, before, after)
    return {"chart": chart, "summary": summary, "rows": rows}


def _role(role: str | None) -> str:
    return COMMUNITY_ROLES.get(role or "", "Not given")


def text_answer_rows(course: Course, page: TextPage) -> list[list[dict]]:
    surveys = {s.id: s for s in course.surveys}
    rows = []
    for answer in page.answers:
        survey = surveys.get(answer.survey_id)
        item = next((i for i in survey.items if i.id == answer.item_id), None) if survey else None
        rows.append(
            [{"text": pseudonym(answer.user_id)},
             {"text": f"{survey.title if survey else answer.survey_id}: "
                      f"{item.text if item else answer.item_id}"},
             {"text": answer.text}, {"text": _role(answer.community_role)},
             {"text": _date(answer.submitted_at)}]
        )  # fmt: skip
    return rows


def _date(moment) -> str:
    return f"{moment:%-d %B %Y}" if moment else ""


def pagination(page: int, total: int, per_page: int, url_for_page) -> dict | None:
    """Params for the NHS pagination component, or None when everything fits on one page."""
    pages = max(1, -(-total // per_page))
    if pages == 1:
        return None
    params: dict = {}
    if page > 1:
        params["previous"] = {
            "href": url_for_page(page - 1),
            "labelText": f"Page {page - 1} of {pages}",
        }
    if page < pages:
        params["next"] = {
            "href": url_for_page(page + 1),
            "labelText": f"Page {page + 1} of {pages}",
        }
    return params


def results_summary(page: int, shown: int, total: int, per_page: int, noun: str) -> str:
    if not total:
        return f"No {noun} match."
    if not shown:
        return f"There is no page {page}: {total} {noun} match."
    first = (page - 1) * per_page + 1
    return f"Showing {first} to {first + shown - 1} of {total} {noun}."


# Page feedback


def page_feedback_views(course: Course, helpful: dict[str, PageHelpful]) -> list[dict]:
    """Per module: the helpful share of each page as a chart and table."""
    views = []
    for n, module in enumerate(course.modules, start=1):
        labels, shares, rows = [], [], []
        for p, page in enumerate(module.pages, start=1):
            stat = helpful.get(page.id, PageHelpful(module.id, page.id, 0, 0))
            shown = stat.answers is not None and stat.answers > 0
            share = _percent(stat.helpful or 0, stat.answers or 0) if shown else None
            if shown:
                labels.append(f"{p}. {_short(page.title, 40)} (n={stat.answers})")
                shares.append(share)
            rows.append(
                [{"text": f"{p}. {page.title}"}, {"text": show(stat.answers)},
                 {"text": f"{share}%" if shown else "not shown"}]
            )  # fmt: skip
        ranked = sorted(zip(shares, labels, strict=True))
        views.append(
            {
                "number": n,
                "title": module.title,
                "chart": charts.horizontal_bars(labels, shares, "Said helpful (%)")
                if labels
                else None,
                "summary": (
                    f"{len(labels)} of {len(module.pages)} pages have answers from 5 or more "
                    f"learners. Least helpful: {ranked[0][1]}, {ranked[0][0]}% said helpful."
                    if labels
                    else "Fewer than 5 learners have answered for any page in this module, "
                    "so figures are not shown."
                ),
                "rows": rows,
            }
        )
    return views


def comment_rows(course: Course, page: CommentPage) -> list[list[dict]]:
    titles = {p.id: (n, i, p.title) for n, m in enumerate(course.modules, start=1)
              for i, p in enumerate(m.pages, start=1)}  # fmt: skip
    rows = []
    for comment in page.comments:
        module_n, page_n, title = titles.get(comment.page_id, (None, None, comment.page_id))
        where = f"Module {module_n}, page {page_n}: {title}" if module_n else title
        rows.append(
            [{"text": pseudonym(comment.user_id)}, {"text": where},
             {"text": "Yes" if comment.helpful else "No"}, {"text": comment.comment},
             {"text": _role(comment.community_role)}]
        )  # fmt: skip
    return rows
