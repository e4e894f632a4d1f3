"""Display helpers for quizzes: answers as text, result rows."""

from flask import url_for
from markupsafe import Markup

from elearn.content import links
from elearn.content.schema import Course, Question


def answer_text(question: Question, option_ids: list[str]) -> str:
    texts = [o.text for o in question.options if o.id in option_ids]
    return "; ".join(texts) if texts else "Not answered"


def check_rows(view) -> list[dict]:
    """Summary-list rows for the check-your-answers page."""
    rows = []
    for number, question in enumerate(view.questions, start=1):
        rows.append(
            {
                "key": {"text": f"{number}. {question.text}"},
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


def result_items(view, course: Course) -> list[dict]:
    """Each question with the learner's answer, right or wrong, feedback and where to learn."""
    module = next(m for m in course.modules if m.id == view.attempt.module_id)
    titles = {p.id: p.title for p in module.pages}
    items = []
    for number, question in enumerate(view.questions, start=1):
        chosen = view.answers.get(question.id, [])
        correct_ids = [o.id for o in question.options if o.correct]
        items.append(
            {
                "number": number,
                "text": question.text,
                "right": view.correct.get(question.id, False),  # decided at submission
                "yours": answer_text(question, chosen),
                "correct": answer_text(question, correct_ids),
                "feedback": [o.feedback for o in question.options if o.id in chosen],
                "explanation": question.explanation,
                "page_href": links.page_path(module.id, question.page),
                "page_title": titles.get(question.page, "the page that teaches this"),
            }
        )
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
