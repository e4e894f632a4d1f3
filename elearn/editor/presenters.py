"""What the content editor shows: the draft's structure, problems with links to where they are,
who a change affects in plain words, and pilot feedback beside the text being edited.

Pilot figures beside the editor follow the review area's small-number rules: no count from fewer
learners than the threshold, and no share that would reveal one.
"""

import re
from typing import Any

import yaml
from flask import current_app, url_for
from wtforms import Form

from elearn.content import checks, identity
from elearn.content.checks import ContentWarning
from elearn.content.models import ContentRevision
from elearn.content.problems import Problem
from elearn.content.schema import Course, Question
from elearn.content.source import Source
from elearn.editor.forms import QuestionForm
from elearn.editor.service import ModuleImpact
from elearn.forms import choices
from elearn.review import disclosure
from elearn.review.service import ItemStats, PageComment, PageHelpful

NEW_PAGE_TEXT = "Write the page here.\n"
# Shown as figures on the page form, so not repeated as warnings there.
MEASURED = {checks.WarningKind.READING_EASE, checks.WarningKind.LONG_SENTENCES}
_PROBLEM_PATH = re.compile(r"^(modules|quizzes|surveys|handouts)/(\d+)(?:/pages/(\d+))?$")


def _threshold() -> int:
    return int(current_app.config["SMALL_NUMBER_THRESHOLD"])


def _when(moment) -> str:
    return moment.strftime("%-d %B %Y at %H:%M") if moment else ""


def revision_row(revision: ContentRevision, names: dict[int, str]) -> dict[str, Any]:
    """One published revision for the history: its number, when, who and the summary."""
    creator = revision.updated_by_id or revision.created_by_id
    return {
        "id": revision.id,
        "number": revision.number,
        "when": _when(revision.published_at or revision.created_at),
        "who": "The command line" if creator is None else names.get(creator, "A deleted account"),
        "summary": revision.note or "No summary",
    }


def problem_items(source: Source, problems: list[str]) -> list[dict[str, str]]:
    """Each problem with a link to the form that fixes it, where one exists."""
    items = []
    for text in problems:
        path = text.split(":", 1)[0]
        items.append(
            {
                "text": f"{_where(source, path)}: {text.split(':', 1)[-1].strip()}",
                "href": _href(source, path) or "#problems",
            }
        )
    return items


def _where(source: Source, path: str) -> str:
    match = _PROBLEM_PATH.match(path)
    if path == "course":
        return "Course details"
    if path in ("glossary", "bibliography"):
        return path.capitalize()
    if not match:
        return path
    kind, index, page = match.group(1), int(match.group(2)), match.group(3)
    try:
        if kind == "modules":
            entry = source["modules"][index]
            title = entry["module"].get("title", "")
            if page is not None:
                return f"Page '{entry['pages'][int(page)].get('title', '')}' in {title}"
            return f"Module '{title}'"
        if kind == "quizzes":
            return f"Quiz for {source['quizzes'][index].get('module', '')}"
        if kind == "handouts":
            return f"Handout '{source['handouts'][index].get('title', '')}'"
        survey = source["surveys"][index]
        return f"Survey '{survey.get('title', '')}'" if isinstance(survey, dict) else "A survey"
    except (IndexError, KeyError, TypeError, AttributeError):
        return path


def _href(source: Source, path: str) -> str | None:
    match = _PROBLEM_PATH.match(path)
    if path == "course":
        return url_for("editor.edit_course")
    if path == "glossary":
        return url_for("editor.edit_document", kind="glossary")
    if path == "bibliography":
        return url_for("editor.edit_document", kind="bibliography")
    if not match:
        return None
    kind, index, page = match.group(1), int(match.group(2)), match.group(3)
    try:
        if kind == "modules":
            entry = source["modules"][index]
            module_id = entry["module"]["id"]
            if page is not None:
                page_id = entry["pages"][int(page)]["id"]
                return url_for("editor.edit_page", module_id=module_id, page_id=page_id)
            return url_for("editor.edit_module", module_id=module_id)
        if kind == "quizzes":
            return url_for("editor.edit_quiz", module_id=source["quizzes"][index]["module"])
        if kind == "handouts":
            return url_for("editor.edit_handout", handout_id=source["handouts"][index]["id"])
        return url_for("editor.edit_document", doc=source["surveys"][index]["id"])
    except (IndexError, KeyError, TypeError):
        return None


def draft_view(
    draft: ContentRevision,
    source: Source,
    course: Course,
    problems: list[str],
    live_moved: bool,
    warnings: list[ContentWarning],
) -> dict[str, Any]:
    """The draft's documents in the order a learner meets them, each with its edit links."""
    modules = []
    for entry in source.get("modules", []):
        module = entry.get("module", {})
        module_id = module.get("id", "")
        pages = entry.get("pages", [])
        modules.append(
            {
                "id": module_id,
                "title": module.get("title", module_id),
                "href": url_for("editor.edit_module", module_id=module_id),
                "quiz_href": url_for("editor.edit_quiz", module_id=module_id)
                if any(q.get("module") == module_id for q in source.get("quizzes", []))
                else None,
                "new_page_href": url_for("editor.new_page", module_id=module_id),
                "pages": [
                    {
                        "id": page.get("id", ""),
                        "title": page.get("title", ""),
                        "number": n,
                        "first": n == 1,
                        "last": n == len(pages),
                        "href": url_for(
                            "editor.edit_page", module_id=module_id, page_id=page.get("id", "")
                        ),
                    }
                    for n, page in enumerate(pages, start=1)
                ],
            }
        )
    surveys = [
        {
            "title": survey.get("title", survey.get("id", "")),
            "href": url_for("editor.edit_document", doc=survey.get("id", "")),
        }
        for survey in source.get("surveys", [])
        if isinstance(survey, dict) and survey.get("id")
    ]
    handouts = [
        {
            "title": handout.get("title", handout.get("id", "")),
            "href": url_for("editor.edit_handout", handout_id=handout.get("id", "")),
        }
        for handout in source.get("handouts", [])
        if isinstance(handout, dict) and handout.get("id")
    ]
    first_module = course.modules[0] if course.modules else None
    return {
        "number": draft.number,
        "version": draft.version,
        "updated": _when(draft.updated_at or draft.created_at),
        "problems": problem_items(source, problems),
        "warnings": warning_items(warnings),
        "live_moved": live_moved,
        "modules": modules,
        "surveys": surveys,
        "handouts": handouts,
        "preview_href": url_for(
            "editor.preview_page",
            module_id=first_module.id,
            page_id=first_module.pages[0].id,
        )
        if first_module
        else None,
    }


def outcome_lines(outcomes: list[dict[str, str]]) -> str:
    return "\n".join(f"{o.get('id', '')}: {o.get('text', '')}" for o in outcomes)


def parse_outcomes(text: str) -> tuple[list[dict[str, str]], str | None]:
    """Outcomes from lines of "id: text", or a message naming the first line that is not."""
    outcomes = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        outcome_id, colon, outcome_text = line.partition(":")
        if not colon or not outcome_id.strip() or not outcome_text.strip():
            return [], f"Line {number} of the learning outcomes needs an id, a colon, then the text"
        outcomes.append({"id": outcome_id.strip(), "text": outcome_text.strip()})
    return outcomes, None


def parse_ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def attach_problems(form: Form, problems: list[Problem], field_names: dict[str, str]) -> None:
    """Put each problem on the form field it is about (the first one named when none matches)."""
    fields = {name: getattr(form, name) for name in field_names.values()}
    fallback = next(iter(fields.values()))
    for problem in problems:
        key = (problem.field or "").split(".")[0]
        target = fields.get(field_names.get(key, ""), fallback)
        message = problem.message
        if problem.line is not None and not problem.field:
            message = f"{message} (line {problem.line})"
        target.errors = [*list(target.errors), message]


def as_yaml(document: object) -> str:
    if isinstance(document, str):
        return document
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


# Questions.


def question_choices(form: QuestionForm, entry: dict[str, Any]) -> None:
    module = entry.get("module", {})
    form.outcome.choices = choices(
        (o.get("id", ""), f"{o.get('id', '')}: {o.get('text', '')}")
        for o in module.get("outcomes", [])
    )
    form.page.choices = choices(
        (p.get("id", ""), p.get("title", "")) for p in entry.get("pages", [])
    )


def fill_question(form: QuestionForm, question: dict[str, Any]) -> None:
    form.question_id.data = question.get("id", "")
    form.type.data = question.get("type", "single")
    form.answer.data = question.get("answer") or ""
    form.scenario.data = question.get("scenario") or ""
    form.text.data = question.get("text", "")
    form.outcome.data = question.get("outcome")
    form.page.data = question.get("page")
    form.explanation.data = question.get("explanation", "")
    options = question.get("options", [])
    for n, row in enumerate(form.options):
        option = options[n] if n < len(options) else {}
        row.form.id.data = option.get("id", "")
        row.form.text.data = option.get("text", "")
        row.form.correct.data = bool(option.get("correct"))
        row.form.feedback.data = option.get("feedback", "")


def question_values(form: QuestionForm) -> tuple[dict[str, Any], str | None]:
    """The question as the quiz file holds it, and the first problem the schema finds."""
    options = [
        {
            "id": (row.form.id.data or "").strip(),
            "text": (row.form.text.data or "").strip(),
            "correct": bool(row.form.correct.data),
            "feedback": (row.form.feedback.data or "").strip(),
        }
        for row in form.options
        if (row.form.id.data or "").strip() or (row.form.text.data or "").strip()
    ]
    values: dict[str, Any] = {
        "id": form.question_id.data,
        "type": form.type.data,
        "text": form.text.data,
        "outcome": form.outcome.data,
        "page": form.page.data,
        "explanation": form.explanation.data,
        "options": options,
    }
    if form.answer.data:
        values["answer"] = form.answer.data
    if (form.scenario.data or "").strip():
        values["scenario"] = form.scenario.data
    try:
        Question.model_validate(values)
    except ValueError as error:
        first = error.errors()[0] if hasattr(error, "errors") else {"msg": str(error), "loc": ()}
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        return values, f"{where}: {message}" if where else message
    return values, None


def meaning_changes(live: Course, question_id: str | None, values: dict[str, Any]) -> list[str]:
    """How an edit changes what a live question means (its options or right answer), in words;
    empty for a new question or one that keeps its meaning."""
    old = next(
        (q for quiz in live.quizzes.values() for q in quiz.questions if q.id == question_id),
        None,
    )
    if old is None:
        return []
    return identity.what_changed(old, Question.model_validate(values))


def question_rows(quiz: dict[str, Any], stats: dict[str, ItemStats]) -> list[dict[str, Any]]:
    module_id = quiz.get("module", "")
    rows = []
    for question in quiz.get("questions", []):
        question_id = question.get("id", "")
        stat = stats.get(question_id)
        rows.append(
            {
                "id": question_id,
                "text": question.get("text", ""),
                "href": url_for(
                    "editor.edit_question", module_id=module_id, question_id=question_id
                ),
                "remove": url_for(
                    "editor.remove_question", module_id=module_id, question_id=question_id
                ),
                "facility": _facility_text(stat),
            }
        )
    return rows


def _facility_text(stat: ItemStats | None) -> str:
    """The share who answered correctly, shown only when neither the right nor the wrong
    answers are a small number (the share would reveal them)."""
    small = _threshold()
    if stat is None or stat.answered < small:
        return "Too few answers to judge"
    shown = disclosure.protect(
        {"right": stat.right, "wrong": stat.answered - stat.right, "all": stat.answered},
        [disclosure.Sum("all", ("right", "wrong"))],
        small,
    )
    share = disclosure.percent(shown["right"], shown["all"]) if shown["wrong"] is not None else None
    return f"{share}% answered correctly" if share is not None else "Not shown: too few to judge"


def question_feedback(stat: ItemStats | None, form: QuestionForm) -> dict[str, Any]:
    """How the pilot answered the question, with a plain verdict, or why there is none."""
    small = _threshold()
    if stat is None or stat.answered < small:
        return {
            "enough": False,
            "text": f"Fewer than {small} learners have answered this question, too few to judge.",
        }
    facility = _facility_text(stat)
    verdict = []
    if stat.discrimination is not None and stat.upper >= small and stat.lower >= small:
        if stat.discrimination < 0.2:
            verdict.append(
                "Strong and weak scorers do about as well as each other on it: it may test"
                " something other than the module."
            )
        discrimination = f"{stat.discrimination:.2f}"
    else:
        discrimination = "too few in the top and bottom groups to work out"
    if stat.common_wrong and stat.common_wrong_count >= small:
        texts = {row.form.id.data: row.form.text.data for row in form.options}
        chosen = ", ".join(texts.get(i) or i for i in stat.common_wrong)
        verdict.append(
            f"The wrong answer chosen most often is \u201c{chosen}\u201d. Is it misleading?"
        )
    return {
        "enough": True,
        "facility": facility,
        "discrimination": discrimination,
        "verdict": verdict,
    }


# Pages.


def readability(markdown: str, warnings: list[ContentWarning]) -> dict[str, Any] | None:
    """Reading ease and sentence length of the page text against the course's targets, and the
    page's other warnings (None for an empty page)."""
    if not markdown.strip():
        return None
    measured = checks.page_readability(markdown)
    return {
        "reading_ease": round(measured.reading_ease),
        "words_per_sentence": round(measured.words_per_sentence, 1),
        "warnings": [w.message for w in warnings],
    }


def warning_items(warnings: list[ContentWarning]) -> list[dict[str, str | None]]:
    """The draft's plain-language and quality warnings, each linking to where to fix it."""
    items = []
    for warning in warnings:
        href = None
        if warning.module and warning.page:
            href = url_for("editor.edit_page", module_id=warning.module, page_id=warning.page)
        elif warning.quiz and warning.question:
            href = url_for(
                "editor.edit_question", module_id=warning.quiz, question_id=warning.question
            )
        elif warning.quiz:
            href = url_for("editor.edit_quiz", module_id=warning.quiz)
        elif warning.module:
            href = url_for("editor.edit_module", module_id=warning.module)
        items.append({"text": f"{warning.where}: {warning.message}", "href": href})
    return items


def page_feedback(
    helpful: PageHelpful | None, commenters: int, comments: list[PageComment]
) -> dict[str, Any]:
    small = _threshold()
    if helpful is None or helpful.answers < small:
        share = None
    else:
        shown = disclosure.protect(
            {
                "yes": helpful.helpful,
                "no": helpful.answers - helpful.helpful,
                "all": helpful.answers,
            },
            [disclosure.Sum("all", ("yes", "no"))],
            small,
        )
        share = disclosure.percent(shown["yes"], shown["all"]) if shown["no"] is not None else None
    return {
        "answers": helpful.answers if helpful and helpful.answers >= small else None,
        "share": share,
        "small": small,
        "comments": [c.comment for c in comments if c.comment] if commenters >= small else [],
        "comments_hidden": commenters < small,
    }


# Preview and publish.


def preview_links(module, index: int, has_quiz: bool) -> dict[str, str | None]:
    pages = module.pages
    following = pages[index + 1] if index + 1 < len(pages) else None
    previous = pages[index - 1] if index > 0 else None
    if following is not None:
        next_href = url_for("editor.preview_page", module_id=module.id, page_id=following.id)
        next_label = "Next page"
    elif has_quiz:
        next_href = url_for("editor.preview_quiz", module_id=module.id)
        next_label = "Go to the quiz"
    else:
        next_href, next_label = url_for("editor.index"), "Back to the editor"
    return {
        "next_href": next_href,
        "next_label": next_label,
        "previous_href": url_for("editor.preview_page", module_id=module.id, page_id=previous.id)
        if previous
        else None,
        "editor_href": url_for("editor.index"),
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def impact_view(change: ModuleImpact) -> dict[str, Any]:
    """What happens to learners' progress, attempts and answers, in plain words."""
    said: list[str] = []
    if change.new_module:
        said.append("This is a new module. Learners who finished the course will see it to do.")
    if change.removed_module:
        said.append(
            "This module is removed. Learners' progress in it is kept but no longer counts."
        )
    if change.pages_added:
        said.append(
            f"{_plural(len(change.pages_added), 'new page')}. Learners part-way through must"
            " read them before the module is complete. Learners who finished it keep their"
            " certificate, but the module shows as in progress until they read the new pages."
        )
    if change.pages_removed:
        said.append(
            f"{_plural(len(change.pages_removed), 'page')} removed. Learners keep their progress"
            " on the other pages. Done marks on removed pages stay stored but no longer count."
        )
    if change.pages_moved:
        said.append("Pages move to a new order. Nobody loses progress: done pages stay done.")
    if change.pages_edited:
        said.append(
            f"{_plural(len(change.pages_edited), 'page')} with new text or title. Pages already"
            " done stay done."
        )
    if change.questions_added or change.questions_removed or change.questions_edited:
        said.append(
            f"Quiz questions change ({len(change.questions_added)} added,"
            f" {len(change.questions_removed)} removed, {len(change.questions_edited)} edited)."
            " Submitted attempts keep their scores and the revision they were taken on."
        )
    if change.attempts_in_progress:
        said.append(
            f"{_plural(change.attempts_in_progress, 'quiz attempt')} in progress: each carries on"
            " with the questions it was given, leaving out any removed question."
        )
    if change.quiz_settings:
        said.append("Quiz settings change. They apply to attempts started after publishing.")
    if change.details:
        said.append("The module's title, summary, time or outcomes change.")
    if change.surveys:
        said.append(
            "Its survey changes. Answers already given stay with the revision they were given on."
        )
    small = _threshold()
    return {
        "title": change.title,
        "part_way": _count(change.part_way, small),
        "completed": _count(change.completed, small),
        "said": said,
    }


def _count(value: int, small: int) -> str:
    if value == 0:
        return "No learners"
    if value < small:
        return f"Fewer than {small} learners"
    return _plural(value, "learner")


def rollback_refused(number: int, problems: list[Problem]) -> str:
    shown = "; ".join(str(p) for p in problems[:3])
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return f"Revision {number} does not pass today's checks, so nothing was changed: {shown}{more}"
