"""Turn progress into NHS component params and links: tags, cards, task lists, next steps."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for

from elearn.content.schema import DecisionChoice, DecisionPoint, Module, Page, SurveyFile
from elearn.journey.certificates import ModuleResult
from elearn.journey.progression import NextStep
from elearn.journey.state import CourseState, ModuleState, ModuleStatus
from elearn.learn.forms import DecisionForm, decision_form

STATUS_TAGS = {
    ModuleStatus.COMPLETED: {"text": "Completed", "classes": "nhsuk-tag--green"},
    ModuleStatus.IN_PROGRESS: {"text": "In progress", "classes": "nhsuk-tag--blue"},
    ModuleStatus.NOT_STARTED: {"text": "Not started", "classes": "nhsuk-tag--grey"},
}


def status_tag(status: ModuleStatus) -> dict:
    return STATUS_TAGS[status]


def page_url(module: Module, page: Page) -> str:
    return url_for("learn.page", module_id=module.id, page_id=page.id)


def survey_url(survey: SurveyFile) -> str:
    return url_for("feedback.take_survey", survey_id=survey.id)


def step_url(step: NextStep) -> str:
    """Where a learner goes next: a survey first, then the course-complete page, the next page,
    the module's quiz, or the completed module's overview."""
    if step.survey is not None:
        return survey_url(step.survey)
    if step.course_completed:
        return url_for("learn.course_complete")
    if step.quiz:
        return url_for("quiz.start", module_id=step.module.id)
    if step.page is not None:
        return page_url(step.module, step.page)
    return url_for("learn.module", module_id=step.module.id)


def resume(state: CourseState) -> dict | None:
    """The dashboard's one "Continue": where the learner left off (a page or a quiz)."""
    place = state.resume
    if place is None:
        return None
    if place.page is None:
        href = url_for("quiz.start", module_id=place.module.id)
        return {"href": href, "page": "End of module quiz", "module": place.module.title}
    return {
        "href": page_url(place.module, place.page),
        "page": place.page.title,
        "module": place.module.title,
    }


def module_card(number: int, state: ModuleState) -> dict:
    """Params for one module's card on the dashboard: its status and a link to its overview."""
    module = state.module
    return {
        "number": number,
        "title": module.title,
        "summary": module.summary,
        "minutes": module.estimated_minutes,
        "tag": status_tag(state.status),
        "done": f"{state.done_count} of {state.total} pages done",
        "overview_href": url_for("learn.module", module_id=module.id),
        "first_href": page_url(module, module.pages[0]),
    }


def page_task_items(state: ModuleState) -> list[dict]:
    """The module's pages as a task list with a done mark each."""
    items = []
    for page in state.module.pages:
        if page.id in state.done:
            status: dict = {"text": "Completed"}
        elif page.id in state.viewed:
            status = {"tag": status_tag(ModuleStatus.IN_PROGRESS)}
        else:
            status = {"tag": status_tag(ModuleStatus.NOT_STARTED)}
        items.append(
            {"title": {"text": page.title}, "href": page_url(state.module, page), "status": status}
        )
    return items


def previous_link(module: Module, page: Page) -> dict:
    """The pagination's previous link (Next is a button that also marks the page done)."""
    index = [p.id for p in module.pages].index(page.id)
    if index == 0:
        return {}
    previous = module.pages[index - 1]
    return {"previous": {"href": page_url(module, previous), "labelText": previous.title}}


def next_label(module: Module, page: Page, state: ModuleState) -> str:
    """What the Next button says: the next page, the quiz, or finishing the module."""
    index = [p.id for p in module.pages].index(page.id)
    if index + 1 < len(module.pages):
        return f"Next: {module.pages[index + 1].title}"
    if state.has_quiz and not state.quiz_passed:
        return "Next: the end of module quiz"
    return "Finish this module"


def after_module(state: CourseState, module_id: str) -> dict | None:
    """On a completed module's overview: its survey if open, and the next module to start."""
    module_state = state.module(module_id)
    if module_state.status != ModuleStatus.COMPLETED:
        return None
    following = state.next_module()
    step: dict = {"course_completed": state.completed}
    if following is not None:
        number, next_state = following
        step["next_href"] = page_url(next_state.module, next_state.next_page)
        step["next_text"] = f"Start module {number}: {next_state.module.title}"
    return step


def check_url(code: str) -> str:
    """The public page that confirms a certificate, on the service's permanent address."""
    return current_app.config["BASE_URL"] + url_for("privacy.verify_certificate", code=code)


def long_date(when: datetime) -> str:
    """A date as people write it: 1 December 2026."""
    return f"{when.day} {when:%B %Y}"


def module_line(module: ModuleResult) -> str:
    """One module on the certificate, with its best quiz score."""
    if module.score is None:
        return f"Module {module.number}: {module.title}"
    return (
        f"Module {module.number}: {module.title}. Quiz score {module.score} out of {module.out_of}"
    )


@dataclass(frozen=True)
class DecisionView:
    """A decision point as the page shows it: its form, and once answered, the feedback."""

    decision: DecisionPoint
    form: DecisionForm
    action: str
    anchor: str
    paragraphs: list[str]
    chosen: DecisionChoice | None = None


def decision_anchor(decision: DecisionPoint) -> str:
    return f"decision-{decision.id}"


# Where a decision point's form posts: the learner's route, which records the answer, or the
# editor's preview of a draft, which only shows the feedback.
LEARNER_ANSWER = "learn.answer_decision"


def decision_view(
    module: Module,
    page: Page,
    decision: DecisionPoint,
    form: DecisionForm,
    chosen: DecisionChoice | None = None,
    answer_endpoint: str = LEARNER_ANSWER,
) -> DecisionView:
    return DecisionView(
        decision=decision,
        form=form,
        action=url_for(
            answer_endpoint, module_id=module.id, page_id=page.id, decision_id=decision.id
        ),
        anchor=decision_anchor(decision),
        paragraphs=[p.strip() for p in decision.situation.split("\n\n") if p.strip()],
        chosen=chosen,
    )


def decision_views(
    module: Module,
    page: Page,
    answered: str | None = None,
    chosen: str | None = None,
    answer_endpoint: str = LEARNER_ANSWER,
) -> list[DecisionView]:
    """The page's decision points; ``answered`` and ``chosen`` name the one just answered and
    the reply picked (from the query string the answer redirects to), whose feedback shows."""
    views = []
    for decision in page.decisions:
        choice = decision.choice(chosen or "") if decision.id == answered else None
        form = decision_form(decision, choice.id if choice else None)
        views.append(decision_view(module, page, decision, form, choice, answer_endpoint))
    return views


def decision_feedback_url(
    module: Module,
    page: Page,
    decision: DecisionPoint,
    choice: DecisionChoice,
    page_endpoint: str = "learn.page",
) -> str:
    """Back to the page after an answer, showing that answer's feedback at the decision point."""
    href = url_for(
        page_endpoint, module_id=module.id, page_id=page.id, decision=decision.id, choice=choice.id
    )
    return f"{href}#{decision_anchor(decision)}"
