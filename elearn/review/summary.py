"""The one-page summary that opens the overview and the report: the few things that matter.

Every figure in it comes from the protected figures of the detail pages (``Shown``), never the
raw ones, so the summary shows nothing those pages hide. Pages and questions "most in need of
attention" are ranked by what is shown of them:

- a page scores the larger of its share of "not helpful" answers and the share of learners who
  reached it but went no further;
- a question scores the share of first-attempt answers that were wrong, plus 25 when its
  discrimination is below 0.2 (it does not tell stronger and weaker learners apart).
"""

from collections.abc import Callable
from dataclasses import dataclass

from elearn.content.schema import Course
from elearn.review import disclosure, presenters
from elearn.review.changes import Change, ChangeKind
from elearn.review.presenters import Shown, show
from elearn.review.service import ItemStats, Revision

ATTENTION = 3  # pages and questions listed
LOW_DISCRIMINATION = 0.2


@dataclass(frozen=True)
class Flagged:
    score: int
    title: str
    href: str
    reasons: list[str]


def completions(course: Course, shown: Shown) -> dict:
    """Course completions (each earns the certificate) and module completions."""
    registered, certified = shown["registered"], shown["certified"]
    share = disclosure.percent(certified, registered)
    if registered and certified is None:
        sentence = (
            f"How many of the {registered} consenting learners have completed the course and "
            "earned the certificate is not shown."
        )
    elif registered:
        sentence = (
            f"{certified} of {registered} consenting learners have completed the course "
            "and earned the certificate" + (f" ({share}%)." if share is not None else ".")
        )
    else:
        sentence = "Too few learners in this group to show figures."
    modules = [
        f"module {n} {show(shown[('completed', m.id)])}"
        for n, m in enumerate(course.modules, start=1)
    ]
    return {
        "sentence": sentence,
        "modules": "Completed each module: " + ", ".join(modules) + "." if registered else "",
    }


def attention_pages(
    course: Course, dropoff: Shown, helpful: Shown, href: Callable[[str, str], str]
) -> list[Flagged]:
    """The pages most in need of attention, with why (only pages with a shown reason)."""
    flagged = []
    for n, module in enumerate(course.modules, start=1):
        last = len(module.pages)
        for k, page in enumerate(module.pages, start=1):
            reasons, scores = [], []
            answers = helpful[("answers", page.id)]
            share = disclosure.percent(helpful[("yes", page.id)], answers)
            if share is not None:
                reasons.append(f"{share}% of {answers} answers said it was helpful")
                scores.append(100 - share)
            if k < last:
                stopped = dropoff[("furthest", module.id, k)]
                reached = presenters.reached(dropoff, module, k)
                drop = disclosure.percent(stopped, reached)
                if drop:
                    reasons.append(
                        f"{stopped} of the {reached} learners who reached it went no further "
                        f"({drop}%)"
                    )
                    scores.append(drop)
            if reasons:
                flagged.append(
                    Flagged(max(scores), f"Module {n}, page {k}: {page.title}",
                            href(module.id, page.id), reasons)
                )  # fmt: skip
    return _top(flagged)


def attention_questions(
    course: Course,
    quiz: Shown,
    stats: dict[str, dict[str, ItemStats]],
    small: int,
    href: Callable[[str], str],
) -> list[Flagged]:
    """The questions most in need of attention, with why (only questions with shown figures)."""
    flagged = []
    for n, module in enumerate(course.modules, start=1):
        quiz_file = course.quizzes.get(module.id)
        if quiz_file is None:
            continue
        for number, question in enumerate(quiz_file.questions, start=1):
            stat = stats.get(module.id, {}).get(question.id)
            facility = presenters.facility(quiz, question.id)
            if stat is None or facility is None:
                continue
            reasons = [
                f"{facility}% of {quiz[('answered', question.id)]} first attempts were right"
            ]
            score = 100 - facility
            discrimination = presenters.shown_discrimination(stat, facility, small)
            if discrimination is not None and discrimination < LOW_DISCRIMINATION:
                reasons.append(
                    f"discrimination {discrimination:.2f}: it does not tell stronger and weaker "
                    "learners apart"
                )
                score += 25
            flagged.append(
                Flagged(score, f"Module {n} quiz, question {number}: {question.text}",
                        href(module.id), reasons)
            )  # fmt: skip
    return _top(flagged)


def _top(flagged: list[Flagged]) -> list[Flagged]:
    ranked = sorted(flagged, key=lambda f: -f.score)  # stable: course order breaks ties
    return [f for f in ranked if f.score > 0][:ATTENTION]


WHAT = {"module": "Module", "page": "Page", "question": "Question"}
KIND = {
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.RETITLED: "retitled",
    ChangeKind.REWRITTEN: "rewritten",
}


def revision_view(
    revisions: list[Revision], changes: list[Change] | None, href: Callable[[Change], str | None]
) -> dict:
    """What changed in the latest published revision since the one before."""
    if not revisions:
        return {"sentence": "No content revision has been published yet.", "items": []}
    latest = revisions[0]
    heading = (
        f"Revision {latest.number}, published {latest.published_at:%-d %B %Y}"
        + (f": “{latest.note}”" if latest.note else "")
        + "."
    )
    if changes is None:
        return {"sentence": heading + " It is the first published revision.", "items": []}
    previous = revisions[1]
    if not changes:
        return {
            "sentence": f"{heading} Nothing a learner sees changed since revision "
            f"{previous.number}.",
            "items": [],
        }
    items = []
    for change in changes:
        kind = KIND[change.kind]
        if change.what == "question" and change.kind == ChangeKind.RETITLED:
            kind = "reworded"
        text = f"{WHAT[change.what]} {kind}: {change.title}"
        items.append({"text": text, "href": href(change)})
    return {
        "sentence": f"{heading} Changes since revision {previous.number} "
        f"(published {previous.published_at:%-d %B %Y}):",
        "items": items,
    }


def confidence_rows(confidence: dict | None) -> list[list[dict]]:
    """The confidence rows whose change is shown (the summary leaves out the rest)."""
    if not confidence:
        return []
    return [row for row in confidence["rows"] if row[-1]["text"] != presenters.HIDDEN]
