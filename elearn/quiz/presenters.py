"""Display helpers for quizzes: answers as text, result rows."""

from flask import url_for
from markupsafe import Markup

from elearn.content import links
from elearn.content.schema import Course, Question


def answer_text(question: Question, option_ids: list[str]) -> str:
    texts = [o.text for o in question.options if o.id in option_ids]
    return "; ".join(texts) if texts else "Not answered"


def question_with_scenario(question: Question) -> str:
    """A question's text, after its scenario where it has one: the question alone can make no
    sense ("What should she do?")."""
    if question.scenario:
        return f"{question.scenario.strip()} {question.text}"
    return question.text


def check_rows(view) -> list[dict]:
    """Summary-list rows for the check-your-answers page."""
    rows = []
    for number, question in enumerate(view.questions, start=1):
        rows.append(
            {
                "key": {"text": f"{number}. {question_with_scenario(question)}"},
                "value": {"text": answer_text(question, view.answers.get(question.id, []))},
                "actions": {
                    "items": [
                        {
                            "href": url_for(
                                "quiz.question", attempt_id=view.attempt.id, number=number
                            ),
                            "text": "Change",
                            "visuallyHiddenText": f"answer to question {number}",
                        }
                    ]
                },
            }
        )
    return rows


def reveals_answers(passed_module: bool, attempts_left: int | None) -> bool:
    """The right answers and full feedback come with a pass, or once no attempt is left. After a
    fail with attempts to come, the learner sees only which answers were not right and the page
    to read again: showing the answers would let the next attempt test memory, not learning."""
    return passed_module or attempts_left == 0


def result_items(view, course: Course, reveal: bool) -> list[dict]:
    """Each question with the learner's answer, right or not, and the page to read again; with
    ``reveal`` (see reveals_answers) also the right answer, feedback and explanation."""
    module = next(m for m in course.modules if m.id == view.attempt.module_id)
    titles = {p.id: p.title for p in module.pages}
    items = []
    for number, question in enumerate(view.questions, start=1):
        chosen = view.answers.get(question.id, [])
        correct_ids = [o.id for o in question.options if o.correct]
        item = {
            "number": number,
            "scenario": question.scenario,
            "text": question.text,
            "right": view.correct.get(question.id, False),  # decided at submission
            "yours": answer_text(question, chosen),
            "page_href": links.page_path(module.id, question.page),
            "page_title": titles.get(question.page, "the page that teaches this"),
            "reveal": reveal,
        }
        if reveal:
            item["correct"] = answer_text(question, correct_ids)
            item["feedback"] = [o.feedback for o in question.options if o.id in chosen]
            item["explanation"] = question.explanation
        items.append(item)
    return items


def attempt_rows(attempts) -> list[list[dict]]:
    """Past attempts as table rows, each linking to its result."""
    return [
        [
            {
                "html": Markup('<a href="{}">Attempt {}</a>').format(
                    url_for("quiz.result", attempt_id=a.id), a.number
                )
            },
            {"text": f"{a.score} out of {a.max_score}"},
            {"text": "Passed" if a.passed else "Not passed"},
        ]
        for a in attempts
    ]
