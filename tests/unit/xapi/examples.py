"""Example content and a simulated learner journey that emits every statement in the catalogue."""

import uuid
from datetime import UTC, datetime, timedelta

from elearn.xapi import statements as xs

H = "https://guides.example.org"
COURSE = xs.ContentRef("hdg", "Health Data Guides", "Training for local Health Data Guides")
MODULE = xs.ContentRef("m1", "Health and care data")
PAGE = xs.ContentRef("m1-p2", "What is in a GP record?")
SURVEY = xs.ContentRef("pilot-1", "Pilot feedback")
SINGLE = xs.Question(
    "m2-q1",
    "A hospital team counts beds for next winter. Which use of data is this?",
    "single",
    correct=("b",),
    options=(
        xs.Option("a", "Individual care"),
        xs.Option("b", "Planning"),
        xs.Option("c", "Research"),
    ),
)
MULTIPLE = xs.Question(
    "m1-q1",
    "Which of these can a GP record hold? Choose all that apply.",
    "multiple",
    correct=("c", "a", "b"),
    options=(
        xs.Option("a", "Notes from your appointments"),
        xs.Option("b", "Letters from a hospital"),
        xs.Option("c", "Your allergies and vaccinations"),
        xs.Option("d", "Your favourite shops"),
    ),
)
TRUE_FALSE = xs.Question(
    "m1-q2", "True or false: the SDE receives GP free text.", "true-false", correct=("false",)
)
LIKERT = xs.SurveyItem(
    "confidence",
    "How confident do you feel explaining how data is used?",
    "likert",
    options=tuple(
        xs.Option(f"s{n}", text)
        for n, text in enumerate(["Not at all", "A little", "Somewhat", "Quite", "Very"], start=1)
    ),
)
TEXT_ITEM = xs.SurveyItem("improve", "What would make this course better?", "free-text")
ROLES_ITEM = xs.SurveyItem(
    "roles",
    "Which of these describe you? Choose all that apply.",
    "multiple",
    options=(
        xs.Option("nurse", "Nurse"),
        xs.Option("ppg", "PPG member"),
        xs.Option("other", "Other"),
    ),
)


def new_learner() -> xs.Learner:
    return xs.Learner(opaque_id=str(uuid.uuid4()), registration=str(uuid.uuid4()))


def journey(learner: xs.Learner | None = None, base_url: str = H) -> list[dict]:
    """Every event in the catalogue, in the order a learner would cause them."""
    learner = learner or new_learner()
    start = datetime.now(UTC) - timedelta(hours=2)

    def at(minutes: float) -> datetime:
        return start + timedelta(minutes=minutes)

    attempt = str(uuid.uuid4())
    out = [
        xs.registered(base_url, learner, COURSE, at(0)),
        xs.launched(base_url, learner, COURSE, at(0.1)),
        xs.initialized_module(base_url, learner, COURSE, MODULE, at(0.2)),
        xs.experienced_page(base_url, learner, COURSE, MODULE, PAGE, at(1), 58.345),
        xs.answered_page_helpful(base_url, learner, COURSE, MODULE, PAGE, True, at(1.1)),
        xs.progressed(base_url, learner, COURSE, MODULE, 50, at(1.2)),
        xs.answered_question(
            base_url, learner, COURSE, MODULE, MULTIPLE, ["a", "c"], attempt, at(5)
        ),
        xs.answered_question(base_url, learner, COURSE, MODULE, TRUE_FALSE, False, attempt, at(6)),
        xs.failed_quiz(base_url, learner, COURSE, MODULE, 1, 2, 0.8, attempt, 65, at(6.1)),
    ]
    second = str(uuid.uuid4())
    out += [
        xs.answered_question(
            base_url, learner, COURSE, MODULE, MULTIPLE, ["b", "c", "a"], second, at(8)
        ),
        xs.answered_question(base_url, learner, COURSE, MODULE, SINGLE, "b", second, at(8.5)),
        xs.passed_quiz(base_url, learner, COURSE, MODULE, 2, 2, 0.8, second, 47.5, at(9)),
        xs.completed_module(base_url, learner, COURSE, MODULE, 540, at(9.1)),
        xs.answered_survey_item(base_url, learner, COURSE, SURVEY, LIKERT, "s4", at(10)),
        xs.answered_survey_item(
            base_url, learner, COURSE, SURVEY, ROLES_ITEM, ["ppg", "nurse"], at(10.2)
        ),
        xs.answered_survey_item(
            base_url, learner, COURSE, SURVEY, TEXT_ITEM, "More examples, please.", at(10.5)
        ),
        xs.completed_survey(base_url, learner, COURSE, SURVEY, at(11)),
        xs.completed_course(base_url, learner, COURSE, 3600, at(12)),
        xs.earned_certificate(base_url, learner, COURSE, "HDG-2026-0001", at(12.1)),
    ]
    out.append(xs.voided(base_url, learner, out[3]["id"], at(13)))
    return out
