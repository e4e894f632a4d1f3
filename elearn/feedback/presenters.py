"""Turn surveys, answers and page feedback into NHS component params and display text."""

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup, escape

from elearn.content.schema import Course, SurveyFile, SurveyItem
from elearn.feedback import forms, items, service
from elearn.feedback.forms import PageFeedbackForm
from elearn.journey.surveys import SurveyStatus, SurveyStatusKind

NOT_ANSWERED = "Not answered"

STATUSES = {
    SurveyStatusKind.ANSWERED: {
        "text": "Completed",
        "classes": "nhsuk-task-list__status--completed",
    },
    SurveyStatusKind.STARTED: {"tag": {"text": "In progress", "classes": "nhsuk-tag--blue"}},
    SurveyStatusKind.TO_DO: {"tag": {"text": "Not started", "classes": "nhsuk-tag--grey"}},
    SurveyStatusKind.SKIPPED: {"tag": {"text": "Skipped", "classes": "nhsuk-tag--white"}},
    SurveyStatusKind.NOT_YET: {
        "text": "Cannot start yet",
        "classes": "nhsuk-task-list__status--cannot-start-yet",
    },
    SurveyStatusKind.CLOSED: {
        "text": "Closed",
        "classes": "nhsuk-task-list__status--cannot-start-yet",
    },
}


def page_feedback_form(user_id: int, page_id: str) -> PageFeedbackForm:
    """The "was this page helpful?" form for a content page, with the learner's earlier answer
    filled in (one query). The learn page passes it to its template as page_feedback_form."""
    return forms.page_feedback_form(service.page_feedback_for(user_id, page_id))


def survey_task_items(statuses: list[SurveyStatus]) -> list[dict]:
    """The surveys as a task list: a link to each one the learner can answer now."""
    task_items = []
    for status in statuses:
        item: dict = {"title": {"text": status.survey.title}, "status": STATUSES[status.status]}
        if status.status == SurveyStatusKind.NOT_YET:
            item["hint"] = status.unlocks
        elif status.status == SurveyStatusKind.CLOSED and status.closed_on is not None:
            item["hint"] = f"This survey closed on {status.closed_on:%-d %B %Y}."
        elif status.status == SurveyStatusKind.ANSWERED:
            item["hint"] = "Thank you for your answers."
        else:
            item["href"] = url_for("feedback.take_survey", survey_id=status.survey.id)
        task_items.append(item)
    return task_items


@dataclass
class Section:
    heading: str | None
    items: list[SurveyItem] = field(default_factory=list)


def sections(
    course: Course, survey: SurveyFile, on_page: list[SurveyItem] | None = None
) -> list[Section]:
    """A survey's items (or one page's) in groups: knowledge questions, confidence items under
    their module, then the rest.

    A survey with no items about learning outcomes or knowledge is one group with no heading.
    """
    shown = list(survey.items if on_page is None else on_page)
    modules = {o.id: (n, m) for n, m in enumerate(course.modules, start=1) for o in m.outcomes}
    if not any(item.outcome in modules or item.knowledge for item in survey.items):
        return [Section(None, shown)]
    groups: list[Section] = []
    for item in shown:
        if item.knowledge:
            heading = "What you know now"
        elif item.outcome in modules:
            number, module = modules[item.outcome]
            heading = f"Module {number}: {module.title}"
        else:
            heading = "About the course"
        if not groups or groups[-1].heading != heading:
            groups.append(Section(heading))
        groups[-1].items.append(item)
    return groups


def field_params(item: SurveyItem) -> dict:
    """Macro params that differ by item type (the widget fills in the rest)."""
    if item.type == "rating":
        return {"classes": "nhsuk-radios--inline"}
    return {}


def form_sections(
    course: Course, survey: SurveyFile, form, on_page: list[SurveyItem] | None = None
) -> list[dict]:
    """The survey form's fields, grouped, each with its params, for the template to place."""
    return [
        {
            "heading": section.heading,
            "fields": [
                {"field": form[forms.field_name(item)], "params": field_params(item)}
                for item in section.items
            ],
        }
        for section in sections(course, survey, on_page)
    ]


def answer_html(item: SurveyItem, value: str | None) -> Markup:
    """An answer for display: escaped, with the learner's own line breaks kept."""
    text = items.answer_text(item, value)
    if text is None:
        return Markup(escape(NOT_ANSWERED))
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


SURVEY_PAGE_SIZE = 6  # questions on one page of a survey, so a phone screen or two shows them


def survey_pages(survey: SurveyFile) -> list[list[SurveyItem]]:
    """A survey's items in pages of at most SURVEY_PAGE_SIZE, in order."""
    found = list(survey.items)
    return [found[n : n + SURVEY_PAGE_SIZE] for n in range(0, len(found), SURVEY_PAGE_SIZE)]


def survey_page_url(survey: SurveyFile, number: int, back_to_check: bool = False) -> str:
    """One page of a survey's questions; ``back_to_check``: sending it returns to check answers
    (a change made from there) rather than going on to the next page."""
    params: dict = {"page": number} if number > 1 else {}
    if back_to_check:
        params["check"] = 1
    return url_for("feedback.take_survey", survey_id=survey.id, **params)


def page_of(survey: SurveyFile, item: SurveyItem) -> int:
    return next(n for n, on in enumerate(survey_pages(survey), start=1) if item in on)


def answer_href(survey: SurveyFile, item: SurveyItem) -> str:
    """The survey form, at one item's field (on its page), returning to check answers."""
    page = survey_page_url(survey, page_of(survey, item), back_to_check=True)
    return f"{page}#{forms.field_name(item)}"


def survey_back_link(survey: SurveyFile, number: int) -> dict:
    """Back to the previous page of the survey, or to the survey list from its first page."""
    if number > 1:
        return {"href": survey_page_url(survey, number - 1), "text": "Back"}
    return {"href": url_for("feedback.list_surveys"), "text": "Back to feedback surveys"}


def check_sections(course: Course, survey: SurveyFile, answers: dict[str, str]) -> list[dict]:
    """Summary-list rows for the check-your-answers page, grouped like the form."""
    return [
        {
            "heading": section.heading,
            "rows": [
                {
                    "key": {"text": item.text},
                    "value": {"html": answer_html(item, answers.get(item.id))},
                    "actions": {
                        "items": [
                            {
                                "href": answer_href(survey, item),
                                "text": "Change",
                                "visuallyHiddenText": f"your answer to: {item.text}",
                            }
                        ]
                    },
                }
                for item in section.items
            ],
        }
        for section in sections(course, survey)
    ]


def missing_required(survey: SurveyFile, answers: dict[str, str]) -> SurveyItem | None:
    """The first required item with no answer, if any."""
    return next((i for i in survey.items if i.required and i.id not in answers), None)
