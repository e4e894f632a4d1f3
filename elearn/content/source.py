"""A course as the documents it is written in: the same shape as the files and as
``validate.validate_data`` takes, as plain JSON-ready data an editor changes one document at a time.

Every edit returns a new source and leaves the one it was given alone. A document's
``fingerprint`` lets an editor notice that someone else saved the same document since it was
opened, without locking anyone out of the others.
"""

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from elearn.content.schema import Course

Source = dict[str, Any]


class NotInSource(LookupError):
    """No document with that id in the draft (it may have been removed by someone else)."""


def course_source(course: Course) -> Source:
    """The documents a course was built from (what `export_directory` writes as files)."""
    return {
        "course": {
            "id": course.id,
            "title": course.title,
            "summary": course.summary,
            "modules": [m.id for m in course.modules],
            "glossary": "glossary.yaml",
            "bibliography": "bibliography.yaml",
        },
        "glossary": {"terms": [t.model_dump() for t in course.glossary]},
        "bibliography": {
            "sources": [s.model_dump(mode="json", exclude_none=True) for s in course.bibliography]
        },
        "modules": [
            {
                "module": {
                    "id": module.id,
                    "title": module.title,
                    "summary": module.summary,
                    "estimated_minutes": module.estimated_minutes,
                    "outcomes": [o.model_dump() for o in module.outcomes],
                    "pages": [p.id for p in module.pages],
                },
                "pages": [
                    {
                        "id": page.id,
                        "title": page.title,
                        **({"sources": list(page.sources)} if page.sources else {}),
                        **(
                            {"decisions": [d.model_dump(mode="json") for d in page.decisions]}
                            if page.decisions
                            else {}
                        ),
                        "markdown": page.markdown,
                    }
                    for page in module.pages
                ],
            }
            for module in course.modules
        ],
        "quizzes": [quiz.model_dump(mode="json") for quiz in course.quizzes.values()],
        "surveys": [s.model_dump(mode="json", exclude_none=True) for s in course.surveys],
        "handouts": [
            handout.model_dump(include={"id", "title", "persona", "summary", "markdown"})
            for handout in course.handouts
        ],
    }


def fingerprint(document: object) -> str:
    """A short hash of one document as it stands."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Finding documents.


def module_at(source: Source, module_id: str) -> int:
    for n, entry in enumerate(source.get("modules", [])):
        if entry.get("module", {}).get("id") == module_id:
            return n
    raise NotInSource(f"no module {module_id}")


def module(source: Source, module_id: str) -> dict[str, Any]:
    return source["modules"][module_at(source, module_id)]["module"]


def page_at(source: Source, module_id: str, page_id: str) -> tuple[int, int]:
    m = module_at(source, module_id)
    for n, page in enumerate(source["modules"][m].get("pages", [])):
        if page.get("id") == page_id:
            return m, n
    raise NotInSource(f"no page {page_id} in module {module_id}")


def page(source: Source, module_id: str, page_id: str) -> dict[str, Any]:
    m, n = page_at(source, module_id, page_id)
    return source["modules"][m]["pages"][n]


def handout_at(source: Source, handout_id: str) -> int:
    for n, handout in enumerate(source.get("handouts", [])):
        if isinstance(handout, dict) and handout.get("id") == handout_id:
            return n
    raise NotInSource(f"no handout {handout_id}")


def quiz_at(source: Source, module_id: str) -> int:
    for n, quiz in enumerate(source.get("quizzes", [])):
        if quiz.get("module") == module_id:
            return n
    raise NotInSource(f"no quiz for module {module_id}")


def quiz(source: Source, module_id: str) -> dict[str, Any]:
    return source["quizzes"][quiz_at(source, module_id)]


def question(source: Source, module_id: str, question_id: str) -> dict[str, Any]:
    for item in quiz(source, module_id).get("questions", []):
        if item.get("id") == question_id:
            return item
    raise NotInSource(f"no question {question_id} in the quiz for {module_id}")


# Edits: each takes a source and returns a changed copy.


def _edit(source: Source, change: Callable[[Source], None]) -> Source:
    changed = copy.deepcopy(source)
    change(changed)
    return changed


def set_course(source: Source, title: str, summary: str) -> Source:
    def change(s: Source) -> None:
        s["course"].update(title=title, summary=summary)

    return _edit(source, change)


def set_module(source: Source, module_id: str, details: dict[str, Any]) -> Source:
    """Change a module's title, summary, minutes or outcomes (its id and pages stay)."""

    def change(s: Source) -> None:
        module(s, module_id).update(details)

    return _edit(source, change)


def set_page(source: Source, module_id: str, page_id: str, values: dict[str, Any]) -> Source:
    """Change a page's title, sources or Markdown (its id stays: progress is keyed by it)."""

    def change(s: Source) -> None:
        found = page(s, module_id, page_id)
        found.update(values)
        if not found.get("sources"):
            found.pop("sources", None)

    return _edit(source, change)


def add_page(
    source: Source, module_id: str, page_id: str, title: str, markdown: str, after: str | None
) -> Source:
    """A new page after the page `after` (or at the end)."""

    def change(s: Source) -> None:
        m = module_at(s, module_id)
        entry = s["modules"][m]
        ids = [p.get("id") for p in entry["pages"]]
        at = ids.index(after) + 1 if after in ids else len(ids)
        entry["pages"].insert(at, {"id": page_id, "title": title, "markdown": markdown})
        entry["module"]["pages"] = [p.get("id") for p in entry["pages"]]

    return _edit(source, change)


def remove_page(source: Source, module_id: str, page_id: str) -> Source:
    def change(s: Source) -> None:
        m, n = page_at(s, module_id, page_id)
        entry = s["modules"][m]
        del entry["pages"][n]
        entry["module"]["pages"] = [p.get("id") for p in entry["pages"]]

    return _edit(source, change)


def move_page(source: Source, module_id: str, page_id: str, by: int) -> Source:
    """Move a page up (by -1) or down (by 1); at either end it stays where it is."""

    def change(s: Source) -> None:
        m, n = page_at(s, module_id, page_id)
        entry = s["modules"][m]
        to = min(max(n + by, 0), len(entry["pages"]) - 1)
        entry["pages"].insert(to, entry["pages"].pop(n))
        entry["module"]["pages"] = [p.get("id") for p in entry["pages"]]

    return _edit(source, change)


def set_quiz(source: Source, module_id: str, settings: dict[str, Any]) -> Source:
    def change(s: Source) -> None:
        quiz(s, module_id).update(settings)

    return _edit(source, change)


def set_question(
    source: Source, module_id: str, question_id: str | None, values: dict[str, Any]
) -> Source:
    """Replace a question (by its old id; its id may change), or add one when question_id is
    None."""

    def change(s: Source) -> None:
        questions = quiz(s, module_id)["questions"]
        if question_id is None:
            questions.append(values)
            return
        for n, item in enumerate(questions):
            if item.get("id") == question_id:
                questions[n] = values
                return
        raise NotInSource(f"no question {question_id} in the quiz for {module_id}")

    return _edit(source, change)


def remove_question(source: Source, module_id: str, question_id: str) -> Source:
    def change(s: Source) -> None:
        found = quiz(s, module_id)
        found["questions"] = [q for q in found["questions"] if q.get("id") != question_id]

    return _edit(source, change)


def set_handout(source: Source, handout_id: str, values: dict[str, Any]) -> Source:
    """Change a handout's title, persona, summary or Markdown (its id stays: links use it)."""

    def change(s: Source) -> None:
        s["handouts"][handout_at(s, handout_id)].update(values)

    return _edit(source, change)


def set_document(source: Source, key: str, index: int | None, document: object) -> Source:
    """Replace a whole document edited as text: the glossary (index None) or a survey."""

    def change(s: Source) -> None:
        if index is None:
            s[key] = document
        else:
            s[key][index] = document

    return _edit(source, change)
