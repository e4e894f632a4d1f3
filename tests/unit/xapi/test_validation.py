"""validate_statement: each catalogue rule, broken one at a time."""

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from elearn.xapi import statements as xs
from elearn.xapi.validation import is_iri, validate_statement
from tests.unit.xapi.examples import (
    COURSE,
    LIKERT,
    MODULE,
    MULTIPLE,
    PAGE,
    SURVEY,
    TEXT_ITEM,
    TRUE_FALSE,
    H,
    journey,
    new_learner,
    right,
)

LEARNER = new_learner()
EXT = f"{H}/xapi/ext"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def question():
    return xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE),
        MODULE,
        MULTIPLE,
        ["a", "c"],
        success=right(MULTIPLE, ["a", "c"]),
        attempt_id="att",
    )


def passed():
    return xs.passed_quiz(
        xs.StatementContext(H, LEARNER, COURSE), MODULE, xs.QuizResult(4, 5, 0.8, "att", 100)
    )


def likert():
    return xs.answered_survey_item(xs.StatementContext(H, LEARNER, COURSE), SURVEY, LIKERT, "s3")


def text_item():
    return xs.answered_survey_item(
        xs.StatementContext(H, LEARNER, COURSE), SURVEY, TEXT_ITEM, "Fine"
    )


def progressed():
    return xs.progressed(xs.StatementContext(H, LEARNER, COURSE), MODULE, 30)


def page():
    return xs.experienced_page(xs.StatementContext(H, LEARNER, COURSE), MODULE, PAGE, 3)


def voided():
    return xs.voided(xs.StatementContext(H, LEARNER, COURSE), str(uuid.uuid4()))


def _set(path: str | tuple, value):
    def change(statement):
        *parents, last = path if isinstance(path, tuple) else path.split(".")
        target = statement
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is _DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


_DELETE = object()
FUTURE = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

CASES = [
    # rule 1: ids
    ("uppercase id", question, _set("id", str(uuid.uuid4()).upper()), "id: must be a lowercase"),
    ("uuid1 id", question, _set("id", str(uuid.uuid1())), "id: must be a lowercase UUIDv4"),
    ("no id", question, _set("id", _DELETE), "id: is required"),
    # rule 2: timestamps
    ("no timestamp", question, _set("timestamp", _DELETE), "timestamp: is required"),
    ("offset", question, _set("timestamp", "2026-03-01T10:15:30.123+01:00"), "timestamp: must"),
    ("micro", question, _set("timestamp", "2026-03-01T10:15:30.123456Z"), "timestamp: must"),
    ("impossible", question, _set("timestamp", "2026-02-30T10:15:30.123Z"), "not a real date"),
    ("future", question, _set("timestamp", FUTURE), "timestamp: must not be in the future"),
    # rule 3: actor
    ("mbox", question, _set("actor.mbox", "mailto:a@example.org"), "actor.mbox: must not be sent"),
    ("name", question, _set("actor.name", "Ann"), "actor.name: must not be sent"),
    ("sha1", question, _set("actor.mbox_sha1sum", "ab"), "actor.mbox_sha1sum: must not be sent"),
    ("group", question, _set("actor.objectType", "Group"), "actor.objectType: must be 'Agent'"),
    ("no account", question, _set("actor.account", _DELETE), "actor.account: is required"),
    (
        "email account",
        question,
        _set("actor.account.name", "a@example.org"),
        "actor.account.name: must be the learner's opaque",
    ),
    (
        "other home page",
        question,
        _set("actor.account.homePage", "https://evil.example.org"),
        f"actor.account.homePage: must be {H}",
    ),
    # rule 4: verbs
    ("unknown verb", question, _set("verb.id", "http://example.org/verbs/x"), "not a verb in the"),
    ("verb display", question, _set("verb.display", {"en": "answered"}), "'en-GB' entry"),
    ("bad tag", question, _set("verb.display", {"en GB": "x", "en-GB": "x"}), "not a language tag"),
    ("empty text", question, _set("verb.display", {"en-GB": " "}), "must be non-empty text"),
    ("verb vs object", passed, _set("verb.id", xs.VERBS["registered"]), "not used with a quiz"),
    # rule 5: activities
    ("relative id", question, _set("object.id", "/xapi/activities/x"), "not an absolute IRI"),
    ("space in id", question, _set("object.id", f"{H}/a b"), "not an absolute IRI"),
    ("not ours", question, _set("object.id", "https://else.org/x"), "must start with"),
    ("no definition", question, _set("object.definition", _DELETE), "is required, with type"),
    ("no name", passed, _set("object.definition.name", _DELETE), "definition.name: is required"),
    ("no description", passed, _set("object.definition.description", _DELETE), "is required"),
    ("odd type", passed, _set("object.definition.type", "http://x.org/t"), "not an activity type"),
    # rule 6: interactions
    (
        "bad interaction type",
        question,
        _set("object.definition.interactionType", "matching"),
        "interactionType: must be one of",
    ),
    (
        "response uses text",
        question,
        _set("result.response", "Notes from your appointments"),
        "are not component ids",
    ),
    ("unsorted response", question, _set("result.response", "c[,]a"), "must be sorted"),
    ("repeated response", question, _set("result.response", "a[,]a"), "repeats a component id"),
    (
        "pattern uses unknown id",
        question,
        _set("object.definition.correctResponsesPattern", ["a[,]z"]),
        "correctResponsesPattern[0]: ['z'] are not component ids",
    ),
    (
        "duplicate component",
        question,
        _set("object.definition.choices.1.id", "a"),
        "component ids must be unique",
    ),
    (
        "component id with space",
        question,
        _set("object.definition.choices.0.id", "a b"),
        "must be text without spaces",
    ),
    ("no success", question, _set("result.success", _DELETE), "result.success: is required"),
    ("likert with success", likert, _set("result.success", True), "has no success"),
    ("likert wrong id", likert, _set("result.response", "Quite"), "is not a scale id"),
    (
        "likert with pattern",
        likert,
        _set("object.definition.correctResponsesPattern", ["s5"]),
        "a likert item has none",
    ),
    (
        "likert with choices",
        likert,
        _set("object.definition.choices", [{"id": "a", "description": {"en-GB": "A"}}]),
        "a likert interaction has no choices",
    ),
    ("text too long", text_item, _set("result.response", "x" * 2001), "at most 2000 characters"),
    (
        "interaction fields on a quiz",
        passed,
        _set("object.definition.interactionType", "choice"),
        "only interactions have this",
    ),
    ("no response", question, _set("result.response", _DELETE), "result.response: is required"),
    # rule 7: scores
    ("scaled above 1", passed, _set("result.score.scaled", 1.5), "must be from 0 to 1"),
    ("scaled negative", passed, _set("result.score.scaled", -0.5), "must be from 0 to 1"),
    ("raw above max", passed, _set("result.score.raw", 6), "must be within min and max"),
    ("min not below max", passed, _set("result.score.min", 5), "min must be less than max"),
    ("inconsistent", passed, _set("result.score.scaled", 0.5), "does not agree with raw"),
    ("bool score", passed, _set("result.score.raw", True), "must be a number"),
    ("missing max", passed, _set("result.score.max", _DELETE), "needs scaled, raw, min and max"),
    ("passed unsuccessful", passed, _set("result.success", False), "result.success: must be true"),
    # rule 8: progress
    ("progress 150", progressed, _set(("result", "extensions", PROGRESS), 150), "from 0 to 100"),
    ("progress float", progressed, _set(("result", "extensions", PROGRESS), 50.5), "whole number"),
    ("progress as score", progressed, _set("result.score", {"scaled": 0.3}), "never use a score"),
    # rule 9: registration
    ("no registration", question, _set("context.registration", _DELETE), "registration: must"),
    # rule 10: context activities
    (
        "parent not array",
        question,
        lambda s: s["context"]["contextActivities"].update(
            parent=s["context"]["contextActivities"]["parent"][0]
        ),
        "must be an array",
    ),
    ("no profile", question, _set("context.contextActivities.category", []), "empty values"),
    (
        "wrong profile type",
        question,
        _set("context.contextActivities.category.0.definition.type", "http://x.org/t"),
        "the profile's type must be",
    ),
    # rule 11: platform and language
    ("no platform", question, _set("context.platform", _DELETE), "context.platform: must be"),
    ("other language", question, _set("context.language", "en-US"), "context.language: must be"),
    ("platform on voided", voided, _set("context.platform", "Health Data Guides"), "only when"),
    # rule 12: extensions
    (
        "foreign extension",
        question,
        _set("context.extensions", {"https://example.org/ext/x": 1}),
        "extension keys must be under",
    ),
    ("not an IRI key", question, _set("context.extensions", {"attempt": 1}), "not an absolute IRI"),
    (
        "no attempt id",
        passed,
        _set(("context", "extensions", f"{EXT}/attempt-id"), _DELETE),
        "attempt-id",
    ),
    ("pass mark %", passed, _set(("context", "extensions", f"{EXT}/pass-mark"), 80), "from 0 to 1"),
    # rule 13: version
    ("version", question, _set("version", "1.0.3"), "version: must not be sent"),
    ("stored", question, _set("stored", "2026-01-01T00:00:00.000Z"), "stored: is not allowed"),
    # rule 14: durations
    ("tincan duration", page, _set("result.duration", "PT3.000000S"), "must be like PT390S"),
    ("minutes", page, _set("result.duration", "PT6M30S"), "must be like PT390S"),
    ("negative", page, _set("result.duration", "P-1DT23H"), "must be like PT390S"),
    # rule 18: voiding
    ("voided activity", voided, _set("object", {"id": f"{H}/xapi/activities/x"}), "StatementRef"),
    ("ref uppercase", voided, _set("object.id", str(uuid.uuid4()).upper()), "lowercase UUID"),
    # empty values anywhere
    ("empty string", question, _set("result.response", ""), "result.response: empty values"),
]


@pytest.mark.parametrize("name, build, change, message", CASES, ids=[c[0] for c in CASES])
def test_broken_rule_is_reported(name, build, change, message):
    statement = build()
    assert validate_statement(statement, H) == []
    broken = copy.deepcopy(statement)
    change(broken)
    errors = validate_statement(broken, H)
    assert any(message in error for error in errors), errors


def test_every_journey_statement_is_valid():
    for statement in journey():
        assert validate_statement(statement, H) == []


def test_true_false_response_must_be_true_or_false():
    statement = xs.answered_question(
        xs.StatementContext(H, LEARNER, COURSE),
        MODULE,
        TRUE_FALSE,
        True,
        success=right(TRUE_FALSE, True),
        attempt_id="att",
    )
    statement["result"]["response"] = "yes"
    assert "result.response: must be 'true' or 'false'" in validate_statement(statement, H)


def test_without_base_url_only_general_rules_apply():
    statement = xs.launched(xs.StatementContext("https://other.example.org", LEARNER, COURSE))
    assert validate_statement(statement) == []
    assert validate_statement(statement, H) != []


def test_not_a_dict():
    assert validate_statement(["x"]) == ["statement: must be a JSON object"]


@pytest.mark.parametrize(
    "value, ok",
    [
        ("https://guides.example.org/xapi/activities/course/hdg", True),
        ("urn:uuid:0b3f7d7e-3c1a-4a57-9a3e-0d1c5c1f2a11", True),
        ("https://guides.example.org/é", True),
        ("https:///no-host", False),
        ("no-scheme/path", False),
        ("https://a b", False),
        ("", False),
        (None, False),
    ],
)
def test_is_iri(value, ok):
    assert is_iri(value) is ok


def test_the_content_revision_is_valid_on_an_activity_only():
    c = xs.StatementContext(H, LEARNER, COURSE, revision="12")
    page = xs.experienced_page(c, MODULE, PAGE)
    assert page["context"]["revision"] == "12"
    assert validate_statement(page, H) == []
    void = xs.voided(c, page["id"])
    assert "revision" not in void["context"]
    assert validate_statement(void, H) == []
    void["context"]["revision"] = "12"
    assert any("context.revision" in e for e in validate_statement(void, H))
    page["context"]["revision"] = ""
    assert any("context.revision" in e for e in validate_statement(page, H))


def test_mastery_score_and_attempt_number():
    made = xs.passed_quiz(
        xs.StatementContext(H, LEARNER, COURSE),
        MODULE,
        xs.QuizResult(4, 5, 0.8, "att", 100, attempt_number=2),
    )
    extensions = made["context"]["extensions"]
    assert extensions[xs.MASTERY_SCORE_EXTENSION] == 0.8
    assert extensions[f"{EXT}/attempt-number"] == 2
    assert validate_statement(made, H) == []
    for key, bad in ((xs.MASTERY_SCORE_EXTENSION, 1.5), (f"{EXT}/attempt-number", 0)):
        broken = copy.deepcopy(made)
        broken["context"]["extensions"][key] = bad
        assert validate_statement(broken, H), key


def test_session_id_terminated_and_exited():
    session = str(uuid.uuid4())
    c = xs.StatementContext(H, LEARNER, COURSE, session=session)
    ended = xs.terminated(c, 754.321)
    assert ended["context"]["extensions"] == {xs.SESSION_ID_EXTENSION: session}
    assert ended["result"] == {"duration": "PT754.32S"}
    assert validate_statement(ended, H) == []
    left = xs.exited_page(c, MODULE, PAGE, 30)
    assert left["result"] == {"duration": "PT30S"}
    assert validate_statement(left, H) == []
    # Every statement of a signed-in learner carries the id; none without a session.
    assert xs.launched(c)["context"]["extensions"] == {xs.SESSION_ID_EXTENSION: session}
    assert "extensions" not in xs.launched(xs.StatementContext(H, LEARNER, COURSE))["context"]
    with pytest.raises(ValueError):
        xs.terminated(xs.StatementContext(H, LEARNER, COURSE), 1)
    with pytest.raises(ValueError):
        xs.launched(xs.StatementContext(H, LEARNER, COURSE, session="not-a-uuid"))

    no_session = copy.deepcopy(ended)
    del no_session["context"]["extensions"]
    assert any("terminated needs" in e for e in validate_statement(no_session, H))
    bad_session = copy.deepcopy(ended)
    bad_session["context"]["extensions"][xs.SESSION_ID_EXTENSION] = "session-7"
    assert any("sessionid" in e for e in validate_statement(bad_session, H))
    for statement in (ended, left):
        no_duration = copy.deepcopy(statement)
        del no_duration["result"]
        assert any("result: is required" in e for e in validate_statement(no_duration, H))
    wrong_object = copy.deepcopy(left)
    wrong_object["verb"]["id"] = xs.VERBS["terminated"]
    assert validate_statement(wrong_object, H)  # terminated is about the course, not a page
