"""What changed between two content revisions, matched by stable ids (a pure rule).

Modules, pages and quiz questions keep their ids across revisions, so a revision's changes are
the ids added, removed, retitled or rewritten. Only what a learner sees counts: a page's title
and text, a question's text, options and explanation.
"""

from dataclasses import dataclass
from enum import StrEnum

from elearn.content.schema import Course


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RETITLED = "retitled"
    REWRITTEN = "rewritten"


@dataclass(frozen=True)
class Change:
    what: str  # "module", "page" or "question"
    kind: ChangeKind
    module_id: str
    item_id: str
    title: str  # in the newer revision, or the older one when removed


def _pages(course: Course) -> dict[str, tuple[str, str, str]]:
    return {p.id: (m.id, p.title, p.markdown) for m in course.modules for p in m.pages}


def _questions(course: Course) -> dict[str, tuple[str, str, str]]:
    found = {}
    for module_id, quiz in course.quizzes.items():
        for question in quiz.questions:
            seen = question.model_dump_json(exclude={"text"})
            found[question.id] = (module_id, question.text, seen)
    return found


def _compare(what: str, old: dict, new: dict) -> list[Change]:
    changes = []
    for item_id, (module_id, title, body) in new.items():
        if item_id not in old:
            changes.append(Change(what, ChangeKind.ADDED, module_id, item_id, title))
        elif old[item_id][1] != title:
            changes.append(Change(what, ChangeKind.RETITLED, module_id, item_id, title))
        elif old[item_id][2] != body:
            changes.append(Change(what, ChangeKind.REWRITTEN, module_id, item_id, title))
    changes += [
        Change(what, ChangeKind.REMOVED, module_id, item_id, title)
        for item_id, (module_id, title, _) in old.items()
        if item_id not in new
    ]
    return changes


def changes(old: Course, new: Course) -> list[Change]:
    """Every module, page and question added, removed, retitled or rewritten, in that order."""
    modules_old = {m.id: (m.id, m.title, m.summary) for m in old.modules}
    modules_new = {m.id: (m.id, m.title, m.summary) for m in new.modules}
    return (
        _compare("module", modules_old, modules_new)
        + _compare("page", _pages(old), _pages(new))
        + _compare("question", _questions(old), _questions(new))
    )
