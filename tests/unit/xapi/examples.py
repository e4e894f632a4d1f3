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
    session = str(uuid.uuid4())  # the sign-in session's id (cmi5's session id extension)
    out = [
        xs.registered(xs.StatementContext(base_url, learner, COURSE, at(0))),
        xs.launched(xs.StatementContext(base_url, learner, COURSE, at(0.1))),
        xs.initialized_module(xs.StatementContext(base_url, learner, COURSE, at(0.2)), MODULE),
        xs.experienced_page(
            xs.StatementContext(base_url, learner, COURSE, at(1)), MODULE, PAGE, 58.345
        ),
        xs.answered_page_helpful(
            xs.StatementContext(base_url, learner, COURSE, at(1.1)), MODULE, PAGE, True
        ),
        xs.progressed(xs.StatementContext(base_url, learner, COURSE, at(1.2)), MODULE, 50),
        xs.answered_question(
            xs.StatementContext(base_url, learner, COURSE, at(5)),
            MODULE,
            MULTIPLE,
            ["a", "c"],
            success=right(MULTIPLE, ["a", "c"]),
            attempt_id=attempt,
        ),
        xs.answered_question(
            xs.StatementContext(base_url, learner, COURSE, at(6)),
            MODULE,
            TRUE_FALSE,
            False,
            success=right(TRUE_FALSE, False),
            attempt_id=attempt,
        ),
        xs.failed_quiz(
            xs.StatementContext(base_url, learner, COURSE, at(6.1)),
            MODULE,
            xs.QuizResult(1, 2, 0.8, attempt, 65),
        ),
    ]
    second = str(uuid.uuid4())
    out += [
        xs.answered_question(
            xs.StatementContext(base_url, learner, COURSE, at(8)),
            MODULE,
            MULTIPLE,
            ["b", "c", "a"],
            success=right(MULTIPLE, ["b", "c", "a"]),
            attempt_id=second,
        ),
        xs.answered_question(
            xs.StatementContext(base_url, learner, COURSE, at(8.5)),
            MODULE,
            SINGLE,
            "b",
            success=right(SINGLE, "b"),
            attempt_id=second,
        ),
        xs.passed_quiz(
            xs.StatementContext(base_url, learner, COURSE, at(9)),
            MODULE,
            xs.QuizResult(2, 2, 0.8, second, 47.5),
        ),
        xs.completed_module(xs.StatementContext(base_url, learner, COURSE, at(9.1)), MODULE, 540),
        xs.answered_survey_item(
            xs.StatementContext(base_url, learner, COURSE, at(10)), SURVEY, LIKERT, "s4"
        ),
        xs.answered_survey_item(
            xs.StatementContext(base_url, learner, COURSE, at(10.2)),
            SURVEY,
            ROLES_ITEM,
            ["ppg", "nurse"],
        ),
        xs.answered_survey_item(
            xs.StatementContext(base_url, learner, COURSE, at(10.5)),
            SURVEY,
            TEXT_ITEM,
            "More examples, please.",
        ),
        xs.completed_survey(xs.StatementContext(base_url, learner, COURSE, at(11)), SURVEY),
        xs.completed_course(xs.StatementContext(base_url, learner, COURSE, at(12)), 3600),
        xs.earned_certificate(xs.StatementContext(base_url, learner, COURSE, at(12.1))),
        xs.exited_page(
            xs.StatementContext(base_url, learner, COURSE, at(12.2), session=session),
            MODULE,
            PAGE,
            42.5,
        ),
        xs.terminated(
            xs.StatementContext(base_url, learner, COURSE, at(12.3), session=session), 740
        ),
    ]
    out.append(xs.voided(xs.StatementContext(base_url, learner, COURSE, at(13)), out[3]["id"]))
    return out


def right(question: xs.Question, response: str | bool | list[str]) -> bool:
    """Whether a response to one of these example questions is right (scoring's decision, which
    the builders take as given)."""
    if isinstance(response, bool):
        response = "true" if response else "false"
    chosen = [response] if isinstance(response, str) else response
    return sorted(chosen) == sorted(question.correct)
