"""Turn a learner's data (``privacy.service.your_data``) into readable sections: summary
lists and tables, with module, page, question and survey titles from the course in use."""

from datetime import datetime
from typing import Any

from elearn.auth.models import COMMUNITY_ROLES
from elearn.content.schema import Course
from elearn.roles import Role

ACCOUNT_TYPES = {Role.LEARNER: "Learner", Role.REVIEWER: "Reviewer", Role.ADMIN: "Administrator"}
STATES = {
    "pending": "Waiting to be sent",
    "sending": "Being sent",
    "sent": "Sent to the Learning Record Store",
    "failed": "Refused by the Learning Record Store",
    "invalid": "Kept aside, never sent",
}
RECENT_RECORDS = 100  # learning records listed on the page; the download has all of them


def long_date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _when(value: str | None) -> str:
    if not value:
        return "Not yet"
    when = datetime.fromisoformat(value)
    return f"{when.day} {when:%B %Y} at {when:%H:%M} UTC"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "-"
    return "Yes" if value else "No"


class Titles:
    """Titles of the course's modules, pages, questions, survey items; the id when unknown."""

    def __init__(self, course: Course | None):
        self.names: dict[tuple[str, str], str] = {}
        if course is None:
            return
        for module in course.modules:
            self.names["module", module.id] = module.title
            for page in module.pages:
                self.names["page", page.id] = page.title
        for quiz in course.quizzes.values():
            for question in quiz.questions:
                self.names["question", question.id] = question.text
                for option in question.options:
                    self.names["option", f"{question.id}/{option.id}"] = option.text
        for survey in course.surveys:
            self.names["survey", survey.id] = survey.title
            for item in survey.items:
                self.names["item", f"{survey.id}/{item.id}"] = item.text

    def __call__(self, kind: str, key: str) -> str:
        return self.names.get((kind, key), key)


def _rows(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in pairs]


def _table(head: list[str], rows: list[list[str]]) -> dict:
    return {
        "head": [{"text": text} for text in head],
        "rows": [[{"text": text} for text in row] for row in rows],
    }


def sections(data: dict[str, Any], course: Course | None, retention_days: int) -> list[dict]:
    """One section per kind of data, each a summary list or a table (or a sentence when there
    is none). ``retention_days``: how long sent learning records stay in this service."""
    title = Titles(course)
    account = data["account"]
    found: list[dict[str, Any]] = [
        {
            "heading": "Your account",
            "rows": _rows(
                [
                    ("Name", account["name"]),
                    ("Email address", account["email"]),
                    ("Account type", ACCOUNT_TYPES.get(account["account_type"], "")),
                    ("Your role", COMMUNITY_ROLES.get(account["role"] or "", "Not given")),
                    ("Organisation or group", account["organisation"] or "Not given"),
                    ("Cohort", account["cohort"] or "None"),
                    ("Account created", _when(account["created_at"])),
                    ("Your code in learning records", account["learning_records_id"]),
                ]
            ),
        },
        {
            "heading": "Your choices",
            "rows": _rows(
                [
                    (
                        "Use my feedback and results in the pilot evaluation",
                        "Yes" if data["consent"]["pilot_evaluation"] else "No",
                    )
                ]
            ),
        },
    ]
    pages = data["progress"]["pages"]
    found.append(
        {
            "heading": "Your progress",
            "empty": "You have not opened any pages yet.",
            "table": _table(
                ["Module", "Page", "First opened", "Finished"],
                [
                    [
                        title("module", p["module"]),
                        title("page", p["page"]),
                        _when(p["first_viewed_at"]),
                        _when(p["completed_at"]),
                    ]
                    for p in pages
                ],
            )
            if pages
            else None,
        }
    )
    attempts = data["quiz_attempts"]
    answers = [
        [
            f"{title('module', a['module'])}, attempt {a['attempt']}",
            title("question", answer["question"]),
            "; ".join(title("option", f"{answer['question']}/{o}") for o in answer["chosen"]),
            _yes_no(answer["correct"]),
        ]
        for a in attempts
        for answer in a["answers"]
    ]
    found.append(
        {
            "heading": "Your quiz attempts",
            "empty": "You have not started a quiz yet.",
            "table": _table(
                ["Module", "Attempt", "Submitted", "Score", "Passed"],
                [
                    [
                        title("module", a["module"]),
                        str(a["attempt"]),
                        _when(a["submitted_at"]),
                        f"{a['score']} out of {a['out_of']}" if a["score"] is not None else "-",
                        _yes_no(a["passed"]),
                    ]
                    for a in attempts
                ],
            )
            if attempts
            else None,
        }
    )
    if answers:
        found.append(
            {
                "heading": "Your quiz answers",
                "table": _table(["Quiz", "Question", "Your answer", "Correct"], answers),
            }
        )
    responses = data["survey_responses"]
    found.append(
        {
            "heading": "Your survey answers",
            "empty": "You have not answered any surveys.",
            "table": _table(
                ["Survey", "Question", "Your answer"],
                [
                    [
                        title("survey", r["survey"]),
                        title("item", f"{r['survey']}/{answer['item']}"),
                        answer["value"],
                    ]
                    for r in responses
                    for answer in r["answers"]
                ]
                + [
                    [title("survey", r["survey"]), "-", "Skipped"]
                    for r in responses
                    if r["status"] == "skipped"
                ],
            )
            if responses
            else None,
        }
    )
    rated = data["page_feedback"]
    found.append(
        {
            "heading": "Your page feedback",
            "empty": "You have not said whether any page helped.",
            "table": _table(
                ["Page", "Helpful", "Your comment"],
                [
                    [title("page", f["page"]), _yes_no(f["helpful"]), f["comment"] or "None"]
                    for f in rated
                ],
            )
            if rated
            else None,
        }
    )
    certificate = data["certificate"]
    found.append(
        {
            "heading": "Your certificate",
            "empty": "You do not have a certificate yet.",
            "rows": _rows(
                [
                    ("Issued", _when(certificate["issued_at"])),
                    ("Verification code", certificate["verification_code"]),
                ]
            )
            if certificate
            else None,
        }
    )
    records = data["learning_records"]
    shown = records[-RECENT_RECORDS:]
    found.append(
        {
            "heading": "Your learning records",
            "intro": (
                f"There are {len(records)} learning records about you in this service. They name"
                " you only by your code, never your name or email address."
                + (
                    f" The newest {len(shown)} are listed here; the download has all of them."
                    if len(shown) < len(records)
                    else ""
                )
                + f" Records sent to the Learning Record Store more than {retention_days} days"
                " ago are kept there, not here: ask the course team if you want them."
            ),
            "empty": "There are no learning records about you.",
            "table": _table(
                ["Recorded", "What happened", "Where it is"],
                [
                    [_when(r["recorded_at"]), _statement_text(r["statement"]), STATES[r["state"]]]
                    for r in reversed(shown)
                ],
            )
            if records
            else None,
        }
    )
    return found


def _statement_text(statement: dict) -> str:
    verb = statement.get("verb", {}).get("display", {})
    target = statement.get("object", {}).get("definition", {}).get("name", {})
    verb_text = next(iter(verb.values()), "")
    target_text = next(iter(target.values()), "")
    return f"{verb_text} {target_text}".strip()
