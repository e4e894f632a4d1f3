"""Statement builders: each event's JSON against the catalogue in docs/xapi.md."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from elearn.xapi import statements as xs
from elearn.xapi.validation import validate_statement
from tests.unit.xapi.examples import (
    COURSE,
    LIKERT,
    MODULE,
    MULTIPLE,
    PAGE,
    SINGLE,
    SURVEY,
    TEXT_ITEM,
    TRUE_FALSE,
    H,
    journey,
    new_learner,
    right,
)

A = f"{H}/xapi/activities"
C = f"{A}/course/hdg"
M = f"{C}/module/m1"
V = "http://adlnet.gov/expapi/verbs"
T = "http://adlnet.gov/expapi/activities"
WHEN = datetime(2026, 3, 1, 10, 15, 30, 123456, tzinfo=UTC)
LEARNER = new_learner()
ATTEMPT = "0b3f7d7e-3c1a-4a57-9a3e-0d1c5c1f2a11"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _ids(statement, key):
    return [a["id"] for a in statement["context"]["contextActivities"].get(key, [])]


def _common(statement):
    """Rules 1-4, 9-11 and 13, true of every statement."""
    assert UUID4.match(statement["id"])
    assert statement["timestamp"] == "2026-03-01T10:15:30.123Z"
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": H, "name": LEARNER.opaque_id},
    }
    assert "version" not in statement
    assert set(statement) <= {"id", "timestamp", "actor", "verb", "object", "result", "context"}
    context = statement["context"]
    assert context["registration"] == LEARNER.registration
    assert context["language"] == "en-GB"
    assert context["contextActivities"]["category"] == [
        {
            "id": f"{H}/xapi/profile/v1",
            "objectType": "Activity",
            "definition": {"type": "http://adlnet.gov/expapi/activities/profile"},
        }
    ]
    verb_name = statement["verb"]["id"].rsplit("/", 1)[-1]
    assert statement["verb"]["display"] == {"en-GB": verb_name}
    if statement["object"].get("objectType") == "Activity":
        assert context["platform"] == "Health Data Guides"
        definition = statement["object"]["definition"]
        assert set(definition) >= {"type", "name", "description"}
        assert list(definition["name"]) == ["en-GB"]
        assert list(definition["description"]) == ["en-GB"]
    assert validate_statement(statement, H, now=WHEN + timedelta(seconds=1)) == []
    BaseXapiStatement.model_validate(statement)


# event -> (statement, verb, object id, object type, parent ids, grouping ids, result)
CATALOGUE = {
    "registered": (
        lambda: xs.registered(xs.StatementContext(H, LEARNER, COURSE, WHEN)),
        f"{V}/registered",
        C,
        f"{T}/course",
        [],
        [],
        None,
    ),
    "launched": (
        lambda: xs.launched(xs.StatementContext(H, LEARNER, COURSE, WHEN)),
        f"{V}/launched",
        C,
        f"{T}/course",
        [],
        [],
        None,
    ),
    "initialized module": (
        lambda: xs.initialized_module(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE),
        f"{V}/initialized",
        M,
        f"{T}/module",
        [C],
        [],
        None,
    ),
    "experienced page": (
        lambda: xs.experienced_page(
            xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, PAGE, 12.345
        ),
        f"{V}/experienced",
        f"{M}/page/m1-p2",
        f"{T}/lesson",
        [M],
        [C],
        {"duration": "PT12.35S"},
    ),
    "progressed": (
        lambda: xs.progressed(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, 40),
        f"{V}/progressed",
        M,
        f"{T}/module",
        [C],
        [],
        {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 40}},
    ),
    "answered question": (
        lambda: xs.answered_question(
            xs.StatementContext(H, LEARNER, COURSE, WHEN),
            MODULE,
            MULTIPLE,
            ["c", "a", "b"],
            success=right(MULTIPLE, ["c", "a", "b"]),
            attempt_id=ATTEMPT,
        ),
        f"{V}/answered",
        f"{M}/quiz/question/m1-q1",
        f"{T}/cmi.interaction",
        [f"{M}/quiz"],
        [M, C],
        {
            "response": "a[,]b[,]c",
            "success": True,
            "score": {"scaled": 1, "raw": 1, "min": 0, "max": 1},
        },
    ),
    "passed quiz": (
        lambda: xs.passed_quiz(
            xs.StatementContext(H, LEARNER, COURSE, WHEN),
            MODULE,
            xs.QuizResult(4, 5, 0.8, ATTEMPT, 390),
        ),
        f"{V}/passed",
        f"{M}/quiz",
        f"{T}/assessment",
        [M],
        [C],
        {
            "score": {"scaled": 0.8, "raw": 4, "min": 0, "max": 5},
            "success": True,
            "completion": True,
            "duration": "PT390S",
        },
    ),
    "failed quiz": (
        lambda: xs.failed_quiz(
            xs.StatementContext(H, LEARNER, COURSE, WHEN),
            MODULE,
            xs.QuizResult(3, 5, 0.8, ATTEMPT, 61.2),
        ),
        f"{V}/failed",
        f"{M}/quiz",
        f"{T}/assessment",
        [M],
        [C],
        {
            "score": {"scaled": 0.6, "raw": 3, "min": 0, "max": 5},
            "success": False,
            "completion": True,
            "duration": "PT61.2S",
        },
    ),
    "completed module": (
        lambda: xs.completed_module(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, 1800),
        f"{V}/completed",
        M,
        f"{T}/module",
        [C],
        [],
        {"completion": True, "duration": "PT1800S"},
    ),
    "answered survey item": (
        lambda: xs.answered_survey_item(
            xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, LIKERT, "s2"
        ),
        f"{V}/answered",
        f"{A}/survey/pilot-1/item/confidence",
        f"{T}/cmi.interaction",
        [f"{A}/survey/pilot-1"],
        [C],
        {"response": "s2"},
    ),
    "completed survey": (
        lambda: xs.completed_survey(xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY),
        f"{V}/completed",
        f"{A}/survey/pilot-1",
        "http://id.tincanapi.com/activitytype/survey",
        [],
        [C],
        {"completion": True},
    ),
    "answered page helpful": (
        lambda: xs.answered_page_helpful(
            xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, PAGE, False
        ),
        f"{V}/answered",
        f"{M}/page/m1-p2/helpful",
        f"{T}/cmi.interaction",
        [f"{M}/page/m1-p2"],
        [M, C],
        {"response": "false"},
    ),
    "completed course": (
        lambda: xs.completed_course(xs.StatementContext(H, LEARNER, COURSE, WHEN), 7200.5),
        f"{V}/completed",
        C,
        f"{T}/course",
        [],
        [],
        {"completion": True, "duration": "PT7200.5S"},
    ),
    "earned certificate": (
        lambda: xs.earned_certificate(xs.StatementContext(H, LEARNER, COURSE, WHEN)),
        "http://id.tincanapi.com/verb/earned",
        f"{A}/certificate/hdg",
        "http://id.tincanapi.com/activitytype/certificate",
        [],
        [C],
        None,
    ),
}


@pytest.mark.parametrize("event", list(CATALOGUE))
def test_event_matches_the_catalogue(event):
    build, verb, object_id, object_type, parent, grouping, result = CATALOGUE[event]
    statement = build()
    _common(statement)
    assert statement["verb"]["id"] == verb
    assert statement["object"]["id"] == object_id
    assert statement["object"]["objectType"] == "Activity"
    assert statement["object"]["definition"]["type"] == object_type
    assert _ids(statement, "parent") == parent
    assert _ids(statement, "grouping") == grouping
    if result is None:
        assert "result" not in statement
    else:
        assert statement["result"] == result


def test_context_activities_carry_their_definitions():
    statement = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        SINGLE,
        "b",
        success=right(SINGLE, "b"),
        attempt_id=ATTEMPT,
    )
    activities = statement["context"]["contextActivities"]
    assert activities["parent"][0]["definition"]["type"] == f"{T}/assessment"
    assert activities["grouping"][0]["definition"]["name"] == {"en-GB": "Health and care data"}
    assert activities["grouping"][1]["definition"]["description"] == {
        "en-GB": "Training for local Health Data Guides"
    }


def test_answered_single_choice_in_full():
    statement = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        SINGLE,
        "c",
        success=right(SINGLE, "c"),
        attempt_id=ATTEMPT,
    )
    _common(statement)
    assert statement["object"]["definition"] == {
        "name": {"en-GB": SINGLE.text},
        "description": {"en-GB": SINGLE.text},
        "type": f"{T}/cmi.interaction",
        "interactionType": "choice",
        "correctResponsesPattern": ["b"],
        "choices": [
            {"id": "a", "description": {"en-GB": "Individual care"}},
            {"id": "b", "description": {"en-GB": "Planning"}},
            {"id": "c", "description": {"en-GB": "Research"}},
        ],
    }
    assert statement["result"] == {
        "score": {"scaled": 0, "raw": 0, "min": 0, "max": 1},
        "success": False,
        "response": "c",
    }
    assert statement["context"]["extensions"] == {f"{H}/xapi/ext/attempt-id": ATTEMPT}


def test_select_all_that_apply_pattern_and_success():
    full = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        MULTIPLE,
        ["b", "a", "c"],
        success=right(MULTIPLE, ["b", "a", "c"]),
        attempt_id="x",
    )
    assert full["object"]["definition"]["correctResponsesPattern"] == ["a[,]b[,]c"]
    assert full["result"]["response"] == "a[,]b[,]c"
    assert full["result"]["success"] is True
    partial = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        MULTIPLE,
        ["a", "c"],
        success=right(MULTIPLE, ["a", "c"]),
        attempt_id="x",
        include_score=False,
    )
    assert partial["result"] == {"success": False, "response": "a[,]c"}


def test_true_false_question_has_no_choices():
    statement = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        TRUE_FALSE,
        False,
        success=right(TRUE_FALSE, False),
        attempt_id="x",
    )
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "true-false"
    assert definition["correctResponsesPattern"] == ["false"]
    assert "choices" not in definition
    assert statement["result"]["response"] == "false"
    assert statement["result"]["success"] is True


def test_likert_item_has_a_scale_and_no_pattern():
    statement = xs.answered_survey_item(
        xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, LIKERT, "s5"
    )
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "likert"
    assert [point["id"] for point in definition["scale"]] == ["s1", "s2", "s3", "s4", "s5"]
    assert "correctResponsesPattern" not in definition
    assert "success" not in statement["result"]


@pytest.mark.parametrize(
    "kind, response, interaction, components, expected",
    [
        ("single", "b", "choice", "choices", "b"),
        ("multiple", ["c", "a"], "choice", "choices", "a[,]c"),
        ("rating", "b", "likert", "scale", "b"),
    ],
)
def test_other_survey_item_kinds(kind, response, interaction, components, expected):
    item = xs.SurveyItem(
        "q7", "Pick", kind, options=(xs.Option("a", "A"), xs.Option("b", "B"), xs.Option("c", "C"))
    )
    statement = xs.answered_survey_item(
        xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, item, response
    )
    _common(statement)
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == interaction
    assert [c["id"] for c in definition[components]] == ["a", "b", "c"]
    assert "correctResponsesPattern" not in definition
    assert statement["result"] == {"response": expected}


def test_attempt_id_may_be_a_number():
    statement = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE, WHEN),
        MODULE,
        SINGLE,
        "b",
        success=right(SINGLE, "b"),
        attempt_id=42,
    )
    assert statement["context"]["extensions"] == {f"{H}/xapi/ext/attempt-id": "42"}


def test_free_text_is_capped_and_has_no_pattern():
    long_text = "  Useful. " + "x" * 3000
    statement = xs.answered_survey_item(
        xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, TEXT_ITEM, long_text
    )
    _common(statement)
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "long-fill-in"
    assert "correctResponsesPattern" not in definition
    response = statement["result"]["response"]
    assert len(response) == 2000
    assert response.startswith("Useful. xxx")


def test_free_text_is_cleaned():
    assert xs.cap_text("a\x00b\r\nc [,] d\x1b") == "ab\nc [ ,] d"
    assert xs.cap_text("\ud800ok") == "?ok"
    assert xs.cap_text("é" * 2500) == "é" * 2000


def test_helpful_prompt_is_true_false_without_pattern():
    statement = xs.answered_page_helpful(
        xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, PAGE, True
    )
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "true-false"
    assert "correctResponsesPattern" not in definition
    assert definition["name"] == {"en-GB": "Was this page helpful?"}
    assert statement["result"] == {"response": "true"}


def test_quiz_result_extensions():
    statement = xs.passed_quiz(
        xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, xs.QuizResult(5, 5, 0.8, ATTEMPT, 12)
    )
    assert statement["context"]["extensions"] == {
        f"{H}/xapi/ext/attempt-id": ATTEMPT,
        f"{H}/xapi/ext/pass-mark": 0.8,
        "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.8,
    }


def test_certificate_statement_carries_no_number_or_code():
    statement = xs.earned_certificate(xs.StatementContext(H, LEARNER, COURSE, WHEN))
    assert "extensions" not in statement["context"]
    assert statement["object"]["definition"]["name"] == {"en-GB": "Health Data Guides: certificate"}


def test_voided_refers_to_the_statement_and_has_no_platform():
    target = str(uuid.uuid4())
    statement = xs.voided(xs.StatementContext(H, LEARNER, COURSE, WHEN), target)
    _common(statement)
    assert statement["verb"]["id"] == f"{V}/voided"
    assert statement["object"] == {"objectType": "StatementRef", "id": target}
    assert "platform" not in statement["context"]
    assert "result" not in statement


def test_registration_is_shared_and_ids_are_new():
    learner = new_learner()
    first = xs.registered(xs.StatementContext(H, learner, COURSE))
    second = xs.launched(xs.StatementContext(H, learner, COURSE))
    assert first["context"]["registration"] == second["context"]["registration"]
    assert first["id"] != second["id"]


def test_ids_and_timestamps_are_fixed_at_creation():
    statement = xs.launched(xs.StatementContext(H, LEARNER, COURSE, WHEN))
    assert json.loads(json.dumps(statement)) == statement  # plain JSON data, nothing lazy
    assert statement["id"] == statement["id"].lower()


def test_base_url_trailing_slash_and_default_time():
    before = datetime.now(UTC).replace(microsecond=0)
    statement = xs.launched(xs.StatementContext(H + "/", LEARNER, COURSE))
    assert statement["object"]["id"] == C
    assert statement["actor"]["account"]["homePage"] == H
    stamp = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    assert before <= stamp <= datetime.now(UTC)


def test_future_event_time_is_clamped_to_now():
    statement = xs.launched(
        xs.StatementContext(H, LEARNER, COURSE, datetime.now(UTC) + timedelta(days=1))
    )
    stamp = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    assert stamp <= datetime.now(UTC)


def test_timestamp_is_utc_with_milliseconds():
    assert xs.format_timestamp(WHEN) == "2026-03-01T10:15:30.123Z"
    plus_one = datetime(2026, 3, 1, 11, 15, 30, 999999, tzinfo=timezone(timedelta(hours=1)))
    assert xs.format_timestamp(plus_one) == "2026-03-01T10:15:30.999Z"  # truncated, not rounded


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (0, "PT0S"),
        (0.0, "PT0S"),
        (0.004, "PT0S"),
        (0.005, "PT0.01S"),
        (-0.004, "PT0S"),
        (12.345, "PT12.35S"),
        (12.5, "PT12.5S"),
        (2.675, "PT2.68S"),
        (390, "PT390S"),
        (390.0, "PT390S"),
        (100, "PT100S"),
        (86400.999, "PT86401S"),
        (1e-9, "PT0S"),
        (10**9, "PT1000000000S"),
    ],
)
def test_format_duration(seconds, expected):
    assert xs.format_duration(seconds) == expected


@pytest.mark.parametrize("bad", [-0.006, -1, float("nan"), float("inf"), True, "3", None, 1e30])
def test_format_duration_refuses(bad):
    with pytest.raises(ValueError):
        xs.format_duration(bad)


@pytest.mark.parametrize(
    "build, message",
    [
        (
            lambda: xs.progressed(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, 101),
            "0 to 100",
        ),
        (
            lambda: xs.progressed(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, 50.5),
            "0 to 100",
        ),
        (
            lambda: xs.progressed(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, True),
            "0 to 100",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                SINGLE,
                "z",
                success=right(SINGLE, "z"),
                attempt_id="x",
            ),
            "option ids",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                SINGLE,
                ["a", "b"],
                success=right(SINGLE, ["a", "b"]),
                attempt_id="x",
            ),
            "exactly one",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                TRUE_FALSE,
                "yes",
                success=right(TRUE_FALSE, "yes"),
                attempt_id="x",
            ),
            "'true' or 'false'",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                SINGLE,
                "a",
                success=right(SINGLE, "a"),
                attempt_id="",
            ),
            "attempt_id",
        ),
        (
            lambda: xs.passed_quiz(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.QuizResult(3, 5, 0.8, "x", 10),
            ),
            "not 'passed'",
        ),
        (
            lambda: xs.failed_quiz(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.QuizResult(3, 5, 80, "x", 10),
            ),
            "scaled",
        ),
        (
            lambda: xs.failed_quiz(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.QuizResult(7, 10, 0.7, "x", 10),
            ),
            "not 'failed'",
        ),
        (
            lambda: xs.passed_quiz(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.QuizResult(6, 5, 0.8, "x", 10),
            ),
            "raw <= max",
        ),
        (
            lambda: xs.completed_module(xs.StatementContext(H, LEARNER, COURSE, WHEN), MODULE, -5),
            "negative",
        ),
        (
            lambda: xs.answered_survey_item(
                xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, LIKERT, "s9"
            ),
            "distinct ids",
        ),
        (
            lambda: xs.answered_survey_item(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                SURVEY,
                xs.SurveyItem("q", "Q", "single", (xs.Option("a", "A"), xs.Option("b", "B"))),
                ["a", "b"],
            ),
            "exactly one id",
        ),
        (
            lambda: xs.answered_survey_item(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                SURVEY,
                xs.SurveyItem("q", "Q", "likert"),
                "1",
            ),
            "needs its options",
        ),
        (
            lambda: xs.answered_survey_item(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                SURVEY,
                xs.SurveyItem("q", "Q", "essay"),
                "x",
            ),
            "survey item kind",
        ),
        (
            lambda: xs.answered_survey_item(
                xs.StatementContext(H, LEARNER, COURSE, WHEN), SURVEY, TEXT_ITEM, "  "
            ),
            "blank",
        ),
        (
            lambda: xs.launched(xs.StatementContext(H, LEARNER, COURSE, datetime(2026, 1, 1))),
            "naive",
        ),
        (
            lambda: xs.launched(xs.StatementContext("guides.example.org", LEARNER, COURSE, WHEN)),
            "base_url",
        ),
        (
            lambda: xs.launched(
                xs.StatementContext(H, LEARNER, xs.ContentRef("a b", "Course"), WHEN)
            ),
            "course id",
        ),
        (
            lambda: xs.launched(
                xs.StatementContext(H, xs.Learner("someone@example.org", str(uuid.uuid4())), COURSE)
            ),
            "opaque id",
        ),
        (
            lambda: xs.launched(
                xs.StatementContext(H, xs.Learner(str(uuid.uuid4()), "enrolment-1"), COURSE)
            ),
            "regist",
        ),
        (
            lambda: xs.voided(xs.StatementContext(H, LEARNER, COURSE, WHEN), "not-a-uuid"),
            "statement_id",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.Question("q", "Q", "single", ("a",), (xs.Option("a", "A"), xs.Option("a", "B"))),
                "a",
                success=right(
                    xs.Question(
                        "q", "Q", "single", ("a",), (xs.Option("a", "A"), xs.Option("a", "B"))
                    ),
                    "a",
                ),
                attempt_id="x",
            ),
            "unique",
        ),
        (
            lambda: xs.answered_question(
                xs.StatementContext(H, LEARNER, COURSE, WHEN),
                MODULE,
                xs.Question("q", "Q", "single", ("a",), (xs.Option("a [,]", "A"),)),
                "a",
                success=right(
                    xs.Question("q", "Q", "single", ("a",), (xs.Option("a [,]", "A"),)), "a"
                ),
                attempt_id="x",
            ),
            "component id",
        ),
    ],
)
def test_builders_refuse_bad_input(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_full_learner_journey_is_valid():
    statements = journey()
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert set(verbs) == set(xs.VERBS)  # every verb in the catalogue is used
    assert len({s["id"] for s in statements}) == len(statements)
    assert len({s["context"]["registration"] for s in statements}) == 1
    for statement in statements:
        assert validate_statement(statement, H) == [], statement["verb"]["id"]
        BaseXapiStatement.model_validate(statement)


def test_derived_ids_are_stable_distinct_and_valid_version_4():
    first = xs.derived_statement_id("learner", "2026-12-01T10:00:00+00:00", "verb", "object")
    assert first == xs.derived_statement_id(
        "learner", "2026-12-01T10:00:00+00:00", "verb", "object"
    )
    assert first != xs.derived_statement_id(
        "learner", "2026-12-01T10:00:01+00:00", "verb", "object"
    )
    assert first != xs.derived_statement_id("learner", "2026-12-01T10:00:00+00:00verb", "object")
    assert uuid.UUID(first).version == 4 and first == first.lower()
