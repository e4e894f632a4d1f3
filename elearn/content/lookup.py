"""Finding a module, page, quiz or survey of a course by its stable id."""

from elearn.content.schema import (
    Course,
    DecisionPoint,
    Handout,
    Module,
    Page,
    QuizFile,
    SurveyFile,
    SurveyTrigger,
)

TRIGGER_ORDER = {
    SurveyTrigger.AFTER_REGISTRATION: 0,
    SurveyTrigger.AFTER_MODULE: 1,
    SurveyTrigger.STUCK: 2,
    SurveyTrigger.AFTER_COURSE: 3,
    SurveyTrigger.FOLLOW_UP: 4,
}


class NotInCourse(LookupError):
    """No such module, page, quiz or survey in this course."""


def find_module(course: Course, module_id: str) -> Module:
    module = next((m for m in course.modules if m.id == module_id), None)
    if module is None:
        raise NotInCourse(module_id)
    return module


def find_page(course: Course, module_id: str, page_id: str) -> tuple[Module, Page]:
    module = find_module(course, module_id)
    page = next((p for p in module.pages if p.id == page_id), None)
    if page is None:
        raise NotInCourse(page_id)
    return module, page


def find_decision(
    course: Course, module_id: str, page_id: str, decision_id: str
) -> tuple[Module, Page, DecisionPoint]:
    module, page = find_page(course, module_id, page_id)
    decision = next((d for d in page.decisions if d.id == decision_id), None)
    if decision is None:
        raise NotInCourse(decision_id)
    return module, page, decision


def find_quiz(course: Course, module_id: str) -> QuizFile:
    quiz = course.quizzes.get(module_id)
    if quiz is None:
        raise NotInCourse(module_id)
    return quiz


def find_survey(course: Course, survey_id: str) -> SurveyFile:
    survey = next((s for s in course.surveys if s.id == survey_id), None)
    if survey is None:
        raise NotInCourse(survey_id)
    return survey


def ordered_surveys(course: Course) -> list[SurveyFile]:
    """Surveys in the order a learner meets them: start, each module in order, end."""
    modules = {m.id: n for n, m in enumerate(course.modules)}
    return sorted(
        course.surveys,
        key=lambda s: (TRIGGER_ORDER[s.trigger], modules.get(s.module or "", 0), s.id),
    )


def find_handout(course: Course, handout_id: str) -> Handout:
    handout = next((h for h in course.handouts if h.id == handout_id), None)
    if handout is None:
        raise NotInCourse(handout_id)
    return handout
