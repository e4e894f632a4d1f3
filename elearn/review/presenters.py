"""Review figures as table rows, chart inputs and plain-English summaries.

Every count shown here has been through ``elearn.review.disclosure`` first: tables, summary
sentences, percentages and charts are all made from the protected figures, never the raw ones.
"""

import hashlib
import hmac
import textwrap
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from flask import current_app
from markupsafe import Markup

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.lookup import ordered_surveys
from elearn.content.schema import LIKERT_SCALE, Course, SurveyFile, SurveyItem
from elearn.feedback import items
from elearn.review import charts, disclosure
from elearn.review.disclosure import Sum
from elearn.review.service import (
    NO_COHORT,
    NOT_GIVEN,
    CommentPage,
    ExportEntry,
    Filters,
    FunnelRow,
    ItemStats,
    KnowledgeGain,
    PageComment,
    PageHelpful,
    Paired,
    Revision,
    TextPage,
)

HIDDEN = "not shown"
T = TypeVar("T")
Cells = dict[Hashable, int]
Shown = dict[Hashable, int | None]


def threshold() -> int:
    return int(current_app.config["SMALL_NUMBER_THRESHOLD"])


def show(count: int | None) -> str:
    return HIDDEN if count is None else str(count)


@dataclass(frozen=True)
class Across(Generic[T]):
    """One figure for everyone and, when a filter is chosen, for every group of its kind."""

    everyone: T
    groups: dict[Filters, T] = field(default_factory=dict)
    chosen: Filters = Filters()

    @property
    def mine(self) -> T:
        """The raw figure for the chosen group (use only what ``protected`` lets through)."""
        return self.groups.get(self.chosen, self.everyone) if self.groups else self.everyone


def protected(across: Across[T], cells: Callable[[T], Cells], sums: Iterable[Sum]) -> Shown:
    """The chosen group's cells with every count the disclosure rules hide as None."""
    sums = list(sums)
    everyone = cells(across.everyone)
    if not across.groups:
        return disclosure.protect(everyone, sums, threshold())
    groups: dict[Hashable, Mapping[Hashable, int]] = {
        group: cells(result) for group, result in across.groups.items()
    }
    return disclosure.protect_group(everyone, groups, across.chosen, sums, threshold())


def learner_code(user_id: int) -> str:
    """A learner's stable 64-bit code (16 hex digits) that reveals nothing about them."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"learner:{user_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:16].upper()


def pseudonym(user_id: int) -> str:
    """The full pseudonym, as exports give it ("Learner 7F3A2C91D04B5E67")."""
    return f"Learner {learner_code(user_id)}"


def short_codes(codes: Mapping[int, str], length: int = 6) -> dict[int, str]:
    """The codes cut to ``length`` digits, longer where needed so no two shown are the same."""
    while length < max((len(c) for c in codes.values()), default=0):
        cut = {user_id: code[:length] for user_id, code in codes.items()}
        if len(set(cut.values())) == len(set(codes.values())):
            return cut
        length += 2
    return dict(codes)


def short_pseudonyms(user_ids: Iterable[int]) -> dict[int, str]:
    """Pseudonyms for a page: six digits ("Learner 7F3A2C"), more if two would look alike."""
    codes = short_codes({user_id: learner_code(user_id) for user_id in set(user_ids)})
    return {user_id: f"Learner {code}" for user_id, code in codes.items()}


# Overview: the funnel is, per module, everyone registered split into not started, started
# but not completed, and completed.


def funnel_cells(course: Course) -> Callable[[tuple[int, dict[str, FunnelRow]]], Cells]:
    def cells(raw: tuple[int, dict[str, FunnelRow]]) -> Cells:
        registered, rows = raw
        result: Cells = {"registered": registered}
        for module in course.modules:
            row = rows.get(module.id, FunnelRow(module.id, 0, 0))
            result[("not-started", module.id)] = registered - row.started
            result[("started-only", module.id)] = row.started - row.completed
            result[("completed", module.id)] = row.completed
        return result

    return cells


def funnel_sums(course: Course) -> list[Sum]:
    return [
        Sum("registered", tuple((part, m.id) for part in ("not-started", "started-only",
                                                           "completed")))
        for m in course.modules
    ]  # fmt: skip


def funnel_shown(course: Course, raw: Across) -> Shown:
    return protected(raw, funnel_cells(course), funnel_sums(course))


def funnel_view(course: Course, shown: Shown) -> dict:
    registered = shown["registered"]
    rules = dict(zip((m.id for m in course.modules), funnel_sums(course), strict=True))
    labels, values, table, sentences = ["Registered"], [registered], [], []
    for n, module in enumerate(course.modules, start=1):
        started = disclosure.combined(
            shown, [("started-only", module.id), ("completed", module.id)], rules[module.id]
        )
        completed = shown[("completed", module.id)]
        labels += [f"Module {n} started", f"Module {n} completed"]
        values += [started, completed]
        table.append([{"text": f"Module {n}: {module.title}"}, {"text": show(started)},
                      {"text": show(completed)}])  # fmt: skip
        sentences.append(f"Module {n}: started {show(started)}, completed {show(completed)}.")
    summary = (
        "Too few learners in this group to show figures."
        if not registered
        else f"{registered} consenting learners registered. " + " ".join(sentences)
    )
    chart = charts.horizontal_bars(labels, values, "Learners") if registered else None
    return {"chart": chart, "summary": summary, "rows": table, "registered": show(registered)}


def time_view(course: Course, medians: dict, funnel: Shown) -> dict:
    """Median minutes per module, shown only where the number who completed it is shown."""
    labels, values, table = [], [], []
    for n, module in enumerate(course.modules, start=1):
        completed = funnel[("completed", module.id)]
        minutes, _ = medians.get(module.id, (None, 0))
        if not completed:
            minutes = None
        labels.append(f"Module {n}")
        values.append(minutes)
        table.append([{"text": f"Module {n}: {module.title}"},
                      {"text": HIDDEN if minutes is None else f"{minutes:g} minutes"},
                      {"text": show(completed)}])  # fmt: skip
    shown = [v for v in values if v is not None]
    return {
        "chart": charts.horizontal_bars(labels, values, "Median minutes") if shown else None,
        "rows": table,
        "summary": " ".join(
            f"{label}: median {v:g} minutes."
            for label, v in zip(labels, values, strict=True)
            if v is not None
        )
        or "Not enough completed modules to show times.",
    }


# Drop-off within modules: per module, everyone registered split by the furthest page they
# reached (none of its pages, page 1, page 2, ...). Reaching page k is the sum of the furthest
# pages from k on; the learners who went no further than page k are one cell, so "the drop after
# page k" is a protected count of its own.


def page_positions(course: Course) -> dict[str, int]:
    """Each page's place in its module, from 1."""
    return {p.id: n for m in course.modules for n, p in enumerate(m.pages, start=1)}


def dropoff_cells(course: Course) -> Callable[[tuple[int, dict[str, dict[int, int]]]], Cells]:
    def cells(raw: tuple[int, dict[str, dict[int, int]]]) -> Cells:
        registered, furthest = raw
        result: Cells = {"registered": registered}
        for module in course.modules:
            counts = furthest.get(module.id, {})
            on_pages = [counts.get(k, 0) for k in range(1, len(module.pages) + 1)]
            result[("none", module.id)] = registered - sum(on_pages)
            for k, count in enumerate(on_pages, start=1):
                result[("furthest", module.id, k)] = count
        return result

    return cells


def _dropoff_sum(module) -> Sum:
    parts = (("none", module.id),) + tuple(
        ("furthest", module.id, k) for k in range(1, len(module.pages) + 1)
    )
    return Sum("registered", parts)


def dropoff_sums(course: Course) -> list[Sum]:
    return [_dropoff_sum(m) for m in course.modules]


def dropoff_shown(course: Course, raw: Across) -> Shown:
    return protected(raw, dropoff_cells(course), dropoff_sums(course))


def reached(shown: Shown, module, k: int) -> int | None:
    """How many reached page k of the module (opened it or a later page), when it can be
    worked out from shown counts."""
    keys = [("furthest", module.id, j) for j in range(k, len(module.pages) + 1)]
    return disclosure.combined(shown, keys, _dropoff_sum(module))


def biggest_drop(shown: Shown, module) -> tuple[int, int] | None:
    """(page position, learners) of the shown page most learners went no further than, before
    the last page; None when no such count is shown."""
    drops = [
        (count, -k)
        for k in range(1, len(module.pages))
        if (count := shown[("furthest", module.id, k)])
    ]
    if not drops:
        return None
    count, minus_k = max(drops)
    return -minus_k, count


def dropoff_views(course: Course, shown: Shown, page_url: Callable[[str, str], str]) -> list[dict]:
    """Per module: how many reached each page (chart and table) and the biggest drop, named."""
    views = []
    for n, module in enumerate(course.modules, start=1):
        labels, values, rows = [], [], []
        for k, page in enumerate(module.pages, start=1):
            count = reached(shown, module, k)
            stopped = shown[("furthest", module.id, k)] if k < len(module.pages) else None
            labels.append(f"Page {k}")
            values.append(count)
            rows.append(
                [{"html": link(page_url(module.id, page.id), f"{k}. {page.title}")},
                 {"text": show(count)},
                 {"text": show(stopped) if k < len(module.pages) else "-"}]
            )  # fmt: skip
        drop = biggest_drop(shown, module)
        first = reached(shown, module, 1)
        if drop is not None:
            k, count = drop
            title = module.pages[k - 1].title
            summary = (
                f"The biggest drop in module {n} is after page {k}, “{title}”: {count} learners "
                f"opened it but no later page."
            )
        elif first:
            summary = f"No drop within module {n} can be shown for this group."
        else:
            summary = (
                f"Figures for module {n} are not shown for this group: too few learners, or "
                "they could be worked out by comparing groups."
            )
        shown_values = [v for v in values if v is not None]
        views.append(
            {
                "id": module.id,
                "number": n,
                "title": module.title,
                "summary": summary + _reached_sentence(first, values),
                "drop": drop,
                "chart": charts.horizontal_bars(labels, values, "Learners who reached the page")
                if shown_values
                else None,
                "rows": rows,
            }
        )
    return views


def _reached_sentence(first: int | None, values: list[int | None]) -> str:
    if not first:
        return ""
    last = values[-1]
    if last is None:
        return (
            f" {first} learners opened page 1; how many reached the last page, page "
            f"{len(values)}, is not shown."
        )
    return f" {first} learners opened page 1; {last} reached the last page, page {len(values)}."


def link(href: str, text: str) -> str:
    """An escaped link, for a table cell's ``html``."""
    return Markup('<a href="{}">{}</a>').format(href, text)


BANDS = [f"{n * 10}-{n * 10 + 9}%" for n in range(10)] + ["100%"]
ANSWER_PARTS = ("right", "common-wrong", "other-wrong")


def quiz_cells(course: Course) -> Callable[[tuple[dict, dict]], Cells]:
    """Per quiz: first attempts split into score bands; per question: answers split into
    right, the most chosen wrong answer and other wrong answers."""

    def cells(raw: tuple[dict, dict]) -> Cells:
        distribution, stats = raw
        result: Cells = {}
        for module in course.modules:
            quiz = course.quizzes.get(module.id)
            if quiz is None:
                continue
            bands = distribution.get(module.id, {})
            result[("takers", module.id)] = sum(bands.values())
            for band in range(11):
                result[("band", module.id, band)] = bands.get(band, 0)
            for question in quiz.questions:
                stat = stats.get(module.id, {}).get(question.id)
                answered = stat.answered if stat else 0
                right = stat.right if stat else 0
                common = stat.common_wrong_count if stat else 0
                result[("answered", question.id)] = answered
                result[("right", question.id)] = right
                result[("common-wrong", question.id)] = common
                result[("other-wrong", question.id)] = answered - right - common
        return result

    return cells


def quiz_sums(course: Course) -> list[Sum]:
    sums = []
    for module in course.modules:
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        sums.append(Sum(("takers", module.id), tuple(("band", module.id, b) for b in range(11))))
        sums += [
            Sum(("answered", q.id), tuple((part, q.id) for part in ANSWER_PARTS))
            for q in quiz.questions
        ]
    return sums


def quiz_shown(course: Course, raw: Across) -> Shown:
    return protected(raw, quiz_cells(course), quiz_sums(course))


def _facility(shown: Shown, question_id: str) -> int | None:
    return disclosure.percent(shown[("right", question_id)], shown[("answered", question_id)])


def shown_discrimination(stat: ItemStats, facility: int | None, small: int) -> float | None:
    """A question's discrimination, when its facility is shown and both the upper and the lower
    27% hold at least ``small`` answers."""
    if facility is None or min(stat.upper, stat.lower) < small:
        return None
    return stat.discrimination


def facility(shown: Shown, question_id: str) -> int | None:
    """The share of first-attempt answers that were right, when both counts are shown."""
    return _facility(shown, question_id)


def quiz_views(course: Course, shown: Shown, stats: dict[str, dict[str, ItemStats]]) -> list[dict]:
    views = []
    small = threshold()
    for n, module in enumerate(course.modules, start=1):
        quiz = course.quizzes.get(module.id)
        if quiz is None:
            continue
        total = shown[("takers", module.id)]
        counts = [shown[("band", module.id, b)] for b in range(11)]
        enough = bool(total)
        question_rows = []
        for q_number, question in enumerate(quiz.questions, start=1):
            stat = stats.get(module.id, {}).get(question.id)
            if not enough or stat is None:
                continue
            facility = _facility(shown, question.id)
            wrong = "none"
            if stat.common_wrong:
                common = shown[("common-wrong", question.id)]
                texts = [o.text for o in question.options if o.id in stat.common_wrong]
                wrong = f"{'; '.join(texts)} ({common})" if common else HIDDEN
            discrimination = shown_discrimination(stat, facility, small)
            if discrimination is None:
                discrimination_text = "-" if facility is not None else HIDDEN
            else:
                discrimination_text = f"{discrimination:.2f}"
            question_rows.append(
                [
                    {"text": f"{q_number}. {question.text}"},
                    {"text": HIDDEN if facility is None else f"{facility}%"},
                    {"text": discrimination_text},
                    {"text": wrong},
                ]
            )
        passed = disclosure.combined(
            shown,
            [("band", module.id, b) for b in range(quiz.pass_mark // 10, 11)],
            Sum(("takers", module.id), tuple(("band", module.id, b) for b in range(11))),
        )
        views.append(
            {
                "id": module.id,
                "number": n,
                "title": module.title,
                "total": show(total),
                "enough": enough,
                "chart": charts.histogram(BANDS, counts, "First-attempt score") if enough else None,
                "summary": (
                    f"{total} learners took the module {n} quiz. "
                    + (
                        f"{passed} scored in or above the pass band."
                        if passed is not None
                        else "How many scored in or above the pass band is not shown."
                    )
                    if enough
                    else f"Fewer than {small} learners have taken this quiz, or the figures "
                    "would show a smaller group, so they are not shown."
                ),
                "distribution_rows": [
                    [{"text": b}, {"text": show(c)}] for b, c in zip(BANDS, counts, strict=True)
                ],
                "question_rows": question_rows,
            }
        )
    return views


# Surveys


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


def survey_cells(course: Course) -> Callable[[dict], Cells]:
    """Per scale or single-choice item: its answers split by the point or option chosen."""

    def cells(counts: dict) -> Cells:
        result: Cells = {}
        for survey in course.surveys:
            for item in survey.items:
                if item.type not in ("likert", "rating", "single"):
                    continue
                points = counts.get((survey.id, item.id), {})
                values = [points.get(choice, 0) for choice, _ in items.scale(item)]
                result[("answers", survey.id, item.id)] = sum(values)
                for (choice, _), value in zip(items.scale(item), values, strict=True):
                    result[("choice", survey.id, item.id, choice)] = value
        return result

    return cells


def _item_sum(survey: SurveyFile, item: SurveyItem) -> Sum:
    return Sum(
        ("answers", survey.id, item.id),
        tuple(("choice", survey.id, item.id, choice) for choice, _ in items.scale(item)),
    )


def survey_sums(course: Course) -> list[Sum]:
    return [_item_sum(s, i) for s in course.surveys for i in s.items
            if i.type in ("likert", "rating", "single")]  # fmt: skip


def survey_shown(course: Course, raw: Across) -> Shown:
    return protected(raw, survey_cells(course), survey_sums(course))


def _likert_view(survey: SurveyFile, likert: list[SurveyItem], shown: Shown) -> dict:
    labels = [label for _, label in LIKERT_SCALE]
    chart_items, chart_shares, rows, agreements = [], [], [], []
    for number, item in enumerate(likert, start=1):
        rule = _item_sum(survey, item)
        n = shown[rule.total]
        points = rule.parts[: len(LIKERT_SCALE)]  # "Not sure", where offered, comes after
        values = [shown[part] for part in points]
        agree = disclosure.combined(shown, points[3:], rule)
        share = disclosure.percent(agree, n)
        if n and all(v is not None for v in values):
            chart_items.append(f"{number}. {_short(item.text)} (n={n})")
            chart_shares.append([100 * (v or 0) / n for v in values])
        if share is not None:
            agreements.append((share, number))
        rows.append(
            [{"text": f"{number}. {item.text}"}, {"text": show(n)}]
            + [{"text": show(v) if n else ""} for v in values]
            + [{"text": HIDDEN if share is None else f"{share}%"}]
        )
    if agreements:
        high, low = max(agreements), min(agreements)
        summary = (
            f"Agreement is shown for {len(agreements)} of {len(likert)} statements. "
            f"Most agreement: statement {high[1]} ({high[0]}% agree or strongly agree). "
            f"Least agreement: statement {low[1]} ({low[0]}%)."
        )
    else:
        summary = "Too few learners have answered these statements, so figures are not shown."
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


def _choice_view(survey: SurveyFile, item: SurveyItem, shown: Shown) -> dict:
    n = shown[("answers", survey.id, item.id)]
    enough = bool(n)
    rows = []
    for choice, label in items.scale(item):
        count = shown[("choice", survey.id, item.id, choice)]
        share = disclosure.percent(count, n)
        share_text = HIDDEN if share is None else f"{share}%"
        rows.append(
            [{"text": label}, {"text": show(count) if enough else ""},
             {"text": share_text if enough else ""}]
        )  # fmt: skip
    return {"text": item.text, "answers": show(n), "enough": enough, "rows": rows}


def survey_views(course: Course, shown: Shown) -> list[dict]:
    """Per survey: its Likert statements as one diverging chart and table, then a table for
    each rating and single-choice question."""
    views = []
    for survey in ordered_surveys(course):
        likert = [i for i in survey.items if i.type == "likert"]
        views.append(
            {
                "id": survey.id,
                "title": survey.title,
                "likert": _likert_view(survey, likert, shown) if likert else None,
                "choices": [
                    _choice_view(survey, i, shown)
                    for i in survey.items
                    if i.type in ("rating", "single")
                ],
            }
        )
    return views


def confidence_shown(item_ids: list[str], raw: Across[dict[str, Paired]]) -> Shown:
    def cells(paired: dict[str, Paired]) -> Cells:
        return {i: paired[i].learners if i in paired else 0 for i in item_ids}

    return protected(raw, cells, [])


def confidence_view(course: Course, paired: dict[str, Paired], shown: Shown) -> dict | None:
    """Confidence before and after the course per learning outcome (paired learners)."""
    surveys = paired_surveys(course)
    if surveys is None:
        return None
    _, _, shared = surveys
    groups, before, after, rows, rises = [], [], [], [], 0
    for item in shared:
        count = shown.get(item.id, 0)
        pair = paired.get(item.id)
        label = (item.outcome or item.id).upper().replace("-", " ")
        if count and pair is not None:
            groups.append(label)
            before.append(pair.before)
            after.append(pair.after)
            rises += pair.after > pair.before
            change = f"{pair.after - pair.before:+.2f}"
            before_text, after_text = f"{pair.before:.2f}", f"{pair.after:.2f}"
        else:
            change = before_text = after_text = HIDDEN
        rows.append(
            [{"text": f"{label}: {item.text}"}, {"text": show(count)},
             {"text": before_text}, {"text": after_text}, {"text": change}]
        )  # fmt: skip
    summary = (
        f"{len(groups)} of {len(shared)} learning outcomes have enough paired learners to show. "
        f"Mean confidence rose for {rises} of them."
        if groups
        else "Too few learners answered both surveys, so figures are not shown."
    )
    chart = None
    if groups:
        chart = charts.before_after(groups, before, after)
    return {"chart": chart, "summary": summary, "rows": rows}


def listed(raw: Across[int]) -> bool:
    """Whether free text or comments may be listed for the group: its number of writers is
    shown (and not zero) under the disclosure rules, across every group of its kind."""
    return bool(protected(raw, lambda n: {"writers": n}, [])["writers"])


def text_answer_rows(course: Course, page: TextPage) -> list[list[dict]]:
    """Free-text answers with short pseudonyms, each linked to its survey's figures; no
    community role or date, which could single a learner out."""
    surveys = {s.id: s for s in course.surveys}
    names = short_pseudonyms(a.user_id for a in page.answers)
    rows = []
    for answer in page.answers:
        survey = surveys.get(answer.survey_id)
        item = next((i for i in survey.items if i.id == answer.item_id), None) if survey else None
        question = (
            f"{survey.title if survey else answer.survey_id}: "
            f"{item.text if item else answer.item_id}"
        )
        where = {"html": link(f"#survey-{survey.id}", question)} if survey else {"text": question}
        rows.append([{"text": names[answer.user_id]}, where, {"text": answer.text}])
    return rows


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


def helpful_cells(course: Course) -> Callable[[dict[str, PageHelpful]], Cells]:
    """Per page: its answers to "was this page helpful?" split into yes and no."""

    def cells(helpful: dict[str, PageHelpful]) -> Cells:
        result: Cells = {}
        for module in course.modules:
            for page in module.pages:
                stat = helpful.get(page.id, PageHelpful(module.id, page.id, 0, 0))
                result[("answers", page.id)] = stat.answers
                result[("yes", page.id)] = stat.helpful
                result[("no", page.id)] = stat.answers - stat.helpful
        return result

    return cells


def helpful_shown(course: Course, raw: Across) -> Shown:
    sums = [Sum(("answers", p.id), (("yes", p.id), ("no", p.id)))
            for m in course.modules for p in m.pages]  # fmt: skip
    return protected(raw, helpful_cells(course), sums)


def page_feedback_views(course: Course, shown: Shown) -> list[dict]:
    """Per module: the helpful share of each page as a chart and table."""
    views = []
    for n, module in enumerate(course.modules, start=1):
        labels, shares, rows = [], [], []
        for p, page in enumerate(module.pages, start=1):
            answers = shown[("answers", page.id)]
            share = disclosure.percent(shown[("yes", page.id)], answers)
            if share is not None:
                labels.append(f"{p}. {_short(page.title, 40)} (n={answers})")
                shares.append(share)
            rows.append(
                [{"text": f"{p}. {page.title}"}, {"text": show(answers)},
                 {"text": HIDDEN if share is None else f"{share}%"}]
            )  # fmt: skip
        ranked = sorted(zip(shares, labels, strict=True))
        views.append(
            {
                "id": module.id,
                "number": n,
                "title": module.title,
                "chart": charts.horizontal_bars(labels, shares, "Said helpful (%)")
                if labels
                else None,
                "summary": (
                    f"The helpful share is shown for {len(labels)} of {len(module.pages)} pages. "
                    f"Least helpful: {ranked[0][1]}, {ranked[0][0]}% said helpful."
                    if labels
                    else "Too few learners have answered for any page in this module, "
                    "so figures are not shown."
                ),
                "rows": rows,
            }
        )
    return views


def page_choices(course: Course, module_id: str | None) -> list[tuple[str, str]]:
    """Choices for the page filter: all pages, then each page (of the chosen module)."""
    return [("", "All pages")] + [
        (p.id, f"Module {n}, page {k}: {_short(p.title, 60)}")
        for n, m in enumerate(course.modules, start=1)
        if module_id in (None, m.id)
        for k, p in enumerate(m.pages, start=1)
    ]


def acted_on_text(comment: PageComment) -> str:
    if comment.acted_revision is None:
        return "Not yet"
    note = f": {comment.acted_note}" if comment.acted_note else ""
    return f"Revision {comment.acted_revision}{note}"


def acted_on(comment: PageComment, diff_url: Callable[[int], str | None] | None) -> Markup:
    """The revision that acted on a comment, linked to what it changed when ``diff_url`` (for
    admins, who may open the editor) gives a link for it."""
    text = acted_on_text(comment)
    url = None
    if diff_url is not None and comment.acted_revision_id is not None:
        url = diff_url(comment.acted_revision_id)
    if url is None:
        return Markup("{}").format(text)
    return Markup('<a href="{}">{}<span class="nhsuk-u-visually-hidden">, what it changed'
                  "</span></a>").format(url, text)  # fmt: skip


def comment_rows(
    course: Course,
    page: CommentPage,
    page_url: Callable[[str, str], str],
    mark_url: Callable[[int], str] | None = None,
    diff_url: Callable[[int], str | None] | None = None,
) -> list[list[dict]]:
    """Comments with short pseudonyms, each linked to its page; ``mark_url`` (admins) adds a
    link to mark it acted on, and ``diff_url`` (admins) links the revision that acted on it to
    what that revision changed."""
    titles = {p.id: (n, i, p.title) for n, m in enumerate(course.modules, start=1)
              for i, p in enumerate(m.pages, start=1)}  # fmt: skip
    names = short_pseudonyms(c.user_id for c in page.comments)
    rows = []
    for comment in page.comments:
        module_n, page_n, title = titles.get(comment.page_id, (None, None, comment.page_id))
        where: dict = {"text": title}
        if module_n:
            where = {"html": link(page_url(comment.module_id, comment.page_id),
                                  f"Module {module_n}, page {page_n}: {title}")}  # fmt: skip
        acted: dict = {"html": acted_on(comment, diff_url)}
        if mark_url is not None:
            acted = {
                "html": Markup("{} {}").format(
                    acted_on(comment, diff_url),
                    Markup('<a href="{}">Change<span class="nhsuk-u-visually-hidden"> what '
                           'acted on the comment by {}</span></a>').format(
                        mark_url(comment.id), names[comment.user_id]
                    ),
                )
            }  # fmt: skip
        rows.append(
            [{"text": names[comment.user_id]}, where,
             {"text": "Yes" if comment.helpful else "No"}, {"text": comment.comment}, acted]
        )  # fmt: skip
    return rows


def revision_choices(revisions: list[Revision]) -> list[tuple[str, str]]:
    return [("", "Not acted on yet")] + [
        (str(r.id), f"Revision {r.number}, published {r.published_at:%-d %B %Y}"
                    + (f": {_short(r.note, 60)}" if r.note else ""))
        for r in revisions
    ]  # fmt: skip


# Groups side by side: the headline figures for everyone and for every group of one kind, all
# protected together, so each column is exactly what that group's filtered pages show.

ComparisonRaw = tuple[tuple[int, dict[str, FunnelRow]], int, dict[str, PageHelpful]]


def comparison_cells(course: Course) -> Callable[[ComparisonRaw], Cells]:
    """The funnel, certificates (earned or not, of everyone registered) and every page's
    helpful answers added up (yes or no)."""
    funnel = funnel_cells(course)

    def cells(raw: ComparisonRaw) -> Cells:
        progress, certified, helpful = raw
        result = funnel(progress)
        result["certified"] = certified
        result["not-certified"] = progress[0] - certified
        yes = sum(h.helpful for h in helpful.values())
        result["helpful-answers"] = sum(h.answers for h in helpful.values())
        result["helpful-yes"] = yes
        result["helpful-no"] = result["helpful-answers"] - yes
        return result

    return cells


def comparison_sums(course: Course) -> list[Sum]:
    return [
        *funnel_sums(course),
        Sum("registered", ("certified", "not-certified")),
        Sum("helpful-answers", ("helpful-yes", "helpful-no")),
    ]


def comparison_shown(
    course: Course, everyone: ComparisonRaw, groups: dict[Filters, ComparisonRaw]
) -> dict[Hashable, Shown]:
    """Everyone's column (``disclosure.ALL``) and each group's, protected together."""
    cells = comparison_cells(course)
    return disclosure.protect_groups(
        cells(everyone),
        {group: cells(raw) for group, raw in groups.items()},
        comparison_sums(course),
        threshold(),
    )


def comparison_view(
    course: Course, shown: dict[Hashable, Shown], names: dict[Filters, str]
) -> dict:
    """One table: a row per figure, a column for everyone and one per group."""
    columns: list[tuple[Hashable, str]] = [(disclosure.ALL, "All consenting learners")]
    columns += list(names.items())
    rules = dict(zip((m.id for m in course.modules), funnel_sums(course), strict=True))

    labels = ["Registered"]
    for n, _ in enumerate(course.modules, start=1):
        labels += [f"Module {n} started", f"Module {n} completed"]
    labels += ["Earned the certificate", "Page answers saying helpful"]
    values: list[list[str]] = []
    for key, _ in columns:
        cells = shown[key]
        column = [show(cells["registered"])]
        for module in course.modules:
            parts = [("started-only", module.id), ("completed", module.id)]
            column.append(show(disclosure.combined(cells, parts, rules[module.id])))
            column.append(show(cells[("completed", module.id)]))
        column.append(show(cells["certified"]))
        share = disclosure.percent(cells["helpful-yes"], cells["helpful-answers"])
        column.append(_percent_text(share))
        values.append(column)
    rows = [
        [{"text": label}] + [{"text": column[r]} for column in values]
        for r, label in enumerate(labels)
    ]
    hidden = [name for key, name in columns if shown[key]["registered"] is None]
    note = (
        f"Figures for {_and(hidden)} are not shown: the group is too small, or its figures "
        "could be worked out by comparing groups."
        if hidden
        else ""
    )
    partly = [
        name
        for key, name in columns
        if shown[key]["registered"] is not None and None in shown[key].values()
    ]
    if partly:
        note += (" " if note else "") + (
            f"Some figures for {_and(partly)} say “not shown” for the same reason."
        )
    return {"head": [{"text": "Figure"}] + [{"text": n} for _, n in columns], "rows": rows,
            "note": note}  # fmt: skip


def _percent_text(share: int | None) -> str:
    return HIDDEN if share is None else f"{share}%"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def group_names(groups: list[Filters], cohort_names: dict[int, str]) -> dict[Filters, str]:
    """Each group's name in words, for column headings."""
    names = {}
    for group in groups:
        if group.cohort_id == NO_COHORT:
            names[group] = "No cohort"
        elif group.cohort_id is not None:
            names[group] = cohort_names.get(group.cohort_id, str(group.cohort_id))
        elif group.community_role == NOT_GIVEN:
            names[group] = "Role not given"
        elif group.community_role is not None:
            names[group] = COMMUNITY_ROLES.get(group.community_role, group.community_role)
    return names


# The export log

EXPORT_NAMES = {
    "quiz-items": "Question statistics",
    "survey-responses": "Survey answers",
    "page-feedback": "Page feedback",
}


def group_name(cohort_id: int | None, cohort: str | None, community_role: str | None) -> str:
    """The group an export was asked for, in words."""
    if cohort_id == NO_COHORT:
        return "Learners in no cohort"
    if cohort_id is not None:
        return f"Cohort: {cohort or cohort_id}"
    if community_role == NOT_GIVEN:
        return "Community role not given"
    if community_role is not None:
        return f"Community role: {COMMUNITY_ROLES.get(community_role, community_role)}"
    return "All consenting learners"


def export_rows(entries: list[ExportEntry]) -> list[list[dict]]:
    return [
        [{"text": f"{e.record.created_at:%-d %B %Y %H:%M} UTC"},
         {"text": e.email or "Account deleted"},
         {"text": EXPORT_NAMES.get(e.record.kind, e.record.kind)},
         {"text": group_name(e.record.cohort_id, e.cohort, e.record.community_role)},
         {"text": "Refused: group too small" if e.record.refused else "Downloaded"}]
        for e in entries
    ]  # fmt: skip


# The knowledge check's learning gain: a small section of the surveys page of its own.


def knowledge_items(course: Course) -> tuple[SurveyFile, SurveyFile, dict[str, str]] | None:
    """The start and end surveys and the knowledge-check items they share (item id to its
    right option), or None when the course has no such pair."""
    pair = paired_surveys(course)
    if pair is None:
        return None
    baseline, end, _ = pair
    again = {i.id: i for i in end.items if i.knowledge}
    right = {
        i.id: next(o.id for o in i.options if o.correct)
        for i in baseline.items
        if i.knowledge and i.id in again and again[i.id].options == i.options
    }
    return (baseline, end, right) if right else None


KNOWLEDGE_ABOUT = (
    "The same short questions are asked at the start and at the end of the course, apart from "
    "the quizzes. Only learners who answered them both times are counted, so before and after "
    "compare the same people. “I am not sure” counts as not right."
)


def knowledge_gain_view(gain: Across[KnowledgeGain]) -> dict:
    """The paired learners' count goes through the disclosure rules (across groups when a
    filter is chosen); the means are shown only when that count is."""
    shown = protected(gain, lambda g: {"paired": g.learners}, [])
    learners = shown["paired"]
    mine = gain.mine
    if not learners:
        return {
            "about": KNOWLEDGE_ABOUT,
            "summary": "Too few learners have done the knowledge check at the start and the end, "
            "so figures are not shown.",
            "rows": [],
        }
    change = mine.after - mine.before
    return {
        "about": KNOWLEDGE_ABOUT,
        "summary": (
            f"{learners} learners did the knowledge check at the start and the end. On average "
            f"they got {mine.before:.2f} of {mine.items} right at the start and {mine.after:.2f} "
            f"at the end: a learning gain of {change:+.2f}."
        ),
        "rows": [
            [
                {"text": str(learners)},
                {"text": f"{mine.before:.2f}"},
                {"text": f"{mine.after:.2f}"},
                {"text": f"{change:+.2f}"},
            ]
        ],  # fmt: skip
    }


# The report's front matter


def produced_at(moment: datetime) -> str:
    return f"Produced on {moment:%-d %B %Y} at {moment:%H:%M} UTC."


def threshold_sentence(small: int) -> str:
    return (
        f"Small-number threshold: {small}. Any count from 1 to {small - 1} is hidden, and so is "
        "any count that would let someone work one out from a total or by comparing groups."
    )


def content_sentence(revision: Revision | None) -> str:
    if revision is None:
        return "No course content has been published."
    note = f" (“{revision.note}”)" if revision.note else ""
    return (
        f"Course content: revision {revision.number}{note}, published "
        f"{revision.published_at:%-d %B %Y}."
    )
