"""Figures over time: weekly counts, and before and after a content revision.

Daily counts from the service are added up into weeks (Monday to Sunday, UTC). Every weekly
count goes through ``elearn.review.disclosure`` with the totals it adds up to, so a hidden week
cannot be worked out from the total and the other weeks. Before-and-after figures are protected
with the page's or question's overall counts, which the detail pages show.
"""

from collections.abc import Callable, Hashable
from datetime import date, timedelta

from elearn.content.schema import Course
from elearn.review import charts, disclosure
from elearn.review.changes import Change, ChangeKind
from elearn.review.disclosure import Sum
from elearn.review.presenters import HIDDEN, Across, Cells, Shown, link, show
from elearn.review.service import BeforeAfter, Daily


def week_of(day: date) -> date:
    """The Monday that starts the day's week."""
    return day - timedelta(days=day.weekday())


def weeks(raw: Daily) -> list[date]:
    """Every week with any registration, certificate or page answer, oldest first."""
    days = {*raw.registered, *raw.certified, *raw.answers}
    return sorted({week_of(day) for day in days})


def _by_week(counts: dict[date, int]) -> dict[date, int]:
    result: dict[date, int] = {}
    for day, count in counts.items():
        result[week_of(day)] = result.get(week_of(day), 0) + count
    return result


def weekly_cells(chosen: list[date]) -> Callable[[Daily], Cells]:
    def cells(raw: Daily) -> Cells:
        registered, certified = _by_week(raw.registered), _by_week(raw.certified)
        answers, helpful = _by_week(raw.answers), _by_week(raw.helpful)
        result: Cells = {}
        for name, counts in (("registered", registered), ("certified", certified),
                             ("answers", answers)):  # fmt: skip
            result[name] = sum(counts.values())
            for week in chosen:
                result[(name, week)] = counts.get(week, 0)
        for week in chosen:
            result[("yes", week)] = helpful.get(week, 0)
            result[("no", week)] = answers.get(week, 0) - helpful.get(week, 0)
        result["yes"] = sum(result[("yes", week)] for week in chosen)
        result["no"] = sum(result[("no", week)] for week in chosen)
        return result

    return cells


def weekly_sums(chosen: list[date]) -> list[Sum]:
    sums = [
        Sum(name, tuple((name, week) for week in chosen))
        for name in ("registered", "certified", "answers")
    ]
    # Weeks by yes and no add up two ways: every row and column is strict.
    sums += [Sum(("answers", w), (("yes", w), ("no", w)), strict=True) for w in chosen]
    sums += [Sum(name, tuple((name, w) for w in chosen), strict=True) for name in ("yes", "no")]
    sums.append(Sum("answers", ("yes", "no")))
    return sums


def _label(week: date) -> str:
    return f"w/c {week:%-d %b %Y}"


def weekly_view(chosen: list[date], shown: Shown) -> dict:
    """A row per week: registrations, course completions and the helpful share."""
    rows, labels, registrations, completions = [], [], [], []
    for week in chosen:
        answers = shown[("answers", week)]
        share = disclosure.percent(shown[("yes", week)], answers)
        labels.append(f"{week:%-d %b}")
        registrations.append(shown[("registered", week)])
        completions.append(shown[("certified", week)])
        rows.append(
            [{"text": _label(week)}, {"text": show(shown[("registered", week)])},
             {"text": show(shown[("certified", week)])},
             {"text": "no answers" if answers == 0 else HIDDEN if share is None else f"{share}%"}]
        )  # fmt: skip
    if not chosen:
        return {"summary": "", "rows": [], "chart": None}
    busiest = max(
        ((count, -n) for n, count in enumerate(registrations) if count),
        default=None,
    )
    summary = (
        f"{len(chosen)} week{'s' if len(chosen) > 1 else ''}, "
        f"from {_label(chosen[0])} to {_label(chosen[-1])}: "
        f"{show(shown['registered'])} registrations and {show(shown['certified'])} course "
        "completions."
    )
    if busiest is not None:
        summary += (
            f" Most registrations shown in one week: {busiest[0]}, {_label(chosen[-busiest[1]])}."
        )
    chart = None
    if any(v is not None for v in registrations + completions):
        chart = charts.weekly_bars(
            labels, {"Registrations": registrations, "Course completions": completions}
        )
    return {"summary": summary, "rows": rows, "chart": chart}


# Before and after a revision, for the pages and questions it changed.

PARTS = ("before", "after")


def around_cells(ids: list[str]) -> Callable[[dict[str, BeforeAfter]], Cells]:
    """Per page or question: answers before and after, each split into yes (helpful or right)
    and no, and the same added up (what the detail pages show)."""

    def cells(raw: dict[str, BeforeAfter]) -> Cells:
        result: Cells = {}
        for item in ids:
            figures = raw.get(item, BeforeAfter(0, 0, 0, 0))
            split = {
                "before": (figures.before_yes, figures.before - figures.before_yes),
                "after": (figures.after_yes, figures.after - figures.after_yes),
            }
            for part, (yes, no) in split.items():
                result[(part, item)] = yes + no
                result[(part, "yes", item)] = yes
                result[(part, "no", item)] = no
            result[("all", item)] = figures.before + figures.after
            result[("all", "yes", item)] = figures.before_yes + figures.after_yes
            result[("all", "no", item)] = result[("all", item)] - result[("all", "yes", item)]
        return result

    return cells


def around_sums(ids: list[str]) -> list[Sum]:
    sums = []
    for item in ids:
        for part in (*PARTS, "all"):
            sums.append(Sum((part, item), ((part, "yes", item), (part, "no", item)), strict=True))
        for answer in ("yes", "no"):
            sums.append(
                Sum(("all", answer, item), tuple((p, answer, item) for p in PARTS), strict=True)
            )
        sums.append(Sum(("all", item), tuple((p, item) for p in PARTS)))
    return sums


Item = tuple[str, str, str | None]  # id, title, link


def changed_pages(
    course: Course, changed: list[Change], page_url: Callable[[str, str], str]
) -> list[Item]:
    """The pages a revision added, retitled or rewrote that are still in the course."""
    titles = {p.id: f"Module {n}, page {k}: {p.title}" for n, m in enumerate(course.modules, 1)
              for k, p in enumerate(m.pages, start=1)}  # fmt: skip
    return [(c.item_id, titles[c.item_id], page_url(c.module_id, c.item_id))
            for c in changed if c.what == "page" and c.item_id in titles]  # fmt: skip


def changed_questions(changed: list[Change], quiz_url: Callable[[str], str]) -> list[Item]:
    """The questions a revision added, reworded or rewrote."""
    return [(c.item_id, c.title, quiz_url(c.module_id)) for c in changed
            if c.what == "question" and c.kind != ChangeKind.REMOVED]  # fmt: skip


INTERIOR = tuple((part, answer) for part in PARTS for answer in ("yes", "no"))


def around_shown(ids: list[str], raw: Across[dict[str, BeforeAfter]], small: int) -> Shown:
    """The chosen group's before-and-after cells, protected with every group's and everyone's.

    Before and after, yes and no, make a two-by-two table whose sides (answers before, answers
    after, yes in all, no in all) other pages show. One hidden count in it could be worked out
    from the sides and the others, so when any of its four counts is hidden, in any group, all
    four are hidden everywhere: only the sides stay.
    """
    cells, sums = around_cells(ids), around_sums(ids)
    everyone = cells(raw.everyone)
    groups: dict[Hashable, Cells] = {g: cells(r) for g, r in raw.groups.items()}
    columns = disclosure.protect_groups(everyone, groups, sums, small)
    for item in ids:
        keys = [(part, answer, item) for part, answer in INTERIOR]
        if any(column[k] is None for column in columns.values() for k in keys):
            for column in columns.values():
                column.update(dict.fromkeys(keys))
    return columns[raw.chosen if raw.groups else disclosure.ALL]


def around_view(items: list[Item], shown: Shown) -> list[list[dict]]:
    """Rows for (id, title, link): the share before, the share after, and the change."""
    rows = []
    for item, title, href in items:
        shares: list[int | None] = []
        cells: list[dict] = []
        for part in PARTS:
            n = shown[(part, item)]
            share = disclosure.percent(shown[(part, "yes", item)], n)
            shares.append(share)
            text = HIDDEN if share is None else f"{share}% of {n}"
            cells.append({"text": "no answers" if n == 0 else text})
        before, after = shares
        change = HIDDEN if before is None or after is None else f"{after - before:+d} points"
        first: dict[str, Hashable] = {"text": title}
        if href:
            first = {"html": link(href, title)}
        rows.append([first, *cells, {"text": change}])
    return rows
