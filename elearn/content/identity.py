"""A question's id stands for one meaning: the same options and the same right answer(s).

Answers, item statistics and learning records are all keyed by the question's id. If a question
kept its id while its options or its right answer changed, old and new answers would be counted
as answers to one question and every figure built on them would be wrong. So such a change needs
a new id; publishing refuses it otherwise (store.publish), and the editor offers the next free id.

Changing the question's wording, explanation or an option's feedback keeps the meaning, and the id.
"""

import re
from collections.abc import Collection

from elearn.content.problems import Problem
from elearn.content.schema import Course, Question

_REVISED = re.compile(r"^(?P<base>.+)-r(?P<n>\d+)$")


def _questions(course: Course) -> dict[str, tuple[str, Question]]:
    """Every question by id, with the module id of its quiz."""
    return {
        question.id: (module_id, question)
        for module_id, quiz in course.quizzes.items()
        for question in quiz.questions
    }


def question_ids(course: Course) -> set[str]:
    return set(_questions(course))


def suggest_question_id(course: Course, question_id: str, taken: Collection[str] = ()) -> str:
    """The next free revised id for a question: m1-q3 → m1-q3-r2, m1-q3-r2 → m1-q3-r3, skipping
    ids in the course and in `taken` (say, ids in the live revision or older ones)."""
    match = _REVISED.match(question_id)
    base, number = (match["base"], int(match["n"]) + 1) if match else (question_id, 2)
    used = question_ids(course) | set(taken) | {question_id}
    while f"{base}-r{number}" in used:
        number += 1
    return f"{base}-r{number}"


def what_changed(old: Question, new: Question) -> list[str]:
    """How the question's meaning changed, in words; empty when it did not."""
    old_options = {o.id: o for o in old.options}
    new_options = {o.id: o for o in new.options}
    changes = []
    added = [i for i in new_options if i not in old_options]
    removed = [i for i in old_options if i not in new_options]
    if added:
        changes.append("option " + ", ".join(f"'{i}'" for i in added) + " added")
    if removed:
        changes.append("option " + ", ".join(f"'{i}'" for i in removed) + " removed")
    reworded = [
        i for i in new_options if i in old_options and new_options[i].text != old_options[i].text
    ]
    if reworded:
        changes.append("the text of option " + ", ".join(f"'{i}'" for i in reworded) + " changed")
    old_right = {o.id for o in old.options if o.correct}
    new_right = {o.id for o in new.options if o.correct}
    if old_right != new_right or old.multiple != new.multiple:
        changes.append("the right answer changed")
    return changes


def changed_meaning(live: Course, new: Course, taken: Collection[str] = ()) -> list[Problem]:
    """A problem for each question that keeps its live id while its options (their ids or text)
    or its right answer(s) changed, naming its quiz file and suggesting a new id."""
    live_questions = _questions(live)
    used = set(live_questions) | set(taken)
    problems = []
    for question_id, (module_id, question) in _questions(new).items():
        if question_id not in live_questions:
            continue
        changes = what_changed(live_questions[question_id][1], question)
        if not changes:
            continue
        suggestion = suggest_question_id(new, question_id, used)
        used.add(suggestion)
        problems.append(
            Problem(
                f"quizzes/{module_id}.yaml",
                f"question '{question_id}': {'; '.join(changes)}. A question that means something"
                f" different needs a new id, so answers to the two versions are never mixed: use"
                f" '{suggestion}', or undo the change.",
                field="questions",
            )
        )
    return problems
